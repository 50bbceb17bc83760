// Local invoke against the real engine: the real aws-lambda-ric (Node.js stand-in) and our Python
// bootstrap poll the host-side Runtime API; every Lambda-shaped failure, and no container left behind.
import { describeWithDocker, docker } from './support/docker';
import { arm64ScratchImage, leftoverContainers, nodeFunctionImage, pythonFunctionImage, testFunctionSpec } from './support/local-images';
import { AppFunction } from '../../lib/assembly/app-function';
import { engineInfo } from '../../lib/docker';
import { emulationRegistered, ociArch } from '../../lib/local/functions/architecture';
import { LocalFunction } from '../../lib/local/functions/local-function';
import { RequestTooLargeError, invokeOnce } from '../../lib/local/runtime/invoke-once';
import { currentOwner, ownerLabelArgs } from '../../lib/local/runtime/owner';
import { InvocationResult } from '../../lib/local/runtime/sandbox';
import { removeStaleContainers } from '../../lib/local/runtime/stale-containers';

jest.setTimeout(20 * 60_000);

const spec = testFunctionSpec;

async function run(image: string, s: Partial<AppFunction>, event: unknown = {}, environment = {}): Promise<{ r: InvocationResult; log: string }> {
  const fn = await LocalFunction.prepare({ fn: spec(image, s), image, environment, region: 'eu-west-1' });
  let log = '';
  const r = await invokeOnce(fn, Buffer.from(JSON.stringify(event)), { log: t => { log += t; } });
  return { r, log };
}

const json = (r: InvocationResult) => JSON.parse(r.payload.toString('utf8'));

describeWithDocker('local invoke (real aws-lambda-ric)', () => {
  let node: string;
  beforeAll(async () => { node = await nodeFunctionImage(); });
  afterEach(async () => { expect(await leftoverContainers()).toEqual([]); });

  test('success: the result, the settings as Lambda sets them, logs and a REPORT with the real peak', async () => {
    const { r, log } = await run(node, { command: ['index.ok'], memoryMb: 384 }, { hello: 'world' }, { GREETING: 'hi', EXTRA: 'set by --env-vars' });
    expect(r.functionError).toBeUndefined();
    const out = json(r);
    expect(out.echo).toEqual({ hello: 'world' });
    expect(out.requestId).toBe(r.requestId);
    expect(out.functionName).toBe('Local-FnABC123');
    expect(out.memoryLimitInMB).toBe('384');
    expect(out.remainingMs).toBeGreaterThan(5000);
    expect(out.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'Local-FnABC123',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '384',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/Local-FnABC123',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      _HANDLER: 'index.ok',
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      TZ: ':UTC',
      GREETING: 'hi',
      EXTRA: 'set by --env-vars',
    });
    expect(out.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(out.env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(log).toContain(`START RequestId: ${r.requestId} Version: $LATEST`);
    expect(log).toMatch(/handling \{"hello":"world"\}/);
    const report = /REPORT RequestId: (\S+)\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 384 MB\tMax Memory Used: (\d+) MB\tInit Duration: [\d.]+ ms\n$/.exec(log);
    expect(report?.[1]).toBe(r.requestId);
    // The cgroup's own high-water mark: a Node.js runtime uses some tens of MB, not the configured 384.
    const used = Number(report![2]);
    expect(used).toBeGreaterThan(5);
    expect(used).toBeLessThan(384);
    expect(log.indexOf('handling')).toBeLessThan(log.indexOf('END RequestId'));
  });

  test('handler throws: the runtime\'s error in Lambda\'s shape', async () => {
    const { r, log } = await run(node, { command: ['index.throws'] });
    expect(r.functionError).toMatchObject({ errorType: 'TypeError', errorMessage: 'the handler failed on purpose' });
    expect(json(r).trace.join('\n')).toMatch(/TypeError: the handler failed on purpose/);
    expect(log).toContain('about to fail');
  });

  test('timeout: stopped at Timeout, Sandbox.Timedout, the log line and REPORT Status: timeout', async () => {
    const { r, log } = await run(node, { command: ['index.sleep'], timeoutSeconds: 1 });
    expect(json(r)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds` });
    expect(log).toMatch(new RegExp(`\\dZ ${r.requestId} Task timed out after 1.00 seconds`));
    // Duration is measured: the timer fires at the Timeout, not 10 times later (a correctness bound, not a benchmark).
    const duration = Number(/\tDuration: ([\d.]+) ms\t.*\tStatus: timeout\n$/.exec(log)?.[1]);
    expect(duration).toBeGreaterThanOrEqual(1000);
    expect(duration).toBeLessThan(3000);
  });

  test('init error: a missing handler module', async () => {
    const { r, log } = await run(node, { command: ['missing.handler'] });
    expect(r.functionError?.errorType).toBe('Runtime.ImportModuleError');
    expect(r.functionError?.errorMessage).toMatch(/missing/);
    expect(log).toMatch(/Status: error\tError Type: Runtime.ImportModuleError/);
  });

  test('init error: a module whose initialisation throws', async () => {
    const { r } = await run(node, { command: ['init-fails.handler'] });
    expect(r.reusable).toBe(false);
    expect(r.functionError?.errorMessage).toMatch(/cannot initialise: missing configuration/);
    expect(r.status).toEqual({ status: 'error', errorType: r.functionError?.errorType });
  });

  test('a request over 6 MB is refused before anything starts', async () => {
    const fn = await LocalFunction.prepare({ fn: spec(node, { command: ['index.ok'] }), image: node, environment: {}, region: 'eu-west-1' });
    const started: unknown[] = [];
    const big = Buffer.from(JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) }));
    await expect(invokeOnce(fn, big, { log: () => undefined, onStarted: s => started.push(s) }))
      .rejects.toThrow(new RequestTooLargeError(`RequestEntityTooLargeException: ${big.length} byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)`));
    expect(started).toEqual([]);
  });

  test('a response over the limit: Function.ResponseSizeTooLarge', async () => {
    const { r } = await run(node, { command: ['index.big'] });
    expect(json(r)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
  });

  test('over MemorySize: killed as Lambda reports it, Max Memory Used = Memory Size', async () => {
    const { r, log } = await run(node, { command: ['index.hog'], memoryMb: 128 });
    expect(json(r)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: signal: killed` });
    expect(log).toMatch(/Memory Size: 128 MB\tMax Memory Used: 128 MB\tInit Duration: [\d.]+ ms\tStatus: error\tError Type: Runtime.OutOfMemory\n$/);
  });

  test('ImageConfig entry point and working directory are applied', async () => {
    // The entry point gets the command as its arguments, as Lambda passes them.
    const entryPoint = ['/bin/sh', '-c', 'echo "entry point override for $0"; exec /lambda-entrypoint.sh "$0"'];
    const { r, log } = await run(node, { entryPoint, command: ['index.ok'], workingDirectory: '/opt/alt' });
    expect(json(r)).toMatchObject({ cwd: '/opt/alt', env: { _HANDLER: 'index.ok' } });
    expect(log).toContain('entry point override for index.ok');
  });

  test('containers of an owner that died (kill -9) are removed by the next run', async () => {
    const name = `ccf-stale-${process.pid}`;
    // This namespace, this boot, this host, and a pid with no such process: provably gone.
    await docker(['create', '--name', name, ...ownerLabelArgs({ ...currentOwner(), pid: 999999999 }), node]);
    expect(await removeStaleContainers()).toContain(name);
    expect((await docker(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Names}}'])).stdout.trim()).toBe('');
  });

  test('architecture: a clear message instead of "exec format error"', async () => {
    const arm64 = await arm64ScratchImage();
    const engine = await engineInfo();
    const prepare = (architecture: string) => LocalFunction.prepare({ fn: spec(arm64, { architecture }), image: arm64, environment: {}, region: 'eu-west-1' });
    await expect(prepare('x86_64')).rejects.toThrow('Local/Fn is an x86_64 function but its image was built for arm64. Rebuild for linux/amd64');
    if (ociArch(engine.architecture) === 'arm64') return; // an arm64 engine runs it natively
    if (emulationRegistered('arm64')) {
      await expect(prepare('arm64')).resolves.toBeDefined();
    } else {
      await expect(prepare('arm64')).rejects.toThrow(/^Local\/Fn is an arm64 function and this Docker engine runs x86_64 without arm64 emulation, so the container would fail with "exec format error". Register QEMU emulation for arm64/);
    }
  });

  test('Python handler (the stand-in\'s bootstrap)', async () => {
    const python = await pythonFunctionImage();
    const { r, log } = await run(python, { memoryMb: 128 }, { n: 1 });
    expect(json(r)).toEqual({ python: true, echo: { n: 1 }, function: 'Local-FnABC123' });
    expect(log).toContain('python handling');
  });
});
