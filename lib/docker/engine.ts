// The one engine probe: `docker info`, asked once per process and client. Synchronous, because the measured synth
// asks from inside a CDK Aspect; `measure`, local invoke, serve, api and the real-Docker tests' skip decision ask the
// same probe.
import { DockerResult, couldNotRun, dockerCommand } from './client';
import { runProcessSync } from './process';

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

/** Whether the engine of the client CDK would use answers, asked once per process and client; never throws. */
export function engineAvailability(): EngineAvailability {
  const command = dockerCommand();
  if (probed?.command !== command) probed = { command, availability: probeEngine(command) };
  return probed.availability;
}

/** The engine, from the one probe; rejects saying why none answers and what to do. */
export async function engineInfo(): Promise<EngineInfo> {
  const availability = engineAvailability();
  if (!availability.engine) throw new Error(`no Docker engine answers (${availability.reason}). Start Docker, or set CDK_DOCKER to a working client.`);
  return availability.engine;
}

/**
 * Asks `command` (with `env` added to this process's environment) whether its engine answers, every time; never
 * throws. engineAvailability() is this, once per process, for the client CDK would use.
 */
export function probeEngine(command: string, env: { [name: string]: string | undefined } = {}): EngineAvailability {
  const { started, result } = runProcessSync(command, ['info', '--format', '{{json .}}'], { env, timeoutMs: 20_000 });
  if (!started) return { ok: false, reason: `${command}: ${couldNotRun(command, result.stderr)}` };
  if (result.code !== 0) return { ok: false, reason: `${command}: ${lastLine(result.stderr) || lastLine(result.stdout) || `exited with code ${result.code}`}` };
  return availabilityOf(command, result);
}

function availabilityOf(command: string, r: DockerResult): EngineAvailability {
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
