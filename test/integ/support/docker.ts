/**
 * The one module that drives the real Docker engine for the integ tests and the image benchmark:
 * build, run, inspect, history, save-and-scan, and a tiny Lambda Runtime API server on the host.
 * Uses Debian's client (/usr/bin/docker, BuildKit built in) unless CCF_DOCKER names another.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { DOCKER, HOW_TO_ENABLE, ensureDebianBase } from './provision';
import { probeEngine } from '../../../lib/docker';

// The client (CCF_DOCKER, else CDK_DOCKER, which CDK and cdk-assets honour, else Debian's) is chosen in provision.ts.
export { DOCKER };
const ENV = { ...process.env, DOCKER_BUILDKIT: '1' };

export interface Availability { readonly ok: boolean; readonly reason: string }

/**
 * Whether an engine answers (synchronously, so test files can choose describe/describe.skip): the library's own engine
 * probe (lib/docker/engine.ts, `docker info`), asked of the tests' client. It says why it cannot reach one ("Cannot
 * connect to the Docker daemon at …"), never a template error.
 */
export function dockerAvailability(env: NodeJS.ProcessEnv = ENV): Availability {
  const { ok, reason } = probeEngine(DOCKER, env);
  return { ok, reason };
}

/** What a real-Docker test file needs: an engine only, or also the Debian base the Lambda stand-ins are built from. */
export interface DockerNeeds {
  /** @default true */
  readonly standIns?: boolean;
  /** Programs the tests run on this machine (e.g. a real debugger client), each with how to install it. */
  readonly hostCommands?: { readonly [command: string]: string };
}

/**
 * `describe` when the tests can run: an engine is reachable and (unless `standIns: false`) the Debian base for the
 * stand-ins exists or can be provisioned (support/provision.ts: pulled where a registry is reachable, else debootstrapped
 * as root). Otherwise prints one line saying why and how to enable them and returns `describe.skip`, unless
 * CCF_REQUIRE_DOCKER=1 (CI), where nothing is skipped: the missing piece fails a test instead.
 */
export function describeWithDocker(title: string, fn: () => void, needs: DockerNeeds = {}): void {
  const a = dockerAvailability();
  const absent = Object.keys(needs.hostCommands ?? {}).filter(c => !onPath(c));
  const missing = !a.ok ? `no Docker engine is reachable (${a.reason})`
    : absent.length ? `${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} not installed on this machine`
      : needs.standIns === false ? undefined
        : notProvisioned();
  const howToEnable = absent.length && a.ok ? [...new Set(absent.map(c => needs.hostCommands![c]))].join('; ') : HOW_TO_ENABLE;
  if (missing === undefined) {
    describe(title, fn);
  } else if (process.env.CCF_REQUIRE_DOCKER === '1') {
    describe(title, () => test('the real-Docker tests can run (CCF_REQUIRE_DOCKER=1)', () => {
      throw new Error(`CCF_REQUIRE_DOCKER=1 but ${missing}. To run them: ${howToEnable}.`);
    }));
  } else {
    // Straight to stderr: jest drops console output of files whose tests are all skipped.
    process.stderr.write(`\nSKIPPED real-Docker tests "${title}": ${missing}. To run them: ${howToEnable}; `
      + 'CCF_REQUIRE_DOCKER=1 makes this a failure instead.\n');
    describe.skip(title, fn);
  }
}

/** Whether a program of that name is on the PATH (as the shell would find it). */
function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { encoding: 'utf8' }).status === 0;
}

function notProvisioned(): string | undefined {
  const debian = ensureDebianBase();
  return debian.ok ? undefined : debian.how;
}

export interface ExecResult { readonly code: number; readonly stdout: string; readonly stderr: string; readonly seconds: number }

/** Runs the docker CLI; rejects with the output tail when it fails (unless allowFailure). */
export interface DockerOptions {
  readonly input?: string;
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
  /** Called with each line of output as it comes. */
  readonly onLine?: (line: string) => void;
}

export function docker(args: string[], opts: DockerOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(DOCKER, args, { env: ENV });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines = (d: Buffer) => {
      if (!opts.onLine) return;
      const parts = (partial + d.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      parts.forEach(opts.onLine);
    };
    child.stdout.on('data', d => { stdout += d; lines(d); });
    child.stderr.on('data', d => { stderr += d; lines(d); });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', code => {
      if (timer) clearTimeout(timer);
      const r = { code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 };
      if (r.code !== 0 && !opts.allowFailure) {
        reject(new Error(`docker ${args.slice(0, 3).join(' ')} … exited ${r.code}:\n${(stdout + stderr).split('\n').slice(-40).join('\n')}`));
      } else {
        resolve(r);
      }
    });
    if (opts.input !== undefined) child.stdin.end(opts.input); else child.stdin.end();
  });
}

export interface BuildOptions {
  readonly context: string;
  readonly tag: string;
  readonly file?: string;
  /** id → path (or `src=path`, as stageSourceImage returns them). */
  readonly secrets?: { [id: string]: string };
  readonly noCache?: boolean;
  /** Build up to this stage only. */
  readonly target?: string;
  /** Called with each line of the build's output as it comes (progress). */
  readonly onLine?: (line: string) => void;
}

export interface BuildResult {
  readonly seconds: number;
  /** BuildKit's plain progress output. */
  readonly log: string;
}

export async function build(o: BuildOptions): Promise<BuildResult> {
  const args = ['build', '--progress=plain', '-t', o.tag];
  if (o.file) args.push('-f', path.resolve(o.context, o.file));
  for (const [id, v] of Object.entries(o.secrets ?? {})) args.push('--secret', `id=${id},src=${v.replace(/^src=/, '')}`);
  if (o.noCache) args.push('--no-cache');
  if (o.target) args.push('--target', o.target);
  args.push(o.context);
  const r = await docker(args, { timeoutMs: 20 * 60_000, onLine: o.onLine });
  return { seconds: r.seconds, log: r.stderr + r.stdout };
}

/**
 * The BuildKit steps whose text matches `pattern`, with whether each was served from cache.
 * Plain progress prints `#12 [deps 4/4] RUN ...` and, for cache hits, `#12 CACHED`.
 */
export function buildSteps(log: string, pattern: RegExp): { step: string; text: string; cached: boolean }[] {
  const steps: { step: string; text: string; cached: boolean }[] = [];
  for (const m of log.matchAll(/^#(\d+) (\[[^\]]+\] .*)$/gm)) {
    if (!pattern.test(m[2]) || steps.some(s => s.step === m[1])) continue;
    steps.push({ step: m[1], text: m[2], cached: new RegExp(`^#${m[1]} CACHED$`, 'm').test(log) });
  }
  return steps;
}

export async function imageExists(tag: string): Promise<boolean> {
  return (await docker(['image', 'inspect', tag], { allowFailure: true })).code === 0;
}

export async function imageSize(tag: string): Promise<number> {
  return Number((await docker(['image', 'inspect', '--format', '{{.Size}}', tag])).stdout.trim());
}

/** `docker history` lines (the full CreatedBy text of every layer). */
export async function history(tag: string): Promise<string> {
  return (await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag])).stdout;
}

/** Runs a shell command in a throwaway container of the image (entrypoint replaced). */
export async function shell(tag: string, script: string): Promise<string> {
  return (await docker(['run', '--rm', '--entrypoint', 'sh', tag, '-c', script])).stdout;
}

export async function removeImage(tag: string): Promise<void> {
  await docker(['image', 'rm', '-f', tag], { allowFailure: true });
}

/**
 * Saves the image and searches every layer (and the config) for each needle.
 * Returns the needles found, with where. Layers of `docker save` are plain tars, checked below,
 * so a byte search over them sees every file's content.
 */
export async function findInLayers(tag: string, needles: string[]): Promise<{ needle: string; entry: string }[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-save-'));
  const archive = path.join(dir, 'image.tar');
  try {
    await docker(['save', '-o', archive, tag]);
    const found: { needle: string; entry: string }[] = [];
    let layers = 0;
    for (const entry of readTar(fs.readFileSync(archive))) {
      if (entry.name.endsWith('layer.tar')) {
        layers++;
        const head = entry.data.subarray(0, 512);
        const empty = head.every(b => b === 0); // a layer with no files (WORKDIR, ENV)
        if (!empty && head.toString('latin1', 257, 262) !== 'ustar') {
          throw new Error(`${entry.name} is not an uncompressed tar; the byte search would be blind`);
        }
      }
      for (const n of needles) if (entry.data.includes(Buffer.from(n))) found.push({ needle: n, entry: entry.name });
    }
    if (layers === 0) throw new Error(`docker save of ${tag} had no layer.tar entries`);
    return found;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Minimal reader for the (ustar/pax) tar that `docker save` writes. */
function* readTar(buf: Buffer): Generator<{ name: string; data: Buffer }> {
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every(b => b === 0)) break;
    const field = (s: number, l: number) => header.toString('utf8', s, s + l).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    longName = undefined;
    if (type === 'L') { longName = data.toString('utf8').replace(/\0.*$/s, ''); continue; }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type === '0' || type === '\0') yield { name, data };
  }
}

/** The host address containers reach (bridge gateway). */
export async function hostAddressForContainers(): Promise<string> {
  const r = await docker(['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'], { allowFailure: true });
  return r.stdout.trim() || '172.17.0.1';
}

export interface Invocation {
  /** 'response' or 'error' (from /invocation/<id>/error or /init/error). */
  readonly kind: string;
  readonly body: unknown;
  /** Container output, for diagnosing failures. */
  readonly logs: string;
}

/**
 * Runs the image against a one-shot Lambda Runtime API server on the host: serves `event` to
 * the first `GET /invocation/next`, returns what the function posts back.
 */
export async function invoke(tag: string, event: unknown, timeoutMs = 60_000): Promise<Invocation> {
  const requestId = `ccf-${Date.now()}`;
  let settle!: (v: { kind: string; body: unknown }) => void;
  const posted = new Promise<{ kind: string; body: unknown }>(r => { settle = r; });
  let served = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      if (req.method === 'GET' && url.endsWith('/runtime/invocation/next')) {
        if (served) return; // long-poll forever: one invocation per test
        served = true;
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Lambda-Runtime-Aws-Request-Id': requestId,
          'Lambda-Runtime-Deadline-Ms': String(Date.now() + timeoutMs),
          'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:ccf-integ',
          'Lambda-Runtime-Trace-Id': 'Root=1-00000000-000000000000000000000000',
        });
        res.end(JSON.stringify(event));
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const m = /\/runtime\/(?:invocation\/[^/]+\/(response|error)|init\/(error))$/.exec(url);
      res.writeHead(202).end('{}');
      if (m) {
        let parsed: unknown = body;
        try { parsed = JSON.parse(body); } catch { /* keep text */ }
        settle({ kind: m[1] ?? 'error', body: parsed });
      }
    });
  });
  await new Promise<void>(r => server.listen(0, '0.0.0.0', r));
  const port = (server.address() as AddressInfo).port;
  const host = await hostAddressForContainers();
  const name = `ccf-invoke-${process.pid}-${Date.now()}`;
  try {
    await docker(['run', '-d', '--name', name, '-e', `AWS_LAMBDA_RUNTIME_API=${host}:${port}`,
      '-e', 'AWS_LAMBDA_FUNCTION_NAME=ccf-integ', '-e', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128', '-e', 'AWS_REGION=us-east-1', tag]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no response from ${tag} within ${timeoutMs} ms`)), timeoutMs); });
    try {
      const r = await Promise.race([posted, timeout]);
      const logs = await docker(['logs', name], { allowFailure: true });
      return { ...r, logs: logs.stdout + logs.stderr };
    } catch (e) {
      const logs = await docker(['logs', name], { allowFailure: true });
      throw new Error(`${(e as Error).message}\ncontainer output:\n${logs.stdout}${logs.stderr}`);
    } finally {
      if (timer) clearTimeout(timer);
    }
  } finally {
    await docker(['rm', '-f', name], { allowFailure: true });
    server.closeAllConnections?.();
    server.close();
  }
}
