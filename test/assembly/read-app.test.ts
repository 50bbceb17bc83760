import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Stage } from 'aws-cdk-lib';
import { DockerImageAsset, NetworkMode, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Architecture, DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { selectFunctions } from '../../lib/assembly/function-lookup';
import { readApp } from '../../lib/assembly/read-app';
import { resolveAssembly } from '../../lib/assembly/resolve-app';

describe('reading image assets and their functions from a cloud assembly', () => {
  let work: string;
  let outdir: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-read-assembly-'));
    for (const name of ['a', 'b', 'ecs']) {
      fs.mkdirSync(path.join(work, name));
      fs.writeFileSync(path.join(work, name, 'Dockerfile'), `FROM scratch\nCOPY . /${name}\n`);
      fs.writeFileSync(path.join(work, name, 'Dockerfile.alt'), 'FROM scratch\n');
    }
    outdir = path.join(work, 'cdk.out');
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const one = new Stack(app, 'One', { stackName: 'one-deployed' });
    new DockerImageFunction(one, 'Api', {
      code: DockerImageCode.fromImageAsset(path.join(work, 'a'), {
        platform: Platform.LINUX_ARM64, buildArgs: { MODE: 'prod' }, target: 'final', file: 'Dockerfile.alt', networkMode: NetworkMode.HOST,
      }),
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(30),
      memorySize: 512,
      environment: { STAGE: 'prod' },
    });
    new DockerImageFunction(one, 'Worker', { code: DockerImageCode.fromImageAsset(path.join(work, 'b')) });
    new DockerImageFunction(one, 'WorkerToo', { code: DockerImageCode.fromImageAsset(path.join(work, 'b')) }); // same asset
    new DockerImageAsset(one, 'ForEcs', { directory: path.join(work, 'ecs') });
    const stage = new Stage(app, 'Prod');
    new DockerImageFunction(new Stack(stage, 'Two'), 'Nested', { code: DockerImageCode.fromImageAsset(path.join(work, 'b')) });
    app.synth();
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('each asset once, with every build field from the manifest and the functions that run it', () => {
    const app = readApp(outdir);
    const assets = app.imageAssets;
    expect(assets).toHaveLength(3);
    const functionsOf = (asset: typeof assets[number]) => app.functions.filter(f => f.image.kind === 'asset' && f.image.asset === asset);
    const api = assets.find(a => functionsOf(a).some(f => f.path === 'One/Api'))!;
    expect(api.source).toEqual(expect.objectContaining({
      dockerBuildArgs: { MODE: 'prod' }, dockerBuildTarget: 'final', dockerFile: 'Dockerfile.alt', platform: 'linux/arm64', networkMode: 'host',
    }));
    expect(fs.existsSync(path.join(api.baseDirectory, api.source.directory!, 'Dockerfile.alt'))).toBe(true);
    expect(functionsOf(api)).toEqual([{
      path: 'One/Api',
      logicalId: expect.stringMatching(/^Api/),
      stackName: 'one-deployed',
      stackId: 'One',
      functionName: expect.stringMatching(/^one-deployed-Api/),
      architecture: 'arm64',
      environment: { STAGE: 'prod' },
      unresolvedEnvironment: [],
      timeoutSeconds: 30,
      memoryMb: 512,
      image: { kind: 'asset', asset: api },
    }]);
    const shared = assets.find(a => functionsOf(a).some(f => f.path === 'One/Worker'))!;
    expect(functionsOf(shared).map(f => f.path).sort()).toEqual(['One/Worker', 'One/WorkerToo', 'Prod/Two/Nested']);
    const ecs = assets.find(a => functionsOf(a).length === 0)!;
    expect(ecs.displayName).toBe('ForEcs');
  });

  test('selection by stack (name, artifact id, hierarchical id, wildcard) and by function path', () => {
    const app = readApp(outdir);
    const paths = (functions: ReturnType<typeof selectFunctions>) => functions.map(f => f.path).sort();
    expect(paths(selectFunctions(app, { stacks: ['one-deployed'], functions: ['One/Api'] }))).toEqual(['One/Api']);
    expect(paths(selectFunctions(app, { stacks: ['Prod/*'] }))).toEqual(['Prod/Two/Nested']);
    expect(paths(selectFunctions(app, { functions: ['One'] }))).toEqual(['One/Api', 'One/Worker', 'One/WorkerToo']); // a path selects the functions below it
    expect(() => selectFunctions(app, { functions: ['Nope/Fn'] })).toThrow(/no container-image function "Nope\/Fn"/);
    expect(paths(selectFunctions(app, { stacks: ['One'] }))).toEqual(['One/Api', 'One/Worker', 'One/WorkerToo']);
  });

  test('--app as a directory reads it; a directory that is no assembly is named with the fix', async () => {
    expect(await resolveAssembly({ app: outdir })).toEqual({ directory: outdir, synthesized: false });
    await expect(resolveAssembly({ app: work })).rejects.toThrow(`${work} is a directory but not a cloud assembly (no manifest.json). Pass the output directory of cdk synth, e.g. --app cdk.out.`);
  });
});

describe('resolveAssembly: --app as the CDK CLI reads it', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-resolve-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('without --app, the app of cdk.json runs with CDK_OUTDIR and CDK_CONTEXT_JSON (cdk.json, cdk.context.json, --context)', async () => {
    // The "app" writes what it was given into its outdir, plus a minimal manifest.
    fs.writeFileSync(path.join(dir, 'app.js'), [
      "const fs = require('fs'); const path = require('path');",
      'const out = process.env.CDK_OUTDIR;',
      "fs.writeFileSync(path.join(out, 'context.json'), process.env.CDK_CONTEXT_JSON);",
      "fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts: {} }));",
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'app.js', output: 'out', context: { fromJson: 1, both: 'json' } }));
    fs.writeFileSync(path.join(dir, 'cdk.context.json'), JSON.stringify({ both: 'context-file' }));
    const resolved = await resolveAssembly({ cwd: dir, context: { extra: 'x' } });
    expect(resolved).toEqual({ directory: path.join(dir, 'out'), synthesized: true });
    // Exactly this: both metadata flags the CDK CLI turns on (the asset one is what `sam local` and our own tools read).
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'context.json'), 'utf8'))).toEqual({
      'fromJson': 1, 'both': 'context-file', 'extra': 'x', 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true,
    });
  });

  test('no --app and no cdk.json: says where an app is expected', async () => {
    await expect(resolveAssembly({ cwd: dir })).rejects.toThrow('--app is required either on the command line or in cdk.json');
  });

  test('a failing app command: its exit code and the tail of its output', async () => {
    await expect(resolveAssembly({ cwd: dir, app: 'echo synth-broke >&2; exit 4', onOutput: () => undefined }))
      .rejects.toThrow(/the app command 'echo synth-broke >&2; exit 4' exited with code 4\. Fix the app so that `cdk synth` succeeds, then retry\.\nsynth-broke/);
  });
});
