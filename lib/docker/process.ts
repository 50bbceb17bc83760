// Running a child process and collecting its output: the primitive under the Docker client, and the runner of an
// image asset's own build command (`DockerImageAsset` from `executable`, which prints the image it made).
// Async for the tools; sync for synth, where a CDK Aspect cannot await.
import { ChildProcess, spawn, spawnSync } from 'child_process';

export interface ProcessRunOptions {
  readonly cwd?: string;
  /** Added to the process environment. */
  readonly env?: { [name: string]: string | undefined };
  /** Written to the process's stdin. */
  readonly input?: string | Buffer;
  /** Called with every chunk of output (stdout and stderr), e.g. to show build progress. Async runs only. */
  readonly onOutput?: (chunk: string) => void;
  /** Kill the process after this long. */
  readonly timeoutMs?: number;
}

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a run ended: `started` is false when the command could not run at all (why, in `result.stderr`). */
export interface ProcessOutcome {
  readonly started: boolean;
  readonly result: ProcessResult;
}

export function runProcess(command: string, args: readonly string[], options: ProcessRunOptions = {}): Promise<ProcessOutcome> {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: options.cwd, env: environment(options) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; options.onOutput?.(d.toString()); });
    child.stderr.on('data', (d: Buffer) => { stderr += d; options.onOutput?.(d.toString()); });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', error => {
      if (timer) clearTimeout(timer);
      resolve({ started: false, result: { code: -1, stdout, stderr: error.message } });
    });
    child.on('close', code => {
      if (timer) clearTimeout(timer);
      resolve({ started: true, result: { code: code ?? -1, stdout, stderr } });
    });
    // A process that exits before reading its input (a wrong CDK_DOCKER) closes the pipe: its exit code tells, not EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export function runProcessSync(command: string, args: readonly string[], options: ProcessRunOptions = {}): ProcessOutcome {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: environment(options),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (r.error) return { started: false, result: { code: -1, stdout: r.stdout ?? '', stderr: r.error.message } };
  return { started: true, result: { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' } };
}

/** Starts a process attached, output piped, stdin closed (or piped, to write to it); `env` adds to the environment. */
export function spawnProcess(command: string, args: readonly string[], env: { [name: string]: string } = {}, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: [stdin, 'pipe', 'pipe'] });
}

function environment(options: ProcessRunOptions): NodeJS.ProcessEnv {
  return { ...process.env, ...options.env };
}
