// The `invoke` and `serve` subcommands as users run them, each in its own process, against an app
// built with plain aws-cdk-lib (DockerImageFunction): --env-vars and unresolved values, and no
// container left after SIGINT or SIGTERM.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { App, Duration, Stack, aws_lambda as lambda, aws_s3 as s3 } from 'aws-cdk-lib';
import { removeAssetImages } from './support/asset-variant';
import { describeWithDocker, docker } from './support/docker';
import { ensureStandIns } from './support/standins';
import { FUNCTIONS } from './support/workspace';
import { OWNER_LABEL } from '../../lib/local/runtime/sandbox';

jest.setTimeout(20 * 60_000);

const ROOT = path.join(__dirname, '..', '..');

function start(args: string[], input = ''): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>; stderr: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
  });
  child.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', d => { stdout += d; });
  child.stderr!.on('data', d => { stderr += d; });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(resolve =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

async function waitFor(what: () => string, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(what());
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output so far:\n${what()}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

async function containersOf(pid: number | undefined): Promise<string[]> {
  const r = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${pid}`, '--format', '{{.Names}}']);
  return r.stdout.split('\n').filter(Boolean);
}

describeWithDocker('invoke and serve subcommands (own processes)', () => {
  let outdir: string;
  let noPathOut: string;

  beforeAll(async () => {
    const { nodeTag } = await ensureStandIns();
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cli-app-'));
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'CliApp');
    const bucket = new s3.Bucket(stack, 'Data');
    const code = (cmd: string) => lambda.DockerImageCode.fromImageAsset(path.join(FUNCTIONS, 'local-node'), { buildArgs: { BASE: nodeTag }, cmd: [cmd] });
    new lambda.DockerImageFunction(stack, 'Echo', { code: code('index.ok'), environment: { GREETING: 'hello', BUCKET: bucket.bucketName }, memorySize: 512 });
    new lambda.DockerImageFunction(stack, 'Sleeper', { code: code('index.sleep'), timeout: Duration.seconds(60) });
    app.synth();
    // As a build script synthesizes: no path metadata in the template.
    noPathOut = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cli-nopath-'));
    const plain = new App({ outdir: noPathOut });
    new lambda.DockerImageFunction(new Stack(plain, 'NoPath'), 'Echo', { code: code('index.ok'), environment: { GREETING: 'no path metadata' } });
    plain.synth();
  });

  // One hook, images first: the assemblies name the images to remove, so they go after them.
  afterAll(async () => {
    for (const dir of [outdir, noPathOut]) {
      if (!dir) continue;
      await removeAssetImages(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('invoke Stack/Fn on an assembly without path metadata; an --env-vars key that names no function is pointed out', async () => {
    expect(fs.readFileSync(path.join(noPathOut, 'NoPath.template.json'), 'utf8')).not.toContain('aws:cdk:path');
    const envFile = path.join(noPathOut, 'env.json');
    fs.writeFileSync(envFile, JSON.stringify({ 'NoPath/Ekho': { EXTRA: 'typo' }, 'NoPath/Echo': { EXTRA: 'set' } }));
    const r = await start(['invoke', 'NoPath/Echo', '--app', noPathOut, '--env-vars', envFile]).done;
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout).env).toMatchObject({ GREETING: 'no path metadata', EXTRA: 'set' });
    expect(r.stderr).toContain('--env-vars: "NoPath/Ekho" names no function of this app');
    expect(r.stderr).not.toContain('"NoPath/Echo" names no function');
  });

  test('invoke: unresolved values listed by name, --env-vars sets them and undeclared ones, result on stdout', async () => {
    const envFile = path.join(outdir, 'env.json');
    fs.writeFileSync(envFile, JSON.stringify({ 'CliApp/Echo': { EXTRA: 'undeclared' } }));
    const first = start(['invoke', 'CliApp/Echo', '--app', outdir, '--env-vars', envFile]);
    const r = await first.done;
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(r.stderr).toContain('CliApp/Echo: unresolved until deployed, set them with --env-vars: BUCKET\n');
    const out = JSON.parse(r.stdout);
    expect(out.env).toMatchObject({ GREETING: 'hello', EXTRA: 'undeclared', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' });
    expect(out.env.BUCKET).toBeUndefined();
    expect(r.stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\n$/);

    fs.writeFileSync(envFile, JSON.stringify({ Parameters: { BUCKET: 'my-local-bucket' } }));
    const second = await start(['invoke', 'CliApp/Echo', '--app', outdir, '--env-vars', envFile, '--no-build', '--event', '-'], '{"from":"stdin"}').done;
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('unresolved');
    expect(JSON.parse(second.stdout)).toMatchObject({ echo: { from: 'stdin' }, env: { BUCKET: 'my-local-bucket' } });
  });

  test('invoke: SIGINT while the function runs removes its container', async () => {
    const run = start(['invoke', 'CliApp/Sleeper', '--app', outdir, '--no-build']);
    await waitFor(run.stderr, /still sleeping/);
    expect(await containersOf(run.child.pid)).toHaveLength(1);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(await containersOf(run.child.pid)).toEqual([]);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('serve: the AWS SDK calls it; %s removes every container', async signal => {
    const serve = start(['serve', '--app', outdir, '--no-build', '--port', '0', '--warm']);
    const [, port] = await waitFor(serve.stderr, /Lambda Invoke API at http:\/\/127\.0\.0\.1:(\d+)/);
    const client = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const results = await Promise.all([1, 2, 3].map(n => client.send(new InvokeCommand({ FunctionName: 'CliApp/Echo', Payload: Buffer.from(JSON.stringify({ n })) }))));
    expect(results.map(r => JSON.parse(Buffer.from(r.Payload!).toString()).echo.n)).toEqual([1, 2, 3]);
    // A request still running when the signal comes.
    void client.send(new InvokeCommand({ FunctionName: 'CliApp/Sleeper' })).catch(() => undefined);
    await waitFor(serve.stderr, /still sleeping/);
    expect((await containersOf(serve.child.pid)).length).toBeGreaterThanOrEqual(3);
    serve.child.kill(signal);
    const r = await serve.done;
    client.destroy();
    expect(r.code).toBe(0);
    expect(await containersOf(serve.child.pid)).toEqual([]);
  });
});
