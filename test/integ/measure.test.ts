/**
 * Measured image sizes on a real engine (issue 9): a measured synth builds each function's image as cdk deploy
 * would and feeds CCF010/CCF011; the numbers match `docker image inspect`; layers map to Dockerfile lines on a
 * multi-stage Dockerfile; reclaimable bytes count only the superseded copy; a second synth is served from the cache
 * without one engine call; `cdk-container-function measure` exits 0 / 1 / 2 and prints the report.
 * Fixtures: test/fixtures/measure (README there). Every image starts from the local stand-in local/debian:bookworm.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cxapi from '@aws-cdk/cloud-assembly-api';
import { App, DockerBuildSecret, Size, Stack } from 'aws-cdk-lib';
import { DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { removeAssetImages } from './support/asset-variant';
import { describeWithDocker, docker, DOCKER } from './support/docker';
import { DEBIAN_BASE } from './support/standins';
import { ContainerImageChecks } from '../../lib/checks';
import { runMeasure } from '../../lib/cli/commands/measure';
import { ImageReport, MARKDOWN_FILE, REPORT_FILE } from '../../lib/measure/report';
import { MEASURE_CONTEXT } from '../../lib/measure/synth-measurer';

jest.setTimeout(20 * 60_000);

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'measure');
const MiB = 1024 * 1024;

describeWithDocker('measured image sizes', () => {
  let work: string;
  let fixtures: string;
  let callLog: string;
  let wrapper: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    if ((await docker(['image', 'inspect', DEBIAN_BASE], { allowFailure: true })).code !== 0) {
      throw new Error(`${DEBIAN_BASE} is missing: run .ci/setup-docker.sh (as root) to debootstrap and import it.`);
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-measure-'));
    fixtures = path.join(work, 'fixtures');
    fs.cpSync(FIXTURES, fixtures, { recursive: true });
    // The fixtures name the default Debian base; another one (CCF_DEBIAN_BASE) is the one this run provisioned.
    for (const dir of fs.readdirSync(fixtures)) {
      const dockerfile = path.join(fixtures, dir, 'Dockerfile');
      if (fs.existsSync(dockerfile)) fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').split('local/debian:bookworm').join(DEBIAN_BASE));
    }
    // 30 MiB in the context: the static estimate alone sees this one over a 20 MiB budget.
    fs.writeFileSync(path.join(fixtures, 'large-context', 'data.bin'), Buffer.alloc(30 * MiB, 7));
    // Every engine call of the code under test goes through this wrapper, which logs it: the cache test counts them.
    callLog = path.join(work, 'docker-calls.log');
    wrapper = path.join(work, 'docker');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${callLog}'\nexec '${DOCKER}' "$@"\n`, { mode: 0o755 });
    process.env.CDK_DOCKER = wrapper;
    process.env.DOCKER_BUILDKIT = '1';
    process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR = path.join(work, 'cache');
    delete process.env.CDK_CONTAINER_FUNCTION_MEASURE;
  });

  afterAll(async () => {
    process.env = saved;
    if (!work) return;
    await removeAssetImages(work);
    fs.rmSync(work, { recursive: true, force: true });
  });

  const engineCalls = () => (fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8').split('\n').filter(l => l.trim()) : []);
  const resetCalls = () => fs.rmSync(callLog, { force: true });

  /** Main: 150 MiB budget; Small: 20 MiB. One report for both (two Aspects share it). */
  function synth(outdir: string, options: { measure: boolean; strict?: boolean; fixtures?: string[] }) {
    const app = new App({
      outdir,
      context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true, ...(options.measure ? { [MEASURE_CONTEXT]: true } : {}) },
    });
    const main = new Stack(app, 'Main');
    const small = options.fixtures ? undefined : new Stack(app, 'Small');
    const fn = (stack: Stack, id: string, fixture: string, target?: string) => new DockerImageFunction(stack, id, {
      code: DockerImageCode.fromImageAsset(path.join(fixtures, fixture), target ? { target } : {}),
    });
    if (options.fixtures) {
      options.fixtures.forEach((f, i) => fn(main, `Fn${i}`, f));
    } else {
      fn(main, 'UnderBudget', 'under-budget');
      fn(main, 'RunWrites', 'run-writes');
      fn(main, 'DeletesLater', 'deletes-later');
      fn(main, 'MultiStage', 'multi-stage');
      fn(main, 'DepsStage', 'multi-stage', 'deps');
      fn(small!, 'LargeContext', 'large-context');
    }
    ContainerImageChecks.applyTo(main, { defaultMaxImageSize: Size.mebibytes(150), strict: options.strict });
    if (small) ContainerImageChecks.applyTo(small, { defaultMaxImageSize: Size.mebibytes(20) });
    return app.synth();
  }

  const readReport = (outdir: string) => JSON.parse(fs.readFileSync(path.join(outdir, REPORT_FILE), 'utf8')) as ImageReport;
  const imageOf = (report: ImageReport, fn: string) => {
    const image = report.images.find(i => i.functions.includes(fn));
    if (!image) throw new Error(`no report entry for ${fn}: ${JSON.stringify(report.images.map(i => i.functions))}`);
    return image;
  };
  const messages = (assembly: cxapi.CloudAssembly, fnPath: string, rule: string) => assembly.stacks
    .flatMap(s => s.messages)
    .filter(m => m.id.startsWith(`/${fnPath}`) && String(m.entry.data).startsWith(`${rule} `))
    .map(m => ({ level: m.level, text: String(m.entry.data) }));

  let outdir: string;
  let first: cxapi.CloudAssembly;
  let report: ImageReport;

  test('a measured synth measures each image: sizes equal docker image inspect, layers add up to the total', async () => {
    outdir = path.join(work, 'cdk.out');
    first = synth(outdir, { measure: true });
    report = readReport(outdir);
    expect(report.images).toHaveLength(6);
    for (const image of report.images) {
      expect(image.status).toMatch(/^(measured|cached)$/);
      const inspected = Number((await docker(['image', 'inspect', '--format', '{{.Size}}', `cdkasset-${image.assetHash}`])).stdout.trim());
      expect(image.measuredBytes).toBe(inspected);
      expect(image.layers!.reduce((sum, l) => sum + l.sizeBytes, 0)).toBe(inspected);
      expect(image.baseBytes! + image.ownBytes!).toBe(inspected);
    }
  });

  test('base bytes come from the final stage\'s FROM; own bytes are what the Dockerfile adds', async () => {
    const base = Number((await docker(['image', 'inspect', '--format', '{{.Size}}', DEBIAN_BASE])).stdout.trim());
    const runWrites = imageOf(report, 'Main/RunWrites');
    expect(runWrites.baseImage).toBe(DEBIAN_BASE);
    expect(runWrites.baseBytes).toBe(base);
    expect(runWrites.ownBytes).toBe(50 * MiB);
    // The deps target starts FROM build, which starts FROM ${BASE}: the base is the expanded ARG, the build stage's bytes are own.
    const deps = imageOf(report, 'Main/DepsStage');
    expect(deps.baseImage).toBe(DEBIAN_BASE);
    expect(deps.ownBytes).toBe(3 * MiB + 1 * MiB + 2 * MiB);
  });

  test('each layer maps to its Dockerfile line on a multi-stage Dockerfile', () => {
    const own = (fn: string) => imageOf(report, fn).layers!.filter(l => !l.base)
      .map(l => ({ line: l.line, stage: l.stage, size: l.sizeBytes, text: l.instruction }));
    // Final stage (FROM local/debian:bookworm AS final): lines 11-14.
    expect(own('Main/MultiStage')).toEqual([
      { line: 11, stage: 'final', size: 3 * MiB, text: 'COPY /artifact.bin /var/task/artifact.bin' },
      { line: 12, stage: 'final', size: expect.any(Number), text: 'COPY handler.txt /var/task/' },
      { line: 13, stage: 'final', size: 512 * 1024, text: 'RUN head -c 524288 /dev/zero > /var/task/extra.bin' },
      { line: 14, stage: 'final', size: 0, text: 'CMD ["app.handler"]' },
    ]);
    // --target deps: the chain build → deps.
    expect(own('Main/DepsStage').map(l => [l.line, l.stage, l.size])).toEqual([
      [3, 'build', 3 * MiB], [4, 'build', 1 * MiB], [7, 'deps', 0], [8, 'deps', 2 * MiB],
    ]);
  });

  test('reclaimable bytes equal the deleted file\'s size, not twice it', () => {
    const image = imageOf(report, 'Main/DeletesLater');
    expect(image.reclaimableBytes).toBe(20 * MiB);
    const writer = image.layers!.find(l => l.line === 2)!;
    expect(writer.reclaimableBytes).toBe(20 * MiB);
    expect(imageOf(report, 'Main/RunWrites').reclaimableBytes).toBe(0);
  });

  test('CCF010 says "measured" and names the five largest layers; only measurement sees a RUN step\'s bytes', () => {
    const runWrites = messages(first, 'Main/RunWrites', 'CCF010');
    expect(runWrites).toHaveLength(1);
    expect(runWrites[0].text).toMatch(/image measured 161\.3 MiB is over its budget of 150 MiB; largest layers: 111(\.\d)? MiB \(base image layer\) \(base image\), 50 MiB RUN head -c 52428800 \/dev\/zero > \/opt\/model.bin \(.*Dockerfile:2\)/);
    expect(messages(first, 'Small/LargeContext', 'CCF010')[0].text).toMatch(/image measured 141(\.\d)? MiB is over its budget of 20 MiB; largest layers: .*30 MiB COPY data.bin \/var\/task\/ \(.*Dockerfile:2\)/);
    expect(messages(first, 'Main/UnderBudget', 'CCF010')).toEqual([]);
    expect(messages(first, 'Main/DeletesLater', 'CCF010')).toEqual([]);
  });

  test('the report carries every field, and a markdown table for pull requests', () => {
    const image = imageOf(report, 'Main/RunWrites');
    expect(image).toEqual(expect.objectContaining({
      functions: ['Main/RunWrites'],
      assetHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      tag: image.assetHash,
      measuredBytes: expect.any(Number),
      estimatedBytes: 0,
      budgetBytes: 150 * MiB,
      baseBytes: expect.any(Number),
      ownBytes: 50 * MiB,
      reclaimableBytes: 0,
      layers: expect.any(Array),
    }));
    expect(imageOf(report, 'Small/LargeContext')).toEqual(expect.objectContaining({ budgetBytes: 20 * MiB, estimatedBytes: 30 * MiB }));
    const markdown = fs.readFileSync(path.join(outdir, MARKDOWN_FILE), 'utf8');
    expect(markdown).toContain('| Function | Image | Size | Budget | % of budget | Own | Reclaimable | Biggest layer |');
    expect(markdown).toMatch(/\| Main\/RunWrites \| [0-9a-f]{12} \| 161\.3 MiB \| 150 MiB \| 108% ❌ \| 50 MiB \| 0 B \| 50 MiB RUN head -c 52428800/);
    expect(markdown).toMatch(/\| Main\/DeletesLater \| .* \| 20 MiB \| /);
  });

  test('a second measured synth is served from the cache: not one engine call', () => {
    resetCalls();
    const again = synth(path.join(work, 'cdk.out.2'), { measure: true });
    expect(engineCalls()).toEqual([]);
    const second = readReport(path.join(work, 'cdk.out.2'));
    expect(second.images.every(i => i.status === 'cached')).toBe(true);
    expect(second.images.map(i => i.measuredBytes)).toEqual(report.images.map(i => i.measuredBytes));
    expect(messages(again, 'Main/RunWrites', 'CCF010')[0].text).toContain('measured');
  });

  test('with strict, an image measured over budget fails the synth (an error)', () => {
    const strict = synth(path.join(work, 'cdk.out.strict'), { measure: true, strict: true });
    expect(messages(strict, 'Main/RunWrites', 'CCF010')).toEqual([expect.objectContaining({ level: 'error' })]);
  });

  test('an unmeasured synth keeps the static estimate: RUN output is invisible to it', () => {
    resetCalls();
    const plain = synth(path.join(work, 'cdk.out.plain'), { measure: false });
    expect(engineCalls()).toEqual([]);
    expect(messages(plain, 'Main/RunWrites', 'CCF010')).toEqual([]);
    expect(messages(plain, 'Small/LargeContext', 'CCF010')[0].text).toContain('image estimated ≥ 30 MiB is over its budget of 20 MiB');
    expect(readReport(path.join(work, 'cdk.out.plain')).images.every(i => i.status === 'estimated')).toBe(true);
  });

  test('a measured synth whose image does not build: a warning with the docker output, the estimate applies, the synth goes on', () => {
    const out = path.join(work, 'cdk.out.synth-fails');
    const assembly = synth(out, { measure: true, fixtures: ['build-fails'] });
    const warnings = assembly.getStackByName('Main').messages
      .filter(m => m.level === 'warning' && String(m.entry.data).startsWith('image of Main/Fn0 not measured: the build failed'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/exit code: 3[\s\S]*The static size estimate applies\. Fix: make the image build/);
    expect(readReport(out).images.map(i => [i.functions, i.status])).toEqual([[['Main/Fn0'], 'failed']]);
  });

  describe('cdk-container-function measure', () => {
    let stdout: string;
    let stderr: string;
    let spies: jest.SpyInstance[];
    beforeEach(() => {
      stdout = '';
      stderr = '';
      spies = [
        jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { stdout += chunk; return true; }),
        jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { stderr += chunk; return true; }),
      ];
    });
    afterEach(() => spies.forEach(s => s.mockRestore()));

    test('exit 1 when an image is over the budget recorded at synth; the table names the biggest layer with its line', async () => {
      resetCalls();
      expect(await runMeasure({ app: path.join(work, 'cdk.out.plain') })).toBe(1);
      expect(engineCalls().filter(c => c.startsWith('build'))).toEqual([]); // every image is cached
      expect(stdout).toMatch(/Main\/RunWrites\s+[0-9a-f]{12}\s+161\.3 MiB\s+150 MiB\s+108% ❌\s+50 MiB\s+0 B\s+50 MiB RUN head -c 52428800 \/dev\/zero > \/opt\/model.bin \(Dockerfile:2\)/);
      expect(stderr).toContain('Main/RunWrites: cached');
      expect(stderr).toContain('❌ Main/RunWrites: 161.3 MiB is over the budget of 150 MiB');
    });

    test('exit 0 within budget; --function and --stack select; --json prints the report', async () => {
      expect(await runMeasure({ app: path.join(work, 'cdk.out.plain'), budget: '1GB' })).toBe(0);
      stdout = '';
      expect(await runMeasure({ app: path.join(work, 'cdk.out.plain'), function: ['Main/UnderBudget'], json: true })).toBe(0);
      const json = JSON.parse(stdout) as ImageReport;
      expect(json.images.map(i => i.functions)).toEqual([['Main/UnderBudget']]);
      expect(json.images[0]).toEqual(expect.objectContaining({ budgetBytes: 150 * MiB, status: 'cached', layers: expect.any(Array) }));
      stdout = '';
      expect(await runMeasure({ app: path.join(work, 'cdk.out.plain'), stack: ['Small'], json: true })).toBe(1);
      expect((JSON.parse(stdout) as ImageReport).images.map(i => i.functions)).toEqual([['Small/LargeContext']]);
    });

    test('exit 2 on a build failure, with the tail of the docker output', async () => {
      const failing = path.join(work, 'cdk.out.fails');
      synth(failing, { measure: false, fixtures: ['build-fails', 'under-budget'] });
      expect(await runMeasure({ app: failing })).toBe(2);
      expect(stderr).toMatch(/❌ Main\/Fn0: the image did not build/);
      expect(stderr).toContain('about-to-fail');
      expect(stderr).toMatch(/exit code: 3/);
      expect(stdout).toMatch(/Main\/Fn0\s+[0-9a-f]{12}\s+build failed/);
      expect(stdout).toMatch(/Main\/Fn1\s+[0-9a-f]{12}\s+111(\.\d)? MiB/); // the other image is still measured
    });

    test('the build arg, build secret and target come from the asset manifest, as cdk deploy passes them', async () => {
      const token = path.join(work, 'token.txt');
      const secretValue = `token-${process.pid}-${Date.now()}`;
      fs.writeFileSync(token, secretValue);
      const out = path.join(work, 'cdk.out.options');
      const app = new App({ outdir: out, context: { 'aws:cdk:enable-path-metadata': true } });
      new DockerImageFunction(new Stack(app, 'Opts'), 'Fn', {
        code: DockerImageCode.fromImageAsset(path.join(fixtures, 'build-options'), {
          buildArgs: { MODE: 'prod' },
          buildSecrets: { token: DockerBuildSecret.fromSrc(token) },
          target: 'runtime',
          cacheDisabled: true, // --no-cache: BuildKit cannot serve the RUN steps from an earlier build
        }),
      });
      app.synth();
      // Nor can the engine serve the whole image (cdk-assets reuses an existing cdkasset-<hash>): every run really builds.
      const hash = Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'Opts.assets.json'), 'utf8')).dockerImages)[0];
      await docker(['image', 'rm', '-f', `cdkasset-${hash}`], { allowFailure: true });
      resetCalls();
      expect(await runMeasure({ app: out, json: true })).toBe(0);
      expect(engineCalls().filter(c => c.startsWith('build '))).toEqual([expect.stringMatching(
        /^build --build-arg MODE=prod --secret id=token,src=\S+token\.txt --tag cdkasset-[0-9a-f]{64} --target runtime --no-cache \.$/)]);
      const image = (JSON.parse(stdout) as ImageReport).images[0];
      expect(image.functions).toEqual(['Opts/Fn']);
      expect(image.layers!.filter(l => !l.base).map(l => [l.line, l.stage])).toEqual([[2, 'runtime'], [4, 'runtime'], [5, 'runtime'], [6, 'runtime']]);
      expect(JSON.stringify(image)).not.toContain(secretValue); // the report never carries a secret
    });

    test('exit 2 without an engine, with one clear line', async () => {
      process.env.CDK_DOCKER = path.join(work, 'no-such-docker');
      try {
        expect(await runMeasure({ app: path.join(work, 'cdk.out.plain') })).toBe(2);
      } finally {
        process.env.CDK_DOCKER = wrapper;
      }
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^❌ cannot measure: no Docker engine answers \(.*no-such-docker.*\)\. Start Docker, or set CDK_DOCKER/)]);
    });

    test('--app runs an app command with CDK_OUTDIR, as the CDK CLI does, then measures', async () => {
      const appFile = path.join(work, 'app.ts');
      const lib = path.join(__dirname, '..', '..', 'lib');
      fs.writeFileSync(appFile, [
        "import { App, Stack } from 'aws-cdk-lib';",
        "import { DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';",
        `import { ContainerImageChecks } from ${JSON.stringify(path.join(lib, 'checks'))};`,
        'const app = new App();',
        "const stack = new Stack(app, 'Cmd');",
        `new DockerImageFunction(stack, 'Fn', { code: DockerImageCode.fromImageAsset(${JSON.stringify(path.join(fixtures, 'under-budget'))}) });`,
        'ContainerImageChecks.applyTo(app);',
        '',
      ].join('\n'));
      const tsNode = require.resolve('ts-node/register/transpile-only');
      process.env.TS_NODE_PROJECT = path.join(__dirname, '..', 'tsconfig.json');
      process.env.NODE_PATH = path.join(__dirname, '..', '..', 'node_modules');
      const outdirOfApp = path.join(work, 'cdk.out.cmd');
      const code = await runMeasure({ app: `"${process.execPath}" -r "${tsNode}" "${appFile}"`, output: outdirOfApp, json: true });
      expect(stderr).not.toContain('❌');
      expect(code).toBe(0);
      expect(fs.existsSync(path.join(outdirOfApp, 'manifest.json'))).toBe(true);
      expect((JSON.parse(stdout) as ImageReport).images.map(i => i.functions)).toEqual([['Cmd/Fn']]);
    });
  });
});
