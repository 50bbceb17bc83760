/**
 * After the whole jest run: fails it when the tests left files in their temporary directory, or changed the image tags
 * of the Docker engine (apart from the documented caches: test/integ/support/engine-images.ts). AWS base image names the
 * suite borrowed while they were absent are returned first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadRunState } from './run-state';
import { imageTags, returnBorrowedNames, tagChanges } from '../integ/support/engine-images';

const TOOL_CACHES = /^(v8-compile-cache|tsx)-\d+$/;

export default function globalTeardown(): void {
  const state = loadRunState();
  if (!state) return;
  process.env.TMPDIR = state.realTmp;
  const problems: string[] = [];

  // ts-node's and tsx's compile caches (child processes that run TypeScript keep them in the temporary directory) are
  // tools', not tests'; they go with the run's directory.
  const left = fs.readdirSync(state.runDir).filter(entry => !TOOL_CACHES.test(entry));
  if (left.length > 0) {
    const sizes = left.map(entry => `  ${entry}${fs.statSync(path.join(state.runDir, entry)).isDirectory() ? '/' : ''}`);
    problems.push(`the tests left ${left.length} entries in their temporary directory (every test removes what it writes):\n${sizes.join('\n')}`);
  }
  fs.rmSync(state.runDir, { recursive: true, force: true });

  if (state.images && process.env.CCF_SKIP_ENGINE_CHECK !== '1') {
    let after = imageTags() ?? {};
    const returned = returnBorrowedNames(state.images, after);
    if (returned.length > 0) after = imageTags() ?? {};
    const changes = tagChanges(state.images, after);
    if (changes.length > 0) {
      problems.push('the tests changed the Docker engine\'s image tags (they must leave it as they found it; '
        + `CCF_SKIP_ENGINE_CHECK=1 skips this check on an engine that other work changes at the same time):\n${changes.map(c => `  ${c}`).join('\n')}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}
