import * as fs from 'fs';
import * as path from 'path';
import { IgnoreStrategy } from 'aws-cdk-lib';
import { externalLinks } from './context-links';
import { GitReader } from './git';

/**
 * The newest commit that changed a build context's inputs: files under the context that Docker
 * would send (`.dockerignore` and `exclude` applied, as DockerImageAsset applies them). A commit that
 * only touches files outside the context, or files the context ignores, is not such a commit, so
 * an image whose inputs did not change keeps its tag.
 *
 * Git runs once per distinct context (`git log -1`), after one `git ls-files` per repository; the
 * caller (contextStateOf) works this out once per context, with the context's ignore strategy.
 * Returns undefined when no commit ever touched the context (it is new and untracked).
 */
export function lastInputCommit(reader: GitReader, gitRoot: string, directory: string, ignore: IgnoreStrategy): string | undefined {
  const context = path.resolve(directory);
  const relative = path.relative(gitRoot, context).split(path.sep).join('/');
  const prefix = relative ? `${relative}/` : '';
  const tracked = reader.trackedFiles(gitRoot).filter(f => f.startsWith(prefix));
  const ignored = tracked.filter(f => ignore.ignores(path.join(gitRoot, f)));
  const pathspecs = [relative ? `:(literal)${relative}` : '.', ...excludedPathspecs(prefix, tracked, ignored), ...linkTargetPathspecs(gitRoot, context, ignore)];
  return reader.lastCommit(gitRoot, pathspecs);
}

/**
 * The targets of links that lead out of the context (followed when the asset is staged, so their content is in the
 * image): a commit that changes `shared/lib.py` changes a context holding `lib.py -> ../shared/lib.py`. Targets
 * outside the repository have no commit; the dirty check reports those links.
 */
function linkTargetPathspecs(gitRoot: string, context: string, ignore: IgnoreStrategy): string[] {
  const realRoot = fs.realpathSync(gitRoot);
  const targets = externalLinks(context, p => ignore.ignores(p))
    .map(({ target }) => path.relative(realRoot, target))
    .filter(relative => relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
  return [...new Set(targets)].sort().map(relative => `:(literal)${relative.split(path.sep).join('/')}`);
}

/**
 * `:(exclude)` pathspecs for the ignored tracked files, folded into the highest directory whose
 * tracked files are all ignored (a `node_modules/` or `tests/` becomes one pathspec, not thousands).
 * Paths are relative to the repository root, with `/` separators.
 */
export function excludedPathspecs(prefix: string, tracked: string[], ignored: string[]): string[] {
  const trackedUnder = new Map<string, number>();
  const ignoredUnder = new Map<string, number>();
  const count = (counts: Map<string, number>, file: string) => {
    for (const dir of ancestors(prefix, file)) counts.set(dir, (counts.get(dir) ?? 0) + 1);
  };
  tracked.forEach(f => count(trackedUnder, f));
  ignored.forEach(f => count(ignoredUnder, f));
  const result = new Set<string>();
  for (const file of ignored) {
    // ancestors() lists from the top down: the first fully ignored one is the highest.
    const whole = ancestors(prefix, file).find(dir => ignoredUnder.get(dir) === trackedUnder.get(dir));
    result.add(whole ?? file);
  }
  return [...result].sort().map(p => `:(exclude,literal)${p}`);
}

/** Directories between the context (exclusive) and the file (exclusive), top down: `a/b/c.txt` → `a`, `a/b`. */
function ancestors(prefix: string, file: string): string[] {
  const parts = file.slice(prefix.length).split('/').slice(0, -1);
  return parts.map((_, i) => prefix + parts.slice(0, i + 1).join('/'));
}
