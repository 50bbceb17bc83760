// Internal: a static lower bound of an image's size — the bytes of the build context that the
// Dockerfile's final stage can COPY/ADD. The base image and RUN output are unknown at synth, so
// the real image is at least this big. Reads file sizes only; never copies or hashes the context.
import * as fs from 'fs';
import * as path from 'path';
import dockerignore from '@balena/dockerignore';
import { copySources, flagValues, isRemoteSource, keywordOf, ParsedDockerfile } from '../dockerfile/parsed-dockerfile';

/** A regular file in a build context, by its context-relative POSIX path. */
export interface ContextFile {
  readonly path: string;
  readonly size: number;
}

/** Lists build contexts once per directory and filter, and sums what a Dockerfile can copy. */
export class SizeEstimator {
  private readonly listings = new Map<string, ContextFile[]>();

  /**
   * Files of a context. `ignore` are .dockerignore-style patterns to apply (pass none for a
   * staged asset directory: CDK already filtered it).
   */
  public list(directory: string, ignore: string[] = []): ContextFile[] {
    const key = `${directory}\0${ignore.join('\0')}`;
    let files = this.listings.get(key);
    if (!files) {
      files = walk(directory);
      if (ignore.length > 0) {
        const matcher = dockerignore({ ignorecase: false }).add(ignore);
        files = files.filter(f => !matcher.ignores(f.path));
      }
      this.listings.set(key, files);
    }
    return files;
  }

  /** Lower bound in bytes of what the Dockerfile's final stage copies from the context. */
  public estimate(dockerfile: ParsedDockerfile, files: ContextFile[]): number {
    const final = dockerfile.finalStage;
    if (!final) return 0;
    const sources: string[] = [];
    for (const stage of dockerfile.chain(final)) {
      for (const instruction of stage.instructions) {
        const keyword = keywordOf(instruction);
        if (keyword !== 'COPY' && keyword !== 'ADD') continue;
        if (flagValues(instruction, 'from').length > 0) continue; // from another stage or image
        sources.push(...copySources(instruction).filter(s => !isRemoteSource(s) && !s.includes('$')));
      }
    }
    return sumMatching(files, sources);
  }
}

/** .dockerignore patterns of a context directory (empty when there is none). */
export function readDockerignore(directory: string): string[] {
  const file = path.join(directory, '.dockerignore');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).map(l => l.trim()).filter(l => l.length > 0 && !l.startsWith('#'));
}

function sumMatching(files: ContextFile[], sources: string[]): number {
  const patterns = sources.map(normalizeSource);
  if (patterns.some(p => p === '')) return files.reduce((sum, f) => sum + f.size, 0);
  const literal = patterns.filter(p => !/[*?[\\]/.test(p));
  const globs = patterns.filter(p => /[*?[\\]/.test(p));
  const globMatcher = globs.length > 0 ? dockerignore({ ignorecase: false }).add(globs) : undefined;
  let total = 0;
  for (const file of files) {
    const copied = literal.some(p => file.path === p || file.path.startsWith(p + '/'))
      || (globMatcher !== undefined && globMatcher.ignores(file.path));
    if (copied) total += file.size;
  }
  return total;
}

/** `./src/` → `src`; `.` and `/` → `` (the whole context). */
function normalizeSource(source: string): string {
  let s = source.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  s = s.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

function walk(root: string): ContextFile[] {
  const files: ContextFile[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished: a lower bound may skip it
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        pending.push(child);
      } else if (entry.isFile()) {
        try {
          files.push({ path: child, size: fs.statSync(path.join(root, child)).size });
        } catch {
          // vanished between readdir and stat
        }
      }
    }
  }
  return files;
}
