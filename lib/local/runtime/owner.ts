// Who owns a local-runtime container, precisely enough that a later run can tell "my owner is gone" from
// "my owner lives somewhere I cannot see". A pid alone is not an identity: another PID namespace (an
// `unshare --pid` shell, a devcontainer sharing docker.sock) or another machine (a remote engine) has
// its own pids, and pids are reused. So each container carries its owner's
//   boot id (the kernel's /proc/sys/kernel/random/boot_id), PID namespace (/proc/self/ns/pid),
//   hostname, pid, and the process's start time (field 22 of /proc/<pid>/stat, ticks since boot),
// and an owner counts as gone only when all of boot id, namespace and hostname are ours and no process
// with that pid and start time runs here. Anything else is "unknown" and is never touched.
import * as fs from 'fs';
import * as os from 'os';

export const OWNER_LABEL = 'cdk-container-function.local.owner';
const IDENTITY_LABEL = 'cdk-container-function.local.owner-identity';

export interface OwnerIdentity {
  readonly pid: number;
  readonly bootId: string;
  readonly pidNamespace: string;
  readonly hostname: string;
  /** The process's start time in clock ticks since boot; with the pid, unique for a boot. */
  readonly startTicks: string;
}

export type OwnerState = 'alive' | 'gone' | 'unknown';

function read(file: string): string {
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { return ''; }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces); '' when none. */
export function processStartTicks(pid: number, proc = '/proc'): string {
  const stat = read(`${proc}/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

export function currentOwner(pid = process.pid): OwnerIdentity {
  let pidNamespace = '';
  try { pidNamespace = fs.readlinkSync('/proc/self/ns/pid'); } catch { /* no /proc (macOS) */ }
  return { pid, bootId: read('/proc/sys/kernel/random/boot_id'), pidNamespace, hostname: os.hostname(), startTicks: processStartTicks(pid) };
}

/** `docker run` label arguments naming `owner`. */
export function ownerLabelArgs(owner: OwnerIdentity): string[] {
  const identity = [owner.bootId, owner.pidNamespace, owner.hostname, owner.startTicks].map(encodeURIComponent).join('/');
  return ['--label', `${OWNER_LABEL}=${owner.pid}`, '--label', `${IDENTITY_LABEL}=${identity}`];
}

/** The owner a container's labels name; undefined when they do not name one completely (never swept). */
export function ownerFromLabels(labels: { [key: string]: string } | null | undefined): OwnerIdentity | undefined {
  const pid = Number(labels?.[OWNER_LABEL]);
  const parts = (labels?.[IDENTITY_LABEL] ?? '').split('/').map(p => { try { return decodeURIComponent(p); } catch { return ''; } });
  if (!Number.isInteger(pid) || pid <= 0 || parts.length !== 4) return undefined;
  const [bootId, pidNamespace, hostname, startTicks] = parts;
  return { pid, bootId, pidNamespace, hostname, startTicks };
}

/**
 * Whether `owner` is alive, gone, or out of sight from `here`. "gone" needs proof: the same boot, PID
 * namespace and hostname as here (all known), and no process with that pid and start time.
 */
export function ownerState(owner: OwnerIdentity, here: OwnerIdentity = currentOwner(), startTicksOf = processStartTicks): OwnerState {
  const comparable = [owner.bootId, owner.pidNamespace, owner.hostname, owner.startTicks, here.bootId, here.pidNamespace].every(Boolean);
  if (!comparable || owner.bootId !== here.bootId || owner.pidNamespace !== here.pidNamespace || owner.hostname !== here.hostname) return 'unknown';
  return startTicksOf(owner.pid) === owner.startTicks ? 'alive' : 'gone';
}
