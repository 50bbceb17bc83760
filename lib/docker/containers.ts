// What the local runtime asks of the engine about containers and networks (remove, list by label, exec, a running
// one's addresses, the bridge's gateway), through the one client.
import * as fs from 'fs';
import * as tar from 'tar-stream';
import { runDocker } from './client';

/** The default bridge network's gateway and subnets, as the engine reports them (the gateway is often left out). */
export async function bridgeNetwork(): Promise<{ gateways: string[]; subnets: string[] }> {
  const r = await runDocker(['network', 'inspect', 'bridge', '--format', '{{json .IPAM.Config}}'], { allowFailure: true });
  let config: { Gateway?: string; Subnet?: string }[] = [];
  try { config = JSON.parse(r.stdout) ?? []; } catch { /* no bridge network */ }
  return {
    gateways: config.map(c => c.Gateway).filter((g): g is string => !!g),
    subnets: config.map(c => c.Subnet).filter((s): s is string => !!s && s.includes('.')),
  };
}

/** Removes containers (running or not); never fails. */
export async function removeContainers(names: string[]): Promise<void> {
  if (names.length) await runDocker(['rm', '-f', ...names], { allowFailure: true });
}

/** Names of containers carrying a label (`key=value`), running or not. */
export async function containersWithLabel(label: string): Promise<string[]> {
  const r = await runDocker(['ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}'], { allowFailure: true });
  return r.stdout.split('\n').map(s => s.trim()).filter(Boolean);
}

/** Runs a command in a running container; undefined when it fails. */
export async function execIn(name: string, command: string[]): Promise<string | undefined> {
  const r = await runDocker(['exec', name, ...command], { allowFailure: true });
  return r.code === 0 ? r.stdout : undefined;
}

/**
 * A container's id, its IP addresses on its networks (none until it runs) and when it started (epoch ms; undefined until
 * it has); undefined when there is no such container.
 */
export async function containerAddresses(name: string): Promise<{ id: string; addresses: string[]; startedAt?: number } | undefined> {
  const r = await runDocker(['container', 'inspect', '--format', '{{.Id}} {{.State.StartedAt}}{{range .NetworkSettings.Networks}} {{.IPAddress}}{{end}}', name],
    { allowFailure: true });
  if (r.code !== 0) return undefined;
  const [id, started, ...addresses] = r.stdout.trim().split(/\s+/);
  // A created container that never started reports Go's zero time (0001-01-01T00:00:00Z).
  const startedAt = Date.parse(started ?? '');
  return { id, addresses: addresses.filter(Boolean), startedAt: Number.isFinite(startedAt) && startedAt > 0 ? startedAt : undefined };
}

/** A host file and the absolute path it takes in a container. */
export interface FileIntoContainer {
  readonly source: string;
  readonly destination: string;
}

/**
 * Writes files into a container as a build's COPY would: owned by root, with the source's mode and time, in one
 * archive (`docker cp -a - NAME:/`); throws Docker's error. The destinations' directories must exist.
 */
export async function copyFilesInto(name: string, files: readonly FileIntoContainer[]): Promise<void> {
  const archive = tar.pack();
  const chunks: Buffer[] = [];
  archive.on('data', (c: unknown) => { chunks.push(c as Buffer); });
  const done = new Promise<void>((resolve, reject) => { archive.on('end', resolve); archive.on('error', reject); });
  for (const f of files) {
    const st = fs.statSync(f.source);
    const content = fs.readFileSync(f.source);
    // eslint-disable-next-line no-bitwise
    archive.entry({ name: f.destination.replace(/^\/+/, ''), size: content.length, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0, type: 'file' }, content);
  }
  archive.finalize();
  await done;
  await runDocker(['cp', '-a', '-', `${name}:/`], { input: Buffer.concat(chunks) });
}
