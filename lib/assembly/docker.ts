// The one module that runs the Docker client for the package's tools (measure, local invoke).
// Everything that drives the engine goes through runDocker/runDockerSync, so callers' unit tests stub
// only this module, and a test can count engine calls by pointing CDK_DOCKER at a wrapper script.
// Honours CDK_DOCKER exactly as CDK and cdk-assets do (cdk-assets-lib lib/private/docker.js getDockerCmd()).
import { spawn, spawnSync } from 'child_process';

/** The client CDK would use: `CDK_DOCKER`, else `docker` on the PATH. */
export function dockerCommand(): string {
  return process.env.CDK_DOCKER || 'docker';
}

export interface DockerRunOptions {
  readonly cwd?: string;
  /** Added to the process environment. */
  readonly env?: { [name: string]: string };
  /** Written to the client's stdin. */
  readonly input?: string;
  /** Called with every chunk of output (stdout and stderr), e.g. to show build progress. */
  readonly onOutput?: (chunk: string) => void;
  /** Kill the client after this long. */
  readonly timeoutMs?: number;
}

export interface DockerResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A docker command that exited non-zero; carries the command and the tail of its output. */
export class DockerCommandError extends Error {
  constructor(public readonly args: string[], public readonly result: DockerResult) {
    super(`${dockerCommand()} ${args[0]} exited with code ${result.code}:\n${outputTail(result)}`);
    this.name = 'DockerCommandError';
  }
}

/** The last `lines` lines of a command's output, for error messages. */
export function outputTail(result: DockerResult, lines = 30): string {
  return `${result.stdout}${result.stderr}`.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs the client; rejects with DockerCommandError on a non-zero exit, or when the client cannot start. */
export function runDocker(args: string[], options: DockerRunOptions = {}): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerCommand(), args, { cwd: options.cwd, env: environment(options) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; options.onOutput?.(d.toString()); });
    child.stderr.on('data', (d: Buffer) => { stderr += d; options.onOutput?.(d.toString()); });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', error => { if (timer) clearTimeout(timer); reject(notFound(error)); });
    child.on('close', code => {
      if (timer) clearTimeout(timer);
      const result = { code: code ?? -1, stdout, stderr };
      if (result.code === 0) resolve(result); else reject(new DockerCommandError(args, result));
    });
    // A client that exits before reading its input (a wrong CDK_DOCKER) closes the pipe: its exit code tells, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Synchronous twin of runDocker, for synth time (CDK Aspects cannot wait for promises). */
export function runDockerSync(args: string[], options: DockerRunOptions = {}): DockerResult {
  const r = spawnSync(dockerCommand(), args, {
    cwd: options.cwd,
    env: environment(options),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (r.error) throw notFound(r.error);
  const result = { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (result.code !== 0) throw new DockerCommandError(args, result);
  return result;
}

/** What the tools need to know of an engine that answers. */
export interface EngineInfo {
  readonly version: string;
  /** The engine machine's architecture as it names it: `x86_64`, `aarch64`. */
  readonly architecture: string;
  /** `1` or `2`: which memory statistics the engine reports. */
  readonly cgroupVersion: string;
  readonly os: string;
}

export interface EngineAvailability {
  readonly ok: boolean;
  /** `engine <version>`, or why no engine answers, in one clean line (the client's own words, no template error). */
  readonly reason: string;
  /** The engine, when one answers. */
  readonly engine?: EngineInfo;
}

let probed: { readonly command: string; readonly availability: EngineAvailability } | undefined;

/**
 * The one engine probe (`docker info`), asked once per process and client; never throws. Synchronous, because the
 * measured synth asks from inside a CDK Aspect; `measure`, local invoke and serve ask the same probe.
 */
export function engineAvailability(): EngineAvailability {
  const command = dockerCommand();
  if (probed?.command !== command) probed = { command, availability: probeEngine(command) };
  return probed.availability;
}

function probeEngine(command: string): EngineAvailability {
  let r: DockerResult;
  try {
    r = runDockerSync(['info', '--format', '{{json .}}'], { timeoutMs: 20_000 });
  } catch (error) {
    const message = error instanceof DockerCommandError ? lastLine(error.result.stderr) || lastLine(error.result.stdout) || `exited with code ${error.result.code}` : (error as Error).message;
    return { ok: false, reason: `${command}: ${message}` };
  }
  // `docker info` exits 0 even when the daemon is down: the daemon's absence is in ServerErrors.
  let info: { ServerVersion?: string; ServerErrors?: string[]; Architecture?: string; CgroupVersion?: string; OSType?: string } = {};
  try { info = JSON.parse(r.stdout); } catch { /* a foreign client: its own words follow */ }
  const problem = info.ServerErrors?.join('; ') || (!info.ServerVersion ? lastLine(r.stderr) || 'the client reported no engine' : undefined);
  if (problem) return { ok: false, reason: `${command}: ${problem}` };
  const engine = { version: info.ServerVersion!, architecture: info.Architecture ?? '', cgroupVersion: String(info.CgroupVersion ?? ''), os: info.OSType ?? 'linux' };
  return { ok: true, reason: `engine ${engine.version}`, engine };
}

function lastLine(text: string): string {
  return text.trim().split('\n').slice(-1)[0].trim();
}

function environment(options: DockerRunOptions): NodeJS.ProcessEnv {
  return { ...process.env, ...options.env };
}

function notFound(error: Error): Error {
  return new Error(`could not run '${dockerCommand()}' (${error.message}). Install Docker, or set CDK_DOCKER to a compatible client.`);
}
