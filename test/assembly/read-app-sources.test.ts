// The one reader of the app's functions against the assemblies users have: from the `cdk synth` CLI (path metadata on),
// from `cdk synth --no-path-metadata`, and from a script's `new App().synth()` (no path metadata: as build scripts and
// tests synthesize); with functions in a stage and in a nested stack. Construct paths come out the same every time.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findFunction } from '../../lib/assembly/function-lookup';
import { AppAssembly, readApp } from '../../lib/assembly/read-app';

const CDK_CLI = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk');

/** The app, as a user's app file: one function with a URL, one in a nested stack, one in a stage. */
function appSource(functionDir: string): string {
  const cdk = JSON.stringify(path.dirname(require.resolve('aws-cdk-lib/package.json')));
  return `
const cdk = require(${cdk});
const lambda = require(${cdk} + '/aws-lambda');
const s3 = require(${cdk} + '/aws-s3');
const code = () => lambda.DockerImageCode.fromImageAsset(${JSON.stringify(functionDir)}, { cmd: ['app.handler'] });
const app = new cdk.App();
const inv = new cdk.Stack(app, 'Inv', { env: { account: '111122223333', region: 'eu-west-1' } });
const bucket = new s3.Bucket(inv, 'Bucket');
const ok = new lambda.DockerImageFunction(inv, 'Ok', {
  code: code(), memorySize: 512, timeout: cdk.Duration.seconds(20), architecture: lambda.Architecture.ARM_64,
  environment: { GREETING: 'hi', BUCKET: bucket.bucketName },
});
ok.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE, invokeMode: lambda.InvokeMode.RESPONSE_STREAM, cors: { allowedOrigins: ['https://example.com'] } });
const inner = new cdk.NestedStack(inv, 'Inner');
new lambda.DockerImageFunction(inner, 'Deep', { code: code(), functionName: 'deep-fn' });
new lambda.DockerImageFunction(new cdk.Stack(new cdk.Stage(app, 'Prod'), 'Two'), 'Staged', { code: code() });
app.synth();
`;
}

/** The image asset CDK made for the function at `stackRelativePath` (its display name is `<path>/AssetImage`). */
function assetOf(app: AppAssembly, stackRelativePath: string) {
  const asset = app.imageAssets.find(a => a.displayName === `${stackRelativePath}/AssetImage`);
  if (!asset) throw new Error(`no asset for ${stackRelativePath} among ${app.imageAssets.map(a => a.displayName).join(', ')}`);
  return asset;
}

describe('one reader, any assembly', () => {
  let work: string;
  const apps: { [source: string]: AppAssembly } = {};

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-read-app-'));
    const functionDir = path.join(work, 'fn');
    fs.mkdirSync(functionDir);
    fs.writeFileSync(path.join(functionDir, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /\n');
    fs.writeFileSync(path.join(work, 'app.js'), appSource(functionDir));
    const cli = (out: string, ...flags: string[]) => execFileSync(CDK_CLI,
      ['synth', '--app', `node ${path.join(work, 'app.js')}`, '--output', path.join(work, out), '--quiet', ...flags],
      { cwd: work, stdio: 'pipe', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_CLI_NOTICES: 'false' } });
    cli('cli.out', '--no-notices');
    cli('cli-no-path.out', '--no-notices', '--no-path-metadata', '--no-asset-metadata');
    // As a build script runs it: the app's own synth, no CLI, no path metadata.
    execFileSync(process.execPath, [path.join(work, 'app.js')], { cwd: work, env: { ...process.env, CDK_OUTDIR: path.join(work, 'script.out') } });
    for (const source of ['cli.out', 'cli-no-path.out', 'script.out']) apps[source] = readApp(path.join(work, source));
  }, 180_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('the script and --no-path-metadata assemblies really have no path metadata (the case this reader exists for)', () => {
    for (const source of ['script.out', 'cli-no-path.out']) {
      const template = JSON.parse(fs.readFileSync(path.join(work, source, 'Inv.template.json'), 'utf8'));
      expect(JSON.stringify(template)).not.toContain('aws:cdk:path');
    }
    const withMetadata = JSON.parse(fs.readFileSync(path.join(work, 'cli.out', 'Inv.template.json'), 'utf8'));
    expect(JSON.stringify(withMetadata)).toContain('aws:cdk:path');
  });

  test.each(['cli.out', 'cli-no-path.out', 'script.out'])('%s: construct paths, stacks and settings of every function', source => {
    const app = apps[source];
    expect(app.functions.map(f => f.path).sort()).toEqual(['Inv/Inner/Deep', 'Inv/Ok', 'Prod/Two/Staged']);
    const ok = findFunction(app.functions, 'Inv/Ok');
    expect(ok).toEqual({
      path: 'Inv/Ok',
      logicalId: expect.stringMatching(/^Ok[0-9A-F]{8}$/),
      stackName: 'Inv',
      stackId: 'Inv',
      region: 'eu-west-1',
      account: '111122223333',
      functionName: `Inv-${ok.logicalId}`,
      memoryMb: 512,
      timeoutSeconds: 20,
      architecture: 'arm64',
      environment: { GREETING: 'hi' },
      unresolvedEnvironment: ['BUCKET'],
      command: ['app.handler'],
      image: { kind: 'asset', asset: assetOf(app, 'Ok') },
      functionUrl: {
        logicalId: expect.stringMatching(/^OkFunctionUrl/),
        authType: 'NONE',
        invokeMode: 'RESPONSE_STREAM',
        cors: expect.objectContaining({ AllowOrigins: ['https://example.com'] }),
      },
    });
    expect(assetOf(app, 'Ok').source.platform).toBe('linux/arm64');
    // Lambda's defaults where the template leaves them out; a staged stack's path starts with the stage.
    const staged = findFunction(app.functions, 'Prod/Two/Staged');
    expect(staged).toEqual(expect.objectContaining({ stackName: 'Prod-Two', memoryMb: 128, timeoutSeconds: 3, architecture: 'x86_64' }));
    // Same directory and platform as Deep's: the same asset hash, listed once.
    expect(staged.image).toEqual({ kind: 'asset', asset: assetOf(app, 'Inner/Deep') });
    expect(app.imageAssets).toHaveLength(2);
  });

  test.each(['cli.out', 'cli-no-path.out', 'script.out'])('%s: a function in a nested stack is found, with its template\'s settings', source => {
    const app = apps[source];
    const deep = findFunction(app.functions, 'Inv/Inner/Deep');
    expect(deep).toEqual(expect.objectContaining({
      path: 'Inv/Inner/Deep',
      stackId: 'Inv',
      stackName: 'Inv',
      nestedStack: 'Inv/Inner',
      functionName: 'deep-fn',
      command: ['app.handler'],
      image: { kind: 'asset', asset: assetOf(app, 'Inner/Deep') },
    }));
    expect(findFunction(app.functions, 'deep-fn')).toBe(deep);
    expect(findFunction(app.functions, deep.logicalId)).toBe(deep);
    const nested = app.stacks.find(s => s.path === 'Inv/Inner')!;
    expect(nested.parent).toBe(app.stacks.find(s => s.path === 'Inv'));
    expect(nested.pathOf(deep.logicalId)).toBe('Inv/Inner/Deep');
    expect(app.unreadNestedStacks).toEqual([]);
  });

  test('a nested stack whose template is not in the assembly: a name inside it says so', () => {
    const app = apps['script.out'];
    const unread = { ...app, functions: app.functions.filter(f => !f.nestedStack), unreadNestedStacks: [{ path: 'Inv/Inner', reason: 'its template is missing' }] };
    expect(() => findFunction(unread.functions, 'Inv/Inner/Deep', unread.unreadNestedStacks))
      .toThrow('"Inv/Inner/Deep" is inside the nested stack Inv/Inner, whose functions cannot be read: its template is missing.');
  });

  test('the reader notices a nested template that is gone', () => {
    const copy = path.join(work, 'broken.out');
    fs.cpSync(path.join(work, 'script.out'), copy, { recursive: true });
    for (const file of fs.readdirSync(copy).filter(f => f.endsWith('.nested.template.json'))) fs.rmSync(path.join(copy, file));
    const app = readApp(copy);
    expect(app.unreadNestedStacks).toEqual([{ path: 'Inv/Inner', reason: expect.stringContaining('template') }]);
    expect(() => findFunction(app.functions, 'Inv/Inner/Deep', app.unreadNestedStacks)).toThrow(/inside the nested stack Inv\/Inner/);
  });
});
