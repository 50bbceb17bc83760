// The CLI run as users run it (a child process, from the TypeScript sources), its output collected as it arrives,
// with a guard: it is killed after `guardMs` whatever happens, so a test can never hang on it.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');

export interface CliProcess {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stderr(): string;
  /** When each stderr line arrived (ms since the epoch). */
  lineTimes(): { line: string; at: number }[];
  /** SIGINT (as Ctrl+C), then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, guardMs = 15 * 60_000): CliProcess {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], {
    cwd,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true', ...env },
  });
  child.stdin!.end();
  let stdout = '';
  let stderr = '';
  let partial = '';
  const lines: { line: string; at: number }[] = [];
  child.stdout!.on('data', d => { stdout += d; });
  child.stderr!.on('data', d => {
    stderr += d;
    const parts = (partial + d).split('\n');
    partial = parts.pop()!;
    for (const line of parts) lines.push({ line, at: Date.now() });
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(resolve => child.on('close', (code, signal) => {
    clearTimeout(guard);
    resolve({ code, signal, stdout, stderr });
  }));
  const stop = async (graceMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const r = await done;
    clearTimeout(timer);
    return { code: r.code, signal: r.signal };
  };
  return { child, done, stderr: () => stderr, lineTimes: () => [...lines], stop };
}

/** Polls `what` until it gives a value; throws with `label` after `timeoutMs`. */
export async function waitFor<T>(what: () => Promise<T | undefined> | T | undefined, label: string, timeoutMs = 180_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise(r => setTimeout(r, 50));
  }
}
