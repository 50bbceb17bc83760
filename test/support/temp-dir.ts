/**
 * Temporary directories for tests, removed when the test file ends: whatever a test does with one, and even when it
 * fails, nothing is left behind (jest's global teardown fails the run otherwise).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

// Registered when a test file imports this module (while jest collects its tests).
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory `<tmpdir>/<prefix>XXXXXX`, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
