// What a local-runtime process left behind when it died without cleaning up (kill -9, a crash): its
// containers (still running, if the handler hangs) and, from earlier versions, `ccf-cid-*` directories.
// A container is removed only when its owner is provably gone (owner.ts): never one of a live process in
// another PID namespace, a devcontainer sharing docker.sock, or another machine using the same engine.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OWNER_LABEL, OwnerIdentity, currentOwner, ownerFromLabels, ownerState } from './owner';
import { containersWithLabel, removeContainers, runDocker } from '../../docker';

/** Removes containers whose owners are gone; returns their names. */
export async function removeStaleContainers(here: OwnerIdentity = currentOwner()): Promise<string[]> {
  const names = await containersWithLabel(OWNER_LABEL);
  if (names.length === 0) return [];
  const r = await runDocker(['inspect', '--format', '{{.Name}}\t{{json .Config.Labels}}', ...names], { allowFailure: true });
  const stale: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const [name, labels] = line.split('\t');
    if (!name || !labels) continue;
    let owner: OwnerIdentity | undefined;
    try { owner = ownerFromLabels(JSON.parse(labels)); } catch { owner = undefined; }
    if (owner && ownerState(owner, here) === 'gone') stale.push(name.trim().replace(/^\//, ''));
  }
  await removeContainers(stale);
  return stale;
}

/**
 * Earlier versions kept each container's id in `<tmp>/ccf-cid-*`/cid and left the directory behind after a
 * kill: removes those whose container no longer exists (an empty one once it is a minute old).
 */
export async function removeStaleCidDirectories(tmp = os.tmpdir()): Promise<string[]> {
  let entries: string[];
  try { entries = fs.readdirSync(tmp).filter(e => e.startsWith('ccf-cid-')); } catch { return []; }
  const removed: string[] = [];
  for (const e of entries) {
    const dir = path.join(tmp, e);
    let st: fs.Stats;
    try { st = fs.lstatSync(dir); } catch { continue; }
    if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) continue;
    let cid = '';
    try { cid = fs.readFileSync(path.join(dir, 'cid'), 'utf8').trim(); } catch { /* empty */ }
    const gone = cid
      ? /^[0-9a-f]{12,64}$/.test(cid) && (await runDocker(['container', 'inspect', '--format', '{{.Id}}', cid], { allowFailure: true })).code !== 0
      : Date.now() - st.mtimeMs > 60_000;
    if (gone) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}
