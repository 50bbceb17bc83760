// What `--watch` looks at, and which edits matter:
// - the build context of every served image, in the user's directory (cdk.out holds copies: see user-context.ts),
//   judged by the image's own rules: its .dockerignore (as staged, so fromSource's generated one too, read with
//   aws-cdk-lib's IgnoreStrategy, as CDK stages assets), and `exclude` (a file CDK left out of the staged copy);
// - the app's own source, everywhere else below the app directory, as `cdk watch` picks it: cdk.json's
//   `watch.include` / `watch.exclude` (default: everything but the assembly, dependencies and dot files).
// A file inside a build context is judged by that context's rules only, so an ignored file there does nothing.
import * as fs from 'fs';
import * as path from 'path';
import ignore from '@balena/dockerignore';
import { IgnoreMode, IgnoreStrategy } from 'aws-cdk-lib';
import { NOT_SOURCE_DIRECTORIES, isGeneratedDockerfile, userContextOf } from './user-context';
import { AppFunction } from '../../assembly';
import { stagedContextOf } from '../functions/build-context';

/** How a file changed, as the watcher reports it. */
export type FileEvent = 'add' | 'change' | 'unlink';

export interface ContextScope {
  /** The user's directory the image is built from. */
  readonly directory: string;
  /** cdk.out's staged copy it was built from. */
  readonly staged: string;
  /** Construct paths of the functions built from it. */
  readonly functions: readonly string[];
  /** False when negated patterns may bring back files below an ignored directory (it must be watched then). */
  readonly canPrune: boolean;
  /** The staged Dockerfile and .dockerignore were generated (fromSource): only a synth can say what they become. */
  readonly generated: boolean;
  /** Whether an event on this file (inside `directory`) cannot change the image. */
  ignores(absolutePath: string, event: FileEvent): boolean;
}

export interface WatchScope {
  readonly appDirectory: string;
  /** Directories to watch. */
  readonly roots: readonly string[];
  readonly contexts: readonly ContextScope[];
  /** Staged contexts whose user directory was not found (their edits cannot be seen). */
  readonly untraced: readonly { readonly functions: readonly string[]; readonly staged: string }[];
  /** What an event means: the build context(s) it changes, the app source, or nothing. */
  classify(absolutePath: string, event: FileEvent): { readonly contexts: readonly ContextScope[] } | 'app' | undefined;
  /** Whether the watcher may skip this path and everything below it. */
  prune(absolutePath: string): boolean;
}

/** cdk.json's `watch` block, as `cdk watch` reads it. */
export interface WatchConfig {
  readonly include?: string[];
  readonly exclude?: string[];
}

/** A context's rules: its staged .dockerignore, and CDK's own exclusions (a file it left out of the staged copy). */
export function contextScope(directory: string, staged: string, dockerfile: string, functions: readonly string[]): ContextScope {
  const ignoreFile = path.join(staged, '.dockerignore');
  const patterns = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, 'utf8').split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#'))
    : [];
  const generated = isGeneratedDockerfile(staged);
  // Docker always reads the Dockerfile and .dockerignore (a generated pair replaces the user's: edits there do nothing).
  const always = generated ? [] : [`!${dockerfile}`, '!.dockerignore'];
  const strategy = IgnoreStrategy.fromCopyOptions({ exclude: [...patterns, ...(generated ? [dockerfile, '.dockerignore'] : []), ...always], ignoreMode: IgnoreMode.DOCKER }, directory);
  return {
    directory,
    staged,
    functions,
    generated,
    canPrune: !patterns.some(p => p.startsWith('!')),
    ignores: (absolutePath, event) => {
      const relative = path.relative(directory, absolutePath);
      if (relative === '' || strategy.ignores(absolutePath)) return relative !== '';
      // A file that was there at synth but is not in the staged copy was left out by `exclude`.
      return event !== 'add' && !fs.existsSync(path.join(staged, relative));
    },
  };
}

export interface ScopeOptions {
  /** The app's directory (where cdk.json is). */
  readonly appDirectory: string;
  /** The assembly directory (never watched as source). */
  readonly assemblyDirectory?: string;
  readonly config?: WatchConfig;
}

/** The scope of the functions served now. */
export function watchScope(functions: readonly AppFunction[], o: ScopeOptions): WatchScope {
  const app = path.resolve(o.appDirectory);
  const byStaged = new Map<string, { dockerfile: string; functions: string[] }>();
  for (const fn of functions) {
    const staged = stagedContextOf(fn);
    if (!staged) continue;
    const entry = byStaged.get(staged.directory) ?? { dockerfile: staged.dockerfile, functions: [] };
    entry.functions.push(fn.path);
    byStaged.set(staged.directory, entry);
  }
  const contexts: ContextScope[] = [];
  const untraced: { functions: string[]; staged: string }[] = [];
  for (const [staged, { dockerfile, functions: paths }] of byStaged) {
    const directory = fs.existsSync(staged) ? userContextOf(staged, app) : undefined;
    if (directory) contexts.push(contextScope(directory, staged, dockerfile, paths));
    else untraced.push({ functions: paths, staged });
  }
  const include = o.config?.include?.length ? ignore().add(o.config.include) : undefined;
  const exclude = ignore().add(o.config?.exclude ?? []);
  const assembly = o.assemblyDirectory ? path.resolve(o.assemblyDirectory) : undefined;
  const notSource = (relative: string) => relative.split(path.sep).some(part =>
    NOT_SOURCE_DIRECTORIES.has(part) || part.startsWith('cdk.out') || (part.startsWith('.') && part !== '.' && part !== '..'));
  const containing = (p: string) => contexts.filter(c => isInside(p, c.directory));
  const appSource = (p: string) => {
    if (!isInside(p, app) || (assembly && isInside(p, assembly))) return false;
    const relative = path.relative(app, p);
    if (relative === '' || notSource(relative)) return false;
    const posix = relative.split(path.sep).join('/');
    return (include ? include.ignores(posix) : true) && !exclude.ignores(posix);
  };
  return {
    appDirectory: app,
    roots: [app, ...contexts.map(c => c.directory).filter(d => !isInside(d, app))],
    contexts,
    untraced,
    classify: (absolutePath, event) => {
      const p = path.resolve(absolutePath);
      const inContexts = containing(p);
      if (inContexts.length) {
        const changed = inContexts.filter(c => !c.ignores(p, event));
        return changed.length ? { contexts: changed } : undefined;
      }
      return appSource(p) ? 'app' : undefined;
    },
    prune: absolutePath => {
      const p = path.resolve(absolutePath);
      if (assembly && isInside(p, assembly)) return true;
      const inContexts = containing(p);
      if (inContexts.length) return inContexts.every(c => c.canPrune && c.ignores(p, 'add'));
      return isInside(p, app) && notSource(path.relative(app, p));
    },
  };
}

/** cdk.json's `watch` block in `appDirectory`, when there is one. */
export function readWatchConfig(appDirectory: string): WatchConfig | undefined {
  try {
    const watch = JSON.parse(fs.readFileSync(path.join(appDirectory, 'cdk.json'), 'utf8')).watch;
    if (!watch || typeof watch !== 'object') return undefined;
    const list = (v: unknown) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter(x => typeof x === 'string') : undefined);
    return { include: list(watch.include), exclude: list(watch.exclude) };
  } catch {
    return undefined;
  }
}

export function isInside(p: string, dir: string): boolean {
  const relative = path.relative(dir, p);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
