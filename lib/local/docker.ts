// What the local runtime asks of Docker (run attached, remove, inspect, exec), on top of the tools' one
// Docker-driving module (lib/assembly/docker.ts), so callers can be unit-tested with this module stubbed.
import { ChildProcess, spawn } from 'child_process';
import { DockerCommandError, EngineInfo, dockerCommand, engineAvailability, runDocker } from '../assembly/docker';

export type { EngineInfo };

export interface DockerResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs the docker client; rejects (naming the command and its output) when it fails, unless allowFailure. */
export async function docker(args: string[], opts: { allowFailure?: boolean } = {}): Promise<DockerResult> {
  try {
    return await runDocker(args);
  } catch (e) {
    if (opts.allowFailure && e instanceof DockerCommandError) return e.result;
    throw e;
  }
}

/**
 * Starts `docker <args>` attached, output piped: the caller reads the container's stdout/stderr live.
 * `env` adds to the client's environment (what `-e NAME` without a value reads).
 */
export function spawnDocker(args: string[], env: { [name: string]: string } = {}): ChildProcess {
  return spawn(dockerCommand(), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The engine, from the one probe (lib/assembly/docker.ts); rejects saying why none answers and what to do. */
export async function engineInfo(): Promise<EngineInfo> {
  const availability = engineAvailability();
  if (!availability.engine) throw new Error(`no Docker engine answers (${availability.reason}). Start Docker, or set CDK_DOCKER to a working client.`);
  return availability.engine;
}

export interface ImageInfo {
  readonly id: string;
  /** `amd64`, `arm64`. */
  readonly architecture: string;
  readonly entrypoint: string[];
  readonly cmd: string[];
  readonly workingDir: string;
  /** The image's own environment, `NAME=value`. */
  readonly env: string[];
}

/** `docker image inspect`; undefined when the image is not there. */
export async function imageInfo(tag: string): Promise<ImageInfo | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{json .}}', tag], { allowFailure: true });
  if (r.code !== 0) return undefined;
  const i = JSON.parse(r.stdout);
  const c = i.Config ?? {};
  return { id: i.Id, architecture: i.Architecture ?? '', entrypoint: c.Entrypoint ?? [], cmd: c.Cmd ?? [], workingDir: c.WorkingDir ?? '', env: c.Env ?? [] };
}

/** The default bridge network's gateway and subnets, as the engine reports them (the gateway is often left out). */
export async function bridgeNetwork(): Promise<{ gateways: string[]; subnets: string[] }> {
  const r = await docker(['network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}'], { allowFailure: true });
  let config: { Gateway?: string; Subnet?: string }[] = [];
  try { config = JSON.parse(r.stdout) ?? []; } catch { /* no bridge network */ }
  return {
    gateways: config.map(c => c.Gateway).filter((g): g is string => !!g),
    subnets: config.map(c => c.Subnet).filter((s): s is string => !!s && s.includes('.')),
  };
}

export interface ContainerExit { readonly exitCode: number; readonly oomKilled: boolean }

/** How a stopped container ended; undefined when it is gone. */
export async function containerExit(name: string): Promise<ContainerExit | undefined> {
  const r = await docker(['container', 'inspect', '--format', '{{.State.ExitCode}} {{.State.OOMKilled}}', name], { allowFailure: true });
  if (r.code !== 0) return undefined;
  const [code, oom] = r.stdout.trim().split(' ');
  return { exitCode: Number(code), oomKilled: oom === 'true' };
}

/** Removes containers (running or not); never fails. */
export async function removeContainers(names: string[]): Promise<void> {
  if (names.length) await docker(['rm', '-f', ...names], { allowFailure: true });
}

/** Names of containers carrying a label (`key=value`), running or not. */
export async function containersWithLabel(label: string): Promise<string[]> {
  const r = await docker(['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}'], { allowFailure: true });
  return r.stdout.split('\n').map(s => s.trim()).filter(Boolean);
}

/** Runs a command in a running container; undefined when it fails. */
export async function execIn(name: string, command: string[]): Promise<string | undefined> {
  const r = await docker(['exec', name, ...command], { allowFailure: true });
  return r.code === 0 ? r.stdout : undefined;
}

/** A running container's id and its IP addresses on its networks; undefined when it does not run (yet). */
export async function containerAddresses(name: string): Promise<{ id: string; addresses: string[] } | undefined> {
  const r = await docker(['container', 'inspect', '--format', '{{.Id}}{{range .NetworkSettings.Networks}} {{.IPAddress}}{{end}}', name], { allowFailure: true });
  if (r.code !== 0) return undefined;
  const [id, ...addresses] = r.stdout.trim().split(/\s+/);
  return { id, addresses: addresses.filter(Boolean) };
}
