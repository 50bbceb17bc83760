// The temporary directory `docker save` writes an image's archive into (as large as the image). Named after this
// process: whatever a measurement that was killed outright (SIGKILL) left behind is removed by the next measurement,
// once that process has ended. Ctrl+C during the save stops `docker save` (the terminal signals the whole process
// group), then the directory is removed before the interrupt takes effect.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweepDirectoriesOfEndedProcesses } from '../process-running';

const PREFIX = 'ccf-measure-';
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Runs `use` with a fresh directory, always removed afterwards; an interrupt during `use` is re-raised after it. */
export function withSaveDirectory<T>(use: (directory: string) => T, wasInterrupted: (error: unknown) => boolean): T {
  sweepDirectoriesOfEndedProcesses(os.tmpdir(), PREFIX);
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  // While a listener is installed, an interrupt does not end the process at once (Node's default): the blocked
  // `docker save` returns, and the finally below runs.
  const hold = () => undefined;
  INTERRUPTS.forEach(signal => process.on(signal, hold));
  let interrupted = false;
  try {
    return use(directory);
  } catch (error) {
    interrupted = wasInterrupted(error);
    throw error;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
    INTERRUPTS.forEach(signal => process.off(signal, hold));
    // The save died of a signal: the user's Ctrl+C. Deliver it to this process too, now that nothing is left behind.
    if (interrupted) process.kill(process.pid, 'SIGINT');
  }
}
