import * as fs from 'fs';
import * as path from 'path';
import { IgnoreMode, IgnoreStrategy } from 'aws-cdk-lib';
import { lastInputCommit } from './context-commit';
import { externalLinks, linkTargetIsDirty } from './context-links';
import { GitReader } from './git';

/** Which files of a build context Docker sees: `.dockerignore` plus `exclude`, as DockerImageAsset applies them. */
export function contextIgnoreStrategy(directory: string, exclude: string[] = [], ignoreMode?: IgnoreMode, file = 'Dockerfile'): IgnoreStrategy {
  const ignoreFile = path.join(directory, '.dockerignore');
  const patterns = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, 'utf-8').split(/\r?\n/).filter(line => line.trim() && !line.trim().startsWith('#'))
    : [];
  // Docker always sends the Dockerfile and .dockerignore, whatever the patterns say.
  const all = [...patterns, ...exclude, `!${file}`, '!.dockerignore'];
  return IgnoreStrategy.fromCopyOptions({ exclude: all, ignoreMode: ignoreMode ?? IgnoreMode.DOCKER }, directory);
}

/** What git says about one build context. */
export interface ContextState {
  readonly gitRoot: string;
  /** Why the context's content is not fully determined by the commit (empty when it is). */
  readonly dirtyPaths: string[];
  /** The newest commit that changed the context's inputs (see context-commit.ts), read on first call; undefined when none did. */
  readonly lastInputCommit: () => string | undefined;
}

const STATES = new WeakMap<GitReader, Map<string, ContextState>>();

/**
 * The state of one build context, worked out once per app: functions that share a directory and its
 * ignore options share the `.dockerignore` read, the walk over `git status` and the `git log` of its inputs.
 */
export function contextStateOf(reader: GitReader, gitRoot: string, directory: string,
  exclude: string[] = [], ignoreMode?: IgnoreMode, file = 'Dockerfile'): ContextState {
  let states = STATES.get(reader);
  if (!states) {
    states = new Map();
    STATES.set(reader, states);
  }
  const key = JSON.stringify([gitRoot, path.resolve(directory), exclude, ignoreMode ?? null, file]);
  let state = states.get(key);
  if (!state) {
    const ignore = contextIgnoreStrategy(directory, exclude, ignoreMode, file);
    let commit: { sha: string | undefined } | undefined;
    state = {
      ...readContextState(reader, gitRoot, directory, ignore),
      lastInputCommit: () => (commit ??= { sha: lastInputCommit(reader, gitRoot, directory, ignore) }).sha,
    };
    states.set(key, state);
  }
  return state;
}

/**
 * Lists paths in the build context that differ from HEAD: modified or untracked files, files git
 * ignores but Docker would still send (a locally built `dist/`, say), since the commit does not pin them, and links
 * whose target outside the context is (see context-links.ts).
 */
export function readContextState(reader: GitReader, gitRoot: string, directory: string, ignore: IgnoreStrategy): Pick<ContextState, 'gitRoot' | 'dirtyPaths'> {
  const context = path.resolve(directory);
  const status = reader.status(gitRoot);
  const dirtyPaths: string[] = [];
  const consider = (relative: string) => {
    const absolute = path.resolve(gitRoot, relative);
    if (absolute !== context && context.startsWith(absolute.replace(/\/?$/, '/'))) {
      // An ignored or untracked directory that contains the whole context.
      dirtyPaths.push(path.relative(gitRoot, context) + '/');
      return;
    }
    if (!absolute.startsWith(context + path.sep)) return;
    if (ignore.ignores(absolute.replace(/\/$/, ''))) return;
    dirtyPaths.push(relative);
  };
  status.changed.forEach(consider);
  status.ignored.forEach(consider);
  // A submodule's own status: the superproject never lists what the submodule ignores, yet Docker sends it.
  for (const submodule of submodulesUnder(gitRoot, context)) {
    const root = path.join(gitRoot, submodule);
    const inner = readContextState(reader, root, root, IgnoreStrategy.fromCopyOptions({ exclude: [] }, root));
    inner.dirtyPaths.forEach(p => consider(`${submodule}/${p}`));
  }
  // Links to outside the context bring their target's content into the asset: its git state counts too.
  for (const { link, target } of externalLinks(context, p => ignore.ignores(p))) {
    if (linkTargetIsDirty(gitRoot, target, [...status.changed, ...status.ignored])) dirtyPaths.push(path.relative(gitRoot, link));
  }
  return { gitRoot, dirtyPaths: [...new Set(dirtyPaths)].sort() };
}

/**
 * Checked-out submodules (by `.gitmodules`, relative to the repository root) inside `context`, or holding it. No
 * `.gitmodules`, no submodules: nothing is spawned.
 */
export function submodulesUnder(gitRoot: string, context: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(gitRoot, '.gitmodules'), 'utf-8');
  } catch {
    return [];
  }
  const paths = [...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map(m => m[1].replace(/^"(.*)"$/, '$1'));
  return paths.filter(p => {
    const absolute = path.resolve(gitRoot, p);
    const inside = absolute === context || absolute.startsWith(context + path.sep) || context.startsWith(absolute + path.sep);
    return inside && fs.existsSync(path.join(absolute, '.git'));
  });
}
