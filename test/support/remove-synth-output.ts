/**
 * Every test file removes what its synths wrote to the temporary directory:
 * - the cloud assemblies: an `App` without `outdir` (and `Template.fromStack`) synthesizes into a fresh `cdk.out*`
 *   directory, with a copy of every image's build context, and CDK never removes it (hundreds of tests made gigabytes
 *   per run). Each one this process creates is recorded, and removed when the file ends;
 * - the library's fromSource staging directories, which it removes at process exit (an exit a jest worker's test code
 *   never sees), with its own removal.
 */
import * as path from 'path';
import { removeStagingDirectories } from '../../lib/dockerfile/staging-directory';

// The core module itself (an `import * as` namespace is read-only): the one every module of this process calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');
const created: string[] = [];
const mkdtempSync = fs.mkdtempSync;

// Before the test file's own code runs (an App may be made at its top level).
fs.mkdtempSync = ((prefix: string, options?: import('fs').EncodingOption) => {
  const dir = mkdtempSync(prefix, options) as string;
  if (path.basename(prefix).startsWith('cdk.out')) created.push(dir);
  return dir;
}) as typeof fs.mkdtempSync;

afterAll(() => {
  fs.mkdtempSync = mkdtempSync;
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  removeStagingDirectories();
});
