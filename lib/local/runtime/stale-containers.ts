// Containers left by a local-runtime process that died without cleaning up (kill -9, a crash): each
// carries its owner's pid in a label, so a later run removes those whose owner is gone. Only for an
// engine on this machine, where those pids are ours to check.
import { containersWithLabel, docker, removeContainers } from '../docker';
import { OWNER_LABEL } from './sandbox';
import { isProcessRunning } from '../../process-running';

/** Removes containers of owners that no longer run; returns their names. */
export async function removeStaleContainers(): Promise<string[]> {
  if (process.env.DOCKER_HOST) return [];
  const names = await containersWithLabel(OWNER_LABEL);
  if (names.length === 0) return [];
  const r = await docker(['inspect', '--format', `{{.Name}} {{index .Config.Labels "${OWNER_LABEL}"}}`, ...names], { allowFailure: true });
  const stale = r.stdout.split('\n').map(l => l.trim().split(' ')).filter(([n, pid]) => n && Number(pid) > 0 && !isProcessRunning(Number(pid))).map(([n]) => n.replace(/^\//, ''));
  await removeContainers(stale);
  return stale;
}
