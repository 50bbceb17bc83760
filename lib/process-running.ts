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
