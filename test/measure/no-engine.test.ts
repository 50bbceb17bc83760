/**
 * Without a Docker engine (CDK_DOCKER names a client that does not exist): a measured synth says so in one line and
 * keeps the static estimate; `measure` exits 2. Runs everywhere — no engine needed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Size, Stack } from 'aws-cdk-lib';
import { DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { ContainerImageChecks } from '../../lib/checks';
import { runMeasure } from '../../lib/cli/commands/measure';
import { createProgram } from '../../lib/cli/main';
import { ImageReport, REPORT_FILE } from '../../lib/measure/report';
import { MEASURE_CONTEXT, MEASURE_ENV } from '../../lib/measure/synth-measurer';

describe('without a Docker engine', () => {
  let work: string;
  let stderr: string;
  let spy: jest.SpyInstance;
  const saved = { ...process.env };

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-no-engine-'));
    for (const name of ['a', 'b']) {
      fs.mkdirSync(path.join(work, name));
      fs.writeFileSync(path.join(work, name, 'Dockerfile'), `FROM local/debian:bookworm\nCOPY data.bin /${name}.bin\n`);
      fs.writeFileSync(path.join(work, name, 'data.bin'), Buffer.alloc(2 * 1024 * 1024));
    }
    process.env.CDK_DOCKER = path.join(work, 'no-such-docker');
    process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR = path.join(work, 'cache');
    stderr = '';
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { stderr += chunk; return true; });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    spy.mockRestore();
    process.env = { ...saved };
    fs.rmSync(work, { recursive: true, force: true });
  });

  function synth(context: { [key: string]: unknown }) {
    const app = new App({ outdir: path.join(work, 'cdk.out'), context });
    const stack = new Stack(app, 'S');
    new DockerImageFunction(stack, 'A', { code: DockerImageCode.fromImageAsset(path.join(work, 'a')) });
    new DockerImageFunction(stack, 'B', { code: DockerImageCode.fromImageAsset(path.join(work, 'b')) });
    ContainerImageChecks.applyTo(app, { defaultMaxImageSize: Size.mebibytes(1) });
    return app.synth();
  }

  test.each([
    ['context', { [MEASURE_CONTEXT]: true }, undefined],
    ['context as a string (cdk synth -c)', { [MEASURE_CONTEXT]: 'true' }, undefined],
    ['environment variable', {}, '1'],
  ])('a measured synth (%s): one line says why, the static estimate applies, the synth succeeds', (_, context, env) => {
    if (env) process.env[MEASURE_ENV] = env;
    const assembly = synth(context);
    const lines = stderr.split('\n').filter(l => l.includes('cdk-container-function'));
    expect(lines).toEqual([expect.stringMatching(
      /^cdk-container-function: image sizes not measured: no Docker engine answers \(.*no-such-docker.*\)\. The static size estimates apply\. Start Docker, or set CDK_DOCKER to a working client, to measure\.$/)]);
    const ccf010 = assembly.getStackByName('S').messages.filter(m => String(m.entry.data).startsWith('CCF010'));
    expect(ccf010.map(m => String(m.entry.data))).toEqual([
      expect.stringContaining('image estimated ≥ 2 MiB is over its budget of 1 MiB'),
      expect.stringContaining('image estimated ≥ 2 MiB is over its budget of 1 MiB'),
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', REPORT_FILE), 'utf8')) as ImageReport;
    expect(report.images.map(i => [i.functions, i.status, i.estimatedBytes, i.budgetBytes])).toEqual([
      [['S/A'], 'estimated', 2 * 1024 * 1024, 1024 * 1024],
      [['S/B'], 'estimated', 2 * 1024 * 1024, 1024 * 1024],
    ]);
    expect(report.images[0].error).toMatch(/^no Docker engine/);
  });

  test('an unmeasured synth never asks for an engine', () => {
    synth({});
    expect(stderr).not.toContain('cdk-container-function');
    const report = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', REPORT_FILE), 'utf8')) as ImageReport;
    expect(report.images.every(i => i.status === 'estimated')).toBe(true);
  });

  test('measure exits 2 and says why, never passing silently', async () => {
    synth({});
    expect(await runMeasure({ app: path.join(work, 'cdk.out') })).toBe(2);
    expect(stderr).toMatch(/^❌ cannot measure: no Docker engine answers \(.*\)\. Start Docker, or set CDK_DOCKER to a working client\.\n$/);
  });

  test('through the command line: `cdk-container-function measure --app <dir>` sets exit code 2', async () => {
    synth({});
    const savedExitCode = process.exitCode;
    try {
      await createProgram().parseAsync(['measure', '--app', path.join(work, 'cdk.out'), '--stack', 'S', '--function', 'S/A', '--no-cache'], { from: 'user' });
      expect(process.exitCode).toBe(2);
    } finally {
      process.exitCode = savedExitCode;
    }
    expect(stderr).toContain('❌ cannot measure: no Docker engine answers');
  });

  /** Plants a cache record for every image asset of the synthesized app (as another process or user could). */
  function plant(record: unknown): string[] {
    const report = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', REPORT_FILE), 'utf8')) as ImageReport;
    const cacheDir = path.join(work, 'cache');
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const hashes = report.images.map(i => i.assetHash);
    for (const hash of hashes) fs.writeFileSync(path.join(cacheDir, `${hash}.json`), JSON.stringify(record));
    return hashes;
  }

  test('a planted cache record ({"version":1,"sizeBytes":1000,"layers":[]}) does not pass `measure --budget 1MB`: it is a miss, warned once', async () => {
    synth({});
    const hashes = plant({ version: 1, sizeBytes: 1000, layers: [] });
    // A client whose engine answers the probe (`docker info`) and fails every build: a miss can only fail, a hit would pass.
    const client = path.join(work, 'docker-that-cannot-build');
    fs.writeFileSync(client, '#!/bin/sh\ncat >/dev/null\nif [ "$1" = info ]; then echo \'{"ServerVersion":"27.0.0"}\'; exit 0; fi\necho "no build here: $1" >&2\nexit 1\n', { mode: 0o755 });
    process.env.CDK_DOCKER = client;
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runMeasure({ app: path.join(work, 'cdk.out'), budget: '1MB' })).toBe(2);
    for (const hash of hashes) {
      expect(stderr.split(`cached measurement ${path.join(work, 'cache', `${hash}.json`)} ignored`).length - 1).toBe(1);
    }
    expect(stderr).toContain('the image did not build or could not be measured');
  }, 60_000);

  test('a planted record with "layers":"x" does not crash a measured synth: the static estimate applies', () => {
    synth({});
    plant({ version: 1, imageId: 'sha256:x', sizeBytes: 10, baseBytes: 0, ownBytes: 10, reclaimableBytes: 0, layers: 'x', measuredAt: 'now' });
    stderr = '';
    const assembly = synth({ [MEASURE_CONTEXT]: true });
    expect(stderr).toMatch(/ignored: layers is not a list/);
    const report = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', REPORT_FILE), 'utf8')) as ImageReport;
    expect(report.images.map(i => i.status)).toEqual(['estimated', 'estimated']);
    expect(assembly.getStackByName('S').messages.some(m => String(m.entry.data).startsWith('CCF010'))).toBe(true);
  });

  test('measure: an unreadable --budget is a usage error (exit 2) naming the value', async () => {
    expect(await runMeasure({ app: path.join(work, 'cdk.out'), budget: 'big' })).toBe(2);
    expect(stderr).toContain("❌ --budget: 'big' is not a size. Write it like 500MiB, 1.5GiB or 1048576 (bytes).");
  });
});
