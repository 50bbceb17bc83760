// `invoke --debug-port` with a real debugger client: chrome-remote-interface speaks the DevTools protocol to the
// Node.js inspector in the function's container. It sets a breakpoint on a handler line, hits it, reads a local
// variable, holds the function past its timeout, resumes, and the response arrives.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import CDP from 'chrome-remote-interface';
import { startCli, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { freePort } from './support/registry';
import { ensureStandIns } from './support/standins';
import { FUNCTIONS, removeAssetImages } from './support/workspace';
import { OWNER_LABEL } from '../../lib/local/runtime/owner';

jest.setTimeout(20 * 60_000);

const SOURCE = path.join(FUNCTIONS, 'debug-node');

describeWithDocker('invoke --debug-port: Node.js inspector, driven by chrome-remote-interface', () => {
  let project: string;
  let functionDir: string;

  beforeAll(async () => {
    const { nodeTag } = await ensureStandIns();
    // A project as users have it: the function's sources beside the app's cdk.out.
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-debug-'));
    functionDir = path.join(project, 'functions', 'greeter');
    fs.mkdirSync(functionDir, { recursive: true });
    for (const f of fs.readdirSync(SOURCE)) fs.copyFileSync(path.join(SOURCE, f), path.join(functionDir, f));
    const app = new App({ outdir: path.join(project, 'cdk.out'), context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Debug');
    new lambda.DockerImageFunction(stack, 'Greeter', {
      code: lambda.DockerImageCode.fromImageAsset(functionDir, { buildArgs: { BASE: nodeTag } }),
      // Shorter than the time the test holds the breakpoint: the timeout must be suspended.
      timeout: Duration.seconds(1),
    });
    // A second function of the same image: `serve` then has two to choose from.
    new lambda.DockerImageFunction(stack, 'Second', {
      code: lambda.DockerImageCode.fromImageAsset(functionDir, { buildArgs: { BASE: nodeTag } }),
    });
    app.synth();
  });

  afterAll(async () => {
    if (project) await removeAssetImages(path.join(project, 'cdk.out'));
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  test('breakpoint on a handler line, a local variable read, held past the timeout, resumed: the response arrives', async () => {
    const port = await freePort();
    const eventFile = path.join(project, 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify({ name: 'debugger' }));
    const cli = startCli(['invoke', 'Debug/Greeter', '--app', 'cdk.out', '--event', eventFile, '--debug-port', String(port)], project);
    let client: CDP.Client | undefined;
    try {
      // The launch.json entry maps /var/task to the function's own directory (found from the Dockerfile's COPY).
      const launchText = await waitFor(() => /launch\.json entry:\n(\{[\s\S]*?\n\})\n/.exec(cli.stderr())?.[1], 'the launch.json entry');
      expect(JSON.parse(launchText)).toEqual({
        name: 'Attach to Debug/Greeter',
        type: 'node',
        request: 'attach',
        address: 'localhost',
        port,
        localRoot: functionDir,
        remoteRoot: '/var/task',
        skipFiles: ['<node_internals>/**'],
      });
      // The inspector in the container, published on loopback.
      await waitFor(async () => {
        try { return (await CDP.List({ host: '127.0.0.1', port })).length > 0 ? true : undefined; } catch { return undefined; }
      }, 'the inspector');
      client = await CDP({ host: '127.0.0.1', port });
      const { Debugger, Runtime } = client;
      const paused: Array<{ reason: string; callFrames: any[]; hitBreakpoints?: string[] }> = [];
      Debugger.on('paused', p => paused.push(p as any));
      const scripts = new Map<string, string>();
      Debugger.on('scriptParsed', s => scripts.set(s.scriptId, s.url));
      await Debugger.enable({});
      const breakLine = fs.readFileSync(path.join(functionDir, 'index.js'), 'utf8').split('\n').findIndex(l => l.includes('// BREAK'));
      const bp = await Debugger.setBreakpointByUrl({ urlRegex: '/var/task/index\\.js$', lineNumber: breakLine });
      await Runtime.runIfWaitingForDebugger();
      // --inspect-brk stops before the runtime's first line: let it start.
      await waitFor(() => (paused.length > 0 ? true : undefined), 'the first pause');
      if (!paused[0].hitBreakpoints?.length) { paused.shift(); await Debugger.resume({}); }
      const hit = await waitFor(() => paused.find(p => p.hitBreakpoints?.includes(bp.breakpointId)), 'the breakpoint');
      expect(hit.callFrames[0].location.lineNumber).toBe(breakLine);
      expect(scripts.get(hit.callFrames[0].location.scriptId)).toMatch(/\/var\/task\/index\.js$/);
      const local = await Debugger.evaluateOnCallFrame({ callFrameId: hit.callFrames[0].callFrameId, expression: 'greeting' });
      expect(local.result.value).toBe('hello debugger');
      // Held for three times the function's 1 s timeout.
      await new Promise(r => setTimeout(r, 3000));
      await Debugger.resume({});
      const r = await cli.done;
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
      expect(JSON.parse(r.stdout)).toEqual({ greeting: 'hello debugger', length: 14 });
      expect(r.stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\t.*\tTimeout: suspended \(debugger\)\n$/);
      expect(Number(/Duration: ([\d.]+) ms/.exec(r.stderr)![1])).toBeGreaterThan(1000);
    } finally {
      await client?.close().catch(() => undefined);
      if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
      await cli.done;
    }
    const left = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${cli.child.pid}`, '--format', '{{.Names}}']);
    expect(left.stdout.trim()).toBe('');
  });

  test('two functions served without --debug-function: refused, naming the flag', async () => {
    const cli = startCli(['serve', '--app', 'cdk.out', '--port', String(await freePort()), '--debug-port', '9229'], project);
    // Were it to serve instead of refusing, it would never end by itself.
    const guard = setTimeout(() => cli.child.kill('SIGTERM'), 300_000);
    const r = await cli.done.finally(() => clearTimeout(guard));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--debug-port debugs one function, and 2 are served: add --debug-function <name> (one of Debug/Greeter, Debug/Second).');
  });
});
