// Against the real engine: a function's Runtime API answers only the container the tool started (not
// another container on the default bridge, not another local user), and cleanup after a kill removes
// exactly what is provably orphaned: never a live owner's container seen from another PID namespace.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeWithDocker, docker } from './support/docker';
import { leftoverContainers, nodeFunctionImage, testFunctionSpec } from './support/local-images';
import { LocalFunction } from '../../lib/local/functions/local-function';
import { OwnerIdentity, ownerLabelArgs } from '../../lib/local/runtime/owner';
import { Sandbox } from '../../lib/local/runtime/sandbox';
import { removeStaleContainers } from '../../lib/local/runtime/stale-containers';

jest.setTimeout(10 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const OWNER_SCRIPT = path.join(__dirname, 'support', 'owner-process.ts');

/** Runs the owner script (optionally under a wrapper such as `unshare`), returning the child. */
function ownerProcess(args: string[], wrapper: string[] = []): ChildProcess {
  const command = [...wrapper, process.execPath, '-r', 'ts-node/register/transpile-only', OWNER_SCRIPT, ...args];
  return spawn(command[0], command.slice(1), { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The first stdout line of a child (rejects with its stderr if it ends first). */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', d => { out += d; if (out.includes('\n')) resolve(out.split('\n')[0]); });
    child.stderr!.on('data', d => { err += d; });
    child.on('close', code => reject(new Error(`owner process ended (${code}) before answering: ${err}`)));
  });
}

async function running(name: string): Promise<boolean> {
  const r = await docker(['ps', '--filter', `name=^${name}$`, '--format', '{{.Names}}']);
  return r.stdout.trim() === name;
}

/**
 * The review's reproduction, as a script run in a throwaway container on the default bridge or on the host as
 * `nobody`: poll the Runtime API for the next event (while the real runtime waits too), then post a forged
 * response for the request id it got. Each call gives up after 8 s.
 */
const THIEF = (api: string) => `
const http = require('http');
const call = (p, m, body) => new Promise(r => {
  const q = http.request('http://${api}/2018-06-01/runtime' + p, { method: m, timeout: 8000 }, s => {
    let d = ''; s.on('data', c => d += c); s.on('end', () => r({ status: s.statusCode, id: s.headers['lambda-runtime-aws-request-id'], body: d }));
  });
  q.on('timeout', () => { q.destroy(); r({ status: 'timeout' }); });
  q.on('error', e => r({ status: 'error ' + e.code }));
  q.end(body);
});
(async () => {
  const next = await call('/invocation/next', 'GET');
  const forged = await call('/invocation/' + (next.id || 'x') + '/response', 'POST', '{"n":666,"forged":true}');
  console.log(JSON.stringify({ next, forged }));
})();`;

const delay = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Runs the thief (started by `run`) while the function is invoked; returns both outcomes. */
async function raceThief(s: Sandbox, run: () => Promise<string>, n: number) {
  const thief = run();
  await delay(2000); // the thief's poll is in place before the event exists
  const result = await s.invoke(Buffer.from(JSON.stringify({ n, ms: 10 })));
  const seen = JSON.parse((await thief).trim().split('\n').pop()!);
  return { seen, answer: JSON.parse(result.payload.toString()) };
}

describeWithDocker('the local runtime on the real engine: isolation and cleanup', () => {
  let image: string;
  let sandbox: Sandbox | undefined;
  beforeAll(async () => { image = await nodeFunctionImage(); });
  afterEach(async () => {
    await sandbox?.destroy();
    sandbox = undefined;
    expect(await leftoverContainers()).toEqual([]);
  });

  async function startSlow(): Promise<{ s: Sandbox; api: string }> {
    const fn = await LocalFunction.prepare({ fn: testFunctionSpec(image, { command: ['index.slow'] }), image, environment: {}, region: 'us-east-1' });
    const s = await fn.startSandbox();
    sandbox = s;
    await s.warm();
    const env = (await docker(['inspect', '--format', '{{json .Config.Env}}', s.name])).stdout;
    const api = (JSON.parse(env) as string[]).find(e => e.startsWith('AWS_LAMBDA_RUNTIME_API='))!.split('=')[1];
    return { s, api };
  }

  test('another container on the default bridge is refused, and the function still answers', async () => {
    const { s, api } = await startSlow();
    const { seen, answer } = await raceThief(s, async () => (await docker(['run', '--rm', '--entrypoint', 'node', image, '-e', THIEF(api)])).stdout, 7);
    expect(seen.next.status).toBe(403);
    expect(JSON.parse(seen.next.body).errorType).toBe('AccessDeniedException');
    expect(seen.next.id).toBeUndefined();
    expect(seen.forged.status).toBe(403);
    expect(answer).toMatchObject({ n: 7 });
  });

  test('another local user (nobody) is refused, and the function still answers', async () => {
    const { s, api } = await startSlow();
    const asNobody = () => new Promise<string>((resolve, reject) => {
      const c = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', THIEF(api)], { cwd: '/' });
      let d = '';
      c.stdout.on('data', x => { d += x; });
      c.on('error', reject);
      c.on('close', () => resolve(d));
    });
    const { seen, answer } = await raceThief(s, asNobody, 8);
    expect(seen.next.status).toBe(403);
    expect(seen.forged.status).toBe(403);
    expect(answer).toMatchObject({ n: 8 });
  });

  test('a sweep from another PID namespace leaves a live owner\'s warm container alone', async () => {
    const { s } = await startSlow();
    const sweep = ownerProcess(['sweep'], ['unshare', '--pid', '--fork', '--mount-proc']);
    const removed = JSON.parse(await firstLine(sweep));
    expect(removed).not.toContain(s.name);
    expect(await running(s.name)).toBe(true);
    const r = await s.invoke(Buffer.from('{"n":9,"ms":10}'));
    expect(JSON.parse(r.payload.toString())).toMatchObject({ n: 9 });
  });

  test('a live owner inside another PID namespace keeps its container when this namespace sweeps', async () => {
    const owner = ownerProcess(['identity'], ['unshare', '--pid', '--fork', '--mount-proc']);
    const identity = JSON.parse(await firstLine(owner)) as OwnerIdentity;
    const name = `ccf-foreign-owner-${process.pid}`;
    try {
      // Its pid (1 or 2 in its namespace) means nothing here, and may even name another process of ours.
      await docker(['create', '--name', name, ...ownerLabelArgs(identity), image]);
      expect(await removeStaleContainers()).not.toContain(name);
      expect((await docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}}'])).stdout.trim()).toBe(name);
    } finally {
      owner.stdin!.end();
      await docker(['rm', '-f', name], { allowFailure: true });
    }
  });

  test('after a SIGKILL mid-invocation, the hanging container is removed by the next run, and no credentials stay visible', async () => {
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter(e => e.startsWith('ccf-cid-'));
    const owner = ownerProcess(['hang', image]);
    const name = (await firstLine(owner)).replace(/^invoking /, '');
    owner.kill('SIGKILL');
    await new Promise(r => owner.on('close', r));
    // Nothing could clean up: the container still runs, its handler never returns.
    expect(await running(name)).toBe(true);
    expect(await removeStaleContainers()).toEqual([name]);
    const left = await docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}}']);
    expect(left.stdout.trim()).toBe('');
    expect(fs.readdirSync(os.tmpdir()).filter(e => e.startsWith('ccf-cid-'))).toEqual(tmpBefore);
  });

  test('after a SIGKILL of its owner, a container that then exits is gone with its credentials (--rm)', async () => {
    const owner = ownerProcess(['exits', image]);
    const name = (await firstLine(owner)).replace(/^started /, '');
    expect((await docker(['inspect', '--format', '{{json .Config.Env}}', name])).stdout).toContain('secret-leak-check');
    owner.kill('SIGKILL');
    await new Promise(r => owner.on('close', r));
    // Its entry point ends after 3 s; the engine itself removes the exited container (no owner is left to do it).
    let inspect = '';
    for (let i = 0; i < 40; i++) {
      inspect = (await docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Names}} {{.Status}}'])).stdout.trim();
      if (!inspect) break;
      await delay(250);
    }
    expect(inspect).toBe('');
  });
});
