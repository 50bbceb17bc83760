// The sandbox around a fake Docker client: the `docker run` arguments, and a fake "container" that runs an
// in-process runtime against the real Runtime API server, so timeouts take real wall-clock time and exits
// and signals map to Lambda's errors as the real client's exit status reports them.
import { EventEmitter } from 'events';
import * as http from 'http';
import { PassThrough } from 'stream';
import { appFunction } from './app-function.fixture';
import { AppFunction } from '../../../lib/assembly/app-function';
import { currentOwner } from '../../../lib/local/runtime/owner';
import { RuntimeApiServer } from '../../../lib/local/runtime/runtime-api';
import { Sandbox, SandboxOptions } from '../../../lib/local/runtime/sandbox';

/** What the fake container does once started. */
type Script = (api: string, container: FakeContainer) => Promise<void> | void;

class FakeContainer extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  running = true;
  /** When `docker run` was called (epoch ms). */
  readonly spawnedAt = Date.now();
  constructor(readonly args: string[], readonly env: { [k: string]: string }) { super(); }
  /** The container ends: the attached client exits with its status. */
  exit(code: number | null): void {
    if (!this.running) return;
    this.running = false;
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => this.emit('close', code));
  }
  kill(): boolean { this.exit(null); return true; }
}

const docker = {
  containers: [] as FakeContainer[],
  removed: [] as string[],
  script: (() => undefined) as Script,
  /** How long the engine takes to create and start a container after `docker run` (the engine reports its start time). */
  startDelayMs: 0,
};

jest.mock('../../../lib/docker', () => ({
  spawnDocker: (args: string[], env: { [k: string]: string }) => {
    const c = new FakeContainer(args, env);
    docker.containers.push(c);
    setImmediate(() => void Promise.resolve(docker.script(env.AWS_LAMBDA_RUNTIME_API, c)).catch(() => c.exit(1)));
    return c;
  },
  // `docker rm -f` kills the container; the attached client then exits 137.
  removeContainers: async (names: string[]) => {
    docker.removed.push(...names);
    for (const c of docker.containers) if (names.includes(c.args[c.args.indexOf('--name') + 1])) c.exit(137);
  },
  // As `docker container inspect`: a container that has not started yet has no addresses and no start time.
  containerAddresses: async (name: string) => {
    const c = docker.containers.find(x => x.args[x.args.indexOf('--name') + 1] === name);
    const startedAt = c ? c.spawnedAt + docker.startDelayMs : undefined;
    if (startedAt === undefined || Date.now() < startedAt) return { id: 'f'.repeat(64), addresses: [] };
    return { id: 'f'.repeat(64), addresses: ['127.0.0.1'], startedAt };
  },
  execIn: async () => undefined,
}));

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One Runtime API call, as a runtime client makes it. */
function http1(api: string, method: string, path: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`http://${api}/2018-06-01/runtime${path}`, { method, headers, agent: false }, res => {
      let d = '';
      res.on('data', c => { d += c; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: d }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A runtime: poll next, hand the event to `handle`, post what it returns (or hang, or exit with a status). */
function runtime(handle: (event: string, c: FakeContainer) => Promise<{ path: 'response' | 'error'; body: string; headers?: http.OutgoingHttpHeaders } | 'hang' | number>): Script {
  return async (api, c) => {
    for (;;) {
      const next = await http1(api, 'GET', '/invocation/next');
      const id = next.headers['lambda-runtime-aws-request-id'] as string;
      const r = await handle(next.body, c);
      if (r === 'hang') return;
      if (typeof r === 'number') { c.exit(r); return; }
      await http1(api, 'POST', `/invocation/${id}/${r.path}`, r.body, r.headers);
    }
  };
}

const spec = appFunction;

const options = (s: Partial<AppFunction> = {}, o: Partial<SandboxOptions> = {}): SandboxOptions => ({
  fn: spec(s),
  image: 'img:1',
  imageInfo: { id: 'sha256:1', architecture: 'amd64', entrypoint: ['/lambda-entrypoint.sh'], cmd: ['app.handler'], workingDir: '/var/task', env: ['LAMBDA_TASK_ROOT=/var/task'] },
  environment: { AWS_SECRET_ACCESS_KEY: 'secret', GREETING: 'hi' },
  region: 'eu-west-1',
  host: { bind: '127.0.0.1', advertise: '127.0.0.1', runArgs: [], peers: 'loopback' },
  ...o,
});

describe('Sandbox with a fake Docker client', () => {
  const started: Sandbox[] = [];
  beforeEach(() => { docker.containers = []; docker.removed = []; docker.startDelayMs = 0; });
  afterEach(async () => { await Promise.all(started.splice(0).map(s => s.destroy())); });

  async function start(script: Script, s: Partial<AppFunction> = {}, o: Partial<SandboxOptions> = {}): Promise<Sandbox> {
    docker.script = script;
    const sandbox = await Sandbox.start(options(s, o));
    started.push(sandbox);
    return sandbox;
  }

  test('docker run: --rm, owner labels, platform, memory with no swap beyond it, env by name only, entry point and command', async () => {
    const owner = currentOwner();
    await start(runtime(async () => 'hang'), { memoryMb: 512, entryPoint: ['/bin/sh', '-c'], command: ['index.ok'], workingDirectory: '/w', architecture: 'arm64' });
    const args = docker.containers[0].args;
    const name = args[args.indexOf('--name') + 1];
    expect(name).toMatch(new RegExp(`^ccf-local-${process.pid}-\\d+-[0-9a-f]{6}$`));
    expect(args.slice(0, 2)).toEqual(['run', '--rm']);
    expect(args).toEqual(expect.arrayContaining(['--label', `cdk-container-function.local.owner=${process.pid}`]));
    expect(args.find(a => a.startsWith('cdk-container-function.local.owner-identity='))).toBe(
      `cdk-container-function.local.owner-identity=${[owner.bootId, owner.pidNamespace, owner.hostname, owner.startTicks].map(encodeURIComponent).join('/')}`);
    const flag = (f: string) => args[args.indexOf(f) + 1];
    expect(flag('--platform')).toBe('linux/arm64');
    expect(flag('--memory')).toBe('512m');
    expect(flag('--memory-swap')).toBe('512m');
    expect(flag('--workdir')).toBe('/w');
    expect(args.slice(args.indexOf('--entrypoint'))).toEqual(['--entrypoint', '/bin/sh', 'img:1', '-c', 'index.ok']);
    // Values travel in the client's environment, never on its command line.
    expect(args.join(' ')).not.toContain('secret');
    const names = args.flatMap((a, i) => a === '-e' ? [args[i + 1]] : []);
    expect(names).toEqual(expect.arrayContaining(['AWS_SECRET_ACCESS_KEY', 'GREETING', 'AWS_LAMBDA_RUNTIME_API', '_HANDLER']));
    const env = docker.containers[0].env;
    expect(env).toMatchObject({ AWS_SECRET_ACCESS_KEY: 'secret', GREETING: 'hi', AWS_REGION: 'eu-west-1', _HANDLER: 'index.ok', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' });
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  test('the image\'s own entry point and command when the function sets none', async () => {
    await start(runtime(async () => 'hang'));
    const args = docker.containers[0].args;
    expect(args[args.length - 1]).toBe('img:1');
    expect(args).not.toContain('--entrypoint');
    expect(docker.containers[0].env._HANDLER).toBe('app.handler');
  });

  test('an answer: the payload, reusable, REPORT numbers from a measured run', async () => {
    const s = await start(runtime(async e => ({ path: 'response', body: JSON.stringify({ got: JSON.parse(e) }) })));
    const r = await s.invoke(Buffer.from('{"a":1}'));
    expect(JSON.parse(r.payload.toString())).toEqual({ got: { a: 1 } });
    expect(r.reusable).toBe(true);
    expect(r.functionError).toBeUndefined();
    expect(r.initDurationMs).toBeGreaterThanOrEqual(0);
    const second = await s.invoke(Buffer.from('{"a":2}'));
    expect(second.initDurationMs).toBeUndefined();
  });

  test('a timeout is measured on the wall clock: it fires at Timeout, not later, and the environment is removed', async () => {
    const s = await start(runtime(async () => 'hang'), { timeoutSeconds: 1 });
    const t0 = performance.now();
    const r = await s.invoke(Buffer.from('{}'));
    const elapsed = performance.now() - t0;
    expect(r.functionError?.errorType).toBe('Sandbox.Timedout');
    expect(r.status).toEqual({ status: 'timeout' });
    expect(r.reusable).toBe(false);
    // Correctness bounds, not a benchmark: at the Timeout (1 s), not 10 times later.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(5000);
    expect(r.durationMs).toBeGreaterThanOrEqual(1000);
    expect(r.durationMs).toBeLessThan(5000);
    expect(docker.removed).toContain(s.name);
    expect(s.alive).toBe(false);
  });

  test.each([
    [137, 'Runtime.OutOfMemory', 'Runtime exited with error: signal: killed'],
    [139, 'Runtime.ExitError', 'Runtime exited with error: signal: segmentation fault'],
    [134, 'Runtime.ExitError', 'Runtime exited with error: signal: aborted'],
    [143, 'Runtime.ExitError', 'Runtime exited with error: signal: terminated'],
    [3, 'Runtime.ExitError', 'Runtime exited with error: exit status 3'],
    [129, 'Runtime.ExitError', 'Runtime exited with error: exit status 129'],
  ])('the container exits %i mid-invocation: %s (%s)', async (code, type, message) => {
    const s = await start(runtime(async () => code), { memoryMb: 128 });
    const r = await s.invoke(Buffer.from('{}'));
    expect(r.functionError).toEqual({ errorType: type, errorMessage: `RequestId: ${r.requestId} Error: ${message}` });
    expect(r.status).toEqual({ status: 'error', errorType: type });
    expect(r.reusable).toBe(false);
    // Killed at the memory limit, Lambda reports Max Memory Used = Memory Size.
    if (type === 'Runtime.OutOfMemory') expect(r.maxMemoryBytes).toBe(128 * 1024 * 1024);
  });

  test('exec format error in the output: the architecture is named instead of an exit status', async () => {
    const s = await start((_api, c) => { c.stderr.write('exec /lambda-entrypoint.sh: exec format error\n'); setTimeout(() => c.exit(1), 20); }, { architecture: 'arm64' });
    const r = await s.invoke(Buffer.from('{}'));
    expect(r.functionError?.errorType).toBe('Runtime.InvalidEntrypoint');
    expect(r.functionError?.errorMessage).toMatch(/S\/Fn is arm64: register QEMU emulation/);
  });

  test('a function error: the type from the body over the header; the environment stays reusable', async () => {
    const s = await start(runtime(async () => ({ path: 'error', body: '{"errorType":"TypeError","errorMessage":"bad"}', headers: { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' } })));
    const r = await s.invoke(Buffer.from('{}'));
    expect(r.functionError).toEqual({ errorType: 'TypeError', errorMessage: 'bad' });
    expect(r.reusable).toBe(true);
  });

  test('an init error: discarded, REPORT marked with its type', async () => {
    const s = await start(async api => { await http1(api, 'POST', '/init/error', '{"errorType":"Runtime.ImportModuleError","errorMessage":"no module"}'); });
    const r = await s.invoke(Buffer.from('{}'));
    expect(r.functionError?.errorType).toBe('Runtime.ImportModuleError');
    expect(r.status).toEqual({ status: 'error', errorType: 'Runtime.ImportModuleError' });
    expect(r.reusable).toBe(false);
    expect(docker.removed).toContain(s.name);
  });

  test('a dead environment is not alive (the pool must not reuse it)', async () => {
    const s = await start(runtime(async () => 'hang'));
    expect(s.alive).toBe(true);
    docker.containers[0].exit(0);
    await new Promise(r => setTimeout(r, 20));
    expect(s.alive).toBe(false);
  });

  test('a failed start closes its Runtime API listener and throws', async () => {
    const mock = jest.requireMock('../../../lib/docker');
    const spawnDocker = mock.spawnDocker;
    mock.spawnDocker = () => { throw new TypeError('The argument \'options.env[\'X\']\' must be a string without null bytes.'); };
    const listen = jest.spyOn(RuntimeApiServer.prototype, 'listen');
    const close = jest.spyOn(RuntimeApiServer.prototype, 'close');
    try {
      await expect(Sandbox.start(options())).rejects.toThrow(/null bytes/);
      expect(listen).toHaveBeenCalledTimes(1);
      expect(close).toHaveBeenCalledTimes(1);
      const server = (listen.mock.contexts[0] as unknown as { server: http.Server }).server;
      expect(server.listening).toBe(false);
    } finally {
      mock.spawnDocker = spawnDocker;
      listen.mockRestore();
      close.mockRestore();
    }
  });
  // Lambda's Init phase (10 s) covers the runtime's start-up, not the creation of the environment: a container the engine
  // was slow to start (a loaded machine, four cold starts at once) must not eat into it.
  describe('the init limit counts from the container\'s start', () => {
    const delayMs = (ms: number) => new Promise(r => setTimeout(r, ms));

    test('a runtime ready 7 s after its container started, 11 s after docker run, is not timed out; Init Duration is the 7 s', async () => {
      docker.startDelayMs = 4000;
      const s = await start(async (api, c) => {
        await delayMs(c.spawnedAt + 11_000 - Date.now());
        await runtime(async () => ({ path: 'response', body: '"ready"' }))(api, c);
      });
      const r = await s.invoke(Buffer.from('{}'));
      expect(r.functionError).toBeUndefined();
      expect(r.payload.toString()).toBe('"ready"');
      expect(r.initDurationMs).toBeGreaterThanOrEqual(6900);
      expect(r.initDurationMs).toBeLessThan(10_000);
    }, 30_000);

    test('a runtime that never becomes ready times out 10 s after its container started (not before), as Sandbox.Timedout', async () => {
      docker.startDelayMs = 2000;
      const s = await start(async () => undefined);
      const r = await s.invoke(Buffer.from('{}'));
      const elapsed = Date.now() - docker.containers[0].spawnedAt;
      expect(r.functionError?.errorType).toBe('Sandbox.Timedout');
      expect(r.functionError?.errorMessage).toMatch(/Init phase timed out after 10\.00 seconds/);
      expect(elapsed).toBeGreaterThanOrEqual(11_900);
    }, 30_000);
  });
});
