import * as fs from 'fs';
import * as path from 'path';

// Internal: whether a process id is alive, for removing what dead processes left behind (staging
// directories, local-runtime containers). Signal 0 only asks; EPERM means it exists but is someone else's.
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the directories named `<prefix><pid>-…` in `parent` whose process has ended (killed before it could clean
 * up). Only this user's own directories are touched, never this process's, and never one whose pid is running.
 */
export function sweepDirectoriesOfEndedProcesses(parent: string, prefix: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-`);
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || Number(match[1]) === process.pid || isProcessRunning(Number(match[1]))) continue;
    const dir = path.join(parent, name);
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st || !st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
