// `invoke --debug-port` for Python: debugpy (Debian's python3-debugpy) started through the runtime's
// AWS_LAMBDA_EXEC_WRAPPER hook, from the image (installed in it) or from --debugger-path (a directory mounted into an
// image without it). The client speaks the Debug Adapter Protocol to debugpy: a breakpoint on a handler line, a local
// variable read, held past the function's timeout, continued, and the response arrives.
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { startCli, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { freePort } from './support/registry';
import { ensureStandIns } from './support/standins';
import { FUNCTIONS, removeAssetImages } from './support/workspace';

jest.setTimeout(20 * 60_000);

const SOURCE = path.join(FUNCTIONS, 'debug-python');

/** The Debug Adapter Protocol over TCP: `Content-Length` framed JSON requests, responses and events. */
class DapClient {
  static connect(port: number): Promise<DapClient | undefined> {
    return new Promise(resolve => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new DapClient(socket)));
      socket.once('error', () => resolve(undefined));
    });
  }

  readonly events: any[] = [];
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, (r: any) => void>();

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', d => { this.buffer = Buffer.concat([this.buffer, d]); this.drain(); });
  }

  request(command: string, args: object = {}): Promise<any> {
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise(resolve => this.pending.set(seq, resolve));
  }

  event(name: string, match: (e: any) => boolean = () => true): Promise<any> {
    return waitFor(() => this.events.find(e => e.event === name && match(e)), `the ${name} event`);
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.type === 'response') this.pending.get(message.request_seq)?.(message);
      else if (message.type === 'event') this.events.push(message);
    }
  }
}

describeWithDocker('invoke --debug-port: Python through debugpy, driven over the Debug Adapter Protocol', () => {
  let project: string;
  let functionDir: string;
  let debugpyDir: string;
  const extracted = `ccf-debugpy-extract-${process.pid}`;

  beforeAll(async () => {
    const { pythonTag } = await ensureStandIns();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-debug-py-'));
    functionDir = path.join(project, 'functions', 'greeter');
    fs.mkdirSync(functionDir, { recursive: true });
    for (const f of fs.readdirSync(SOURCE)) fs.copyFileSync(path.join(SOURCE, f), path.join(functionDir, f));
    const app = new App({ outdir: path.join(project, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'DebugPy');
    for (const target of ['with-debugpy', 'plain']) {
      new lambda.DockerImageFunction(stack, target === 'plain' ? 'Plain' : 'WithDebugpy', {
        code: lambda.DockerImageCode.fromImageAsset(functionDir, { buildArgs: { BASE: pythonTag }, target }),
        timeout: Duration.seconds(1),
      });
    }
    app.synth();
  });

  afterAll(async () => {
    await docker(['rm', '-f', extracted], { allowFailure: true });
    if (project) await removeAssetImages(path.join(project, 'cdk.out'));
    if (project) fs.rmSync(project, { recursive: true, force: true });
    // The exec wrapper's directory is kept per user and reused by later runs; the test removes it as it found none.
    fs.rmSync(path.join(os.tmpdir(), `ccf-debug-wrapper-${process.getuid!()}`), { recursive: true, force: true });
  });

  async function debugOnce(fn: string, extraArgs: string[]): Promise<void> {
    const port = await freePort();
    const eventFile = path.join(project, 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ name: 'debugger' }));
    const cli = startCli(['invoke', fn, '--app', 'cdk.out', '--event', eventFile, '--debug-port', String(port), ...extraArgs], project);
    let dap: DapClient | undefined;
    try {
      const launchText = await waitFor(() => /launch\.json entry:\n(\{[\s\S]*?\n\})\n/.exec(cli.stderr())?.[1], 'the launch.json entry', 600_000);
      expect(JSON.parse(launchText)).toMatchObject({ type: 'debugpy', request: 'attach', connect: { host: 'localhost', port }, pathMappings: [{ localRoot: functionDir, remoteRoot: '/var/task' }] });
      // The port is published as soon as the container starts; debugpy answers once it listens.
      dap = await waitFor(async () => {
        const c = await DapClient.connect(port);
        if (!c) return undefined;
        const r = await Promise.race([c.request('initialize', { adapterID: 'debugpy', clientID: 'ccf-test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
          new Promise(res => setTimeout(() => res(undefined), 2000))]);
        if (!r) { c.close(); return undefined; }
        return c;
      }, 'debugpy');
      const attached = dap.request('attach', { justMyCode: true });
      await dap.event('initialized');
      const breakLine = fs.readFileSync(path.join(functionDir, 'app.py'), 'utf8').split('\n').findIndex(l => l.includes('# BREAK')) + 1;
      const bp = await dap.request('setBreakpoints', { source: { path: '/var/task/app.py' }, breakpoints: [{ line: breakLine }] });
      expect(bp.success).toBe(true);
      await dap.request('configurationDone');
      await attached;
      const stopped = await dap.event('stopped', e => e.body.reason === 'breakpoint');
      const trace = await dap.request('stackTrace', { threadId: stopped.body.threadId });
      expect(trace.body.stackFrames[0]).toMatchObject({ line: breakLine, source: { path: '/var/task/app.py' } });
      const value = await dap.request('evaluate', { expression: 'greeting', frameId: trace.body.stackFrames[0].id, context: 'watch' });
      expect(value.body.result).toBe("'hello debugger'");
      await new Promise(r => setTimeout(r, 3000)); // three times the function's 1 s timeout
      await dap.request('continue', { threadId: stopped.body.threadId });
      const r = await cli.done;
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
      expect(JSON.parse(r.stdout)).toEqual({ greeting: 'hello debugger', length: 14 });
      expect(r.stderr).toMatch(/\tTimeout: suspended \(debugger\)\n$/);
    } finally {
      dap?.close();
      if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
      await cli.done;
    }
  }

  test('debugpy installed in the image (Debian\'s python3-debugpy)', async () => {
    await debugOnce('DebugPy/WithDebugpy', []);
  });

  test('an image without debugpy, given one with --debugger-path (mounted read-only)', async () => {
    // Debian's debugpy, taken out of the other image into a directory of our own. Debian unbundles debugpy's pydevd
    // and bytecode into packages of their own beside it, so those come too (pip install --target gives the same set).
    const image = (await docker(['image', 'ls', '--format', '{{.Repository}}', '--filter', 'reference=cdkasset-*'])).stdout.split('\n');
    const withDebugpy = await waitFor(async () => {
      for (const ref of image.filter(Boolean)) {
        const r = await docker(['run', '--rm', '--entrypoint', 'sh', ref, '-c', 'test -d /usr/lib/python3/dist-packages/debugpy'], { allowFailure: true });
        if (r.code === 0) return ref;
      }
      return undefined;
    }, 'the image with debugpy', 60_000);
    await docker(['create', '--name', extracted, withDebugpy]);
    debugpyDir = path.join(project, 'debugger');
    fs.mkdirSync(debugpyDir);
    const listed = await docker(['run', '--rm', '--entrypoint', 'sh', withDebugpy, '-c', 'cd /usr/lib/python3/dist-packages && ls -d debugpy bytecode *pydev*']);
    for (const entry of listed.stdout.split('\n').filter(Boolean)) {
      await docker(['cp', `${extracted}:/usr/lib/python3/dist-packages/${entry}`, path.join(debugpyDir, entry)]);
    }
    expect(fs.existsSync(path.join(debugpyDir, 'debugpy', '__main__.py'))).toBe(true);
    await debugOnce('DebugPy/Plain', ['--debugger-path', debugpyDir]);
  });
});
