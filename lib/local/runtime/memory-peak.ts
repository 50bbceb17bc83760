// The container's real peak memory, for REPORT's "Max Memory Used" (AWS's emulator just repeats the
// configured size). Read from the kernel's own high-water mark for the container's cgroup:
//   cgroup v1: memory.max_usage_in_bytes (what the engine's stats call `max_usage`);
//   cgroup v2: memory.peak (kernel 5.19+; the engine's stats have no peak on v2).
import * as fs from 'fs';
import * as path from 'path';
import { execIn } from '../../docker';

/** Where a container's peak lives on the engine's host, for the cgroupfs and systemd drivers, v1 and v2. */
export function cgroupPeakFiles(containerId: string, root = '/sys/fs/cgroup'): string[] {
  return [
    path.join(root, 'memory', 'docker', containerId, 'memory.max_usage_in_bytes'),
    path.join(root, 'memory', 'system.slice', `docker-${containerId}.scope`, 'memory.max_usage_in_bytes'),
    path.join(root, 'system.slice', `docker-${containerId}.scope`, 'memory.peak'),
    path.join(root, 'docker', containerId, 'memory.peak'),
  ];
}

/** The peak in bytes from the host's cgroup file system (an engine on this machine), or undefined. */
export function readPeakFromHost(containerId: string, root = '/sys/fs/cgroup'): number | undefined {
  for (const f of cgroupPeakFiles(containerId, root)) {
    try {
      const n = Number(fs.readFileSync(f, 'utf8').trim());
      if (Number.isFinite(n) && n > 0) return n;
    } catch { /* next layout */ }
  }
  return undefined;
}

/**
 * The peak in bytes: from the host's cgroup files when the engine runs here, else from inside the
 * container (a remote engine or a VM, as Docker Desktop's), where the container's own cgroup is mounted
 * at /sys/fs/cgroup. Undefined when neither can be read.
 */
export async function readMemoryPeak(containerId: string, containerName: string): Promise<number | undefined> {
  const local = readPeakFromHost(containerId);
  if (local !== undefined) return local;
  const out = await execIn(containerName, ['sh', '-c', 'cat /sys/fs/cgroup/memory.peak 2>/dev/null || cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes']);
  const n = Number((out ?? '').trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}
