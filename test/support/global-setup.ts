/**
 * Before the whole jest run: the run gets a temporary directory of its own (TMPDIR, which every worker and child process
 * inherits), so the teardown can prove the tests removed everything they wrote; and, where an engine answers, the
 * Docker image tags are recorded, so the teardown can prove the engine was left as it was found.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_PREFIX, RunState, saveRunState } from './run-state';
import { isProcessRunning } from '../../lib/process-running';
import { imageTags, removeLeftoverBorrowedNames } from '../integ/support/engine-images';

export default function globalSetup(): void {
  const realTmp = os.tmpdir();
  // A run killed before its teardown left its directory: remove it once its process is gone.
  for (const entry of fs.readdirSync(realTmp).filter(e => e.startsWith(RUN_PREFIX))) {
    const pid = Number(entry.slice(RUN_PREFIX.length).split('-')[0]);
    if (pid && !isProcessRunning(pid)) fs.rmSync(path.join(realTmp, entry), { recursive: true, force: true });
  }
  const runDir = fs.mkdtempSync(path.join(realTmp, `${RUN_PREFIX}${process.pid}-`));
  let images = imageTags();
  if (images) {
    const removed = removeLeftoverBorrowedNames(images);
    if (removed.length > 0) {
      process.stderr.write(`[engine] removed ${removed.join(', ')}: borrowed by an earlier test run that ended before returning them\n`);
      images = imageTags();
    }
  }
  const state: RunState = { realTmp, runDir, images };
  saveRunState(state);
  process.env.TMPDIR = runDir;
}
