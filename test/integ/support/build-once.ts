/**
 * Builds a cached test image once per machine, however many jest workers ask for it at the same time, and says so while
 * it happens: jest holds a test file's console output back until the file ends, so a first run's multi-minute builds
 * would otherwise be silent. Progress goes straight to stderr.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { imageExists } from './docker';
import { isProcessRunning } from '../../../lib/process-running';

/** One line of progress, printed at once. */
export function progress(message: string): void {
  process.stderr.write(`[test images] ${message}\n`);
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Runs `build` unless `tag` exists, holding a lock (a directory with the holder's pid) that other workers wait on; a
 * lock whose holder died is taken over.
 */
export async function buildOnce(tag: string, build: () => Promise<void>): Promise<string> {
  if (await imageExists(tag)) return tag;
  const lock = path.join(os.tmpdir(), `ccf-build-${tag.replace(/[^A-Za-z0-9._-]+/g, '_')}.lock`);
  let waited = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (holder && !isProcessRunning(holder)) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (!waited) progress(`waiting for ${tag}: another test process is building it`);
      waited = true;
      await sleep(2000);
    }
  }
  try {
    if (await imageExists(tag)) return tag;
    const started = Date.now();
    progress(`building ${tag} (first run only: later runs reuse it)`);
    await build();
    progress(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return tag;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** For `docker build --progress=plain` output: prints each build step as it starts. */
export function stepPrinter(label: string): (line: string) => void {
  return line => {
    const m = /^#\d+ (\[[^\]]+\] .*)$/.exec(line);
    if (m) progress(`${label}: ${m[1].slice(0, 160)}`);
  };
}
