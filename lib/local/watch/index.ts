// `--watch` for `serve` and `api`: an edit to a served image's build context or to the app's own source
// re-synthesizes the app; only images whose asset changed are rebuilt (an asset id is CDK's hash of the context, so
// an unchanged image is neither rebuilt nor inspected); the replaced functions' warm containers are retired once
// the requests already on them are answered, and one new environment of each is warmed. Requests arriving from the
// first edit until then wait (RebuildGate), so once a rebuild has finished no request is answered by old code. A
// failed synth or build prints its error and the last good code keeps serving; the next edit retries.
// With --app naming an assembly directory there is nothing to synthesize: the assembly itself is watched (run
// `cdk synth` to serve an edit).
import * as fs from 'fs';
import * as path from 'path';
import { FSWatcher, watch } from 'chokidar';
import { RebuildGate } from './rebuild-gate';
import { FailedReload, reloadFunctions } from './reload';
import { ContextScope, FileEvent, WatchScope, readWatchConfig, watchScope } from './watch-scope';
import { AppAssembly, AppFunction, readApp, resolveAssembly } from '../../assembly';
import { PrepareOptions } from '../functions/load';
import { LocalFunction } from '../functions/local-function';

/** What the watcher drives: the endpoint serving the functions (`serve`'s Invoke API, or `api`'s front doors). */
export interface WatchTarget {
  readonly gate: RebuildGate;
  /** The functions of `app` to serve (all, the ones named, or the ones the routes run). Throws when none can be. */
  wanted(app: AppAssembly): AppFunction[];
  /** The functions served now. */
  served(): readonly LocalFunction[];
  /**
   * Serves `functions` (and what else `app` now says, e.g. routes) from now on; resolves once the requests already on
   * replaced functions are answered. Returns lines for the user (e.g. routes added or gone).
   */
  apply(app: AppAssembly, functions: readonly LocalFunction[]): Promise<string[]>;
  /** Starts one environment of a function, so the first request after a rebuild finds it warm. */
  prewarm(fn: LocalFunction): Promise<void>;
}

export interface WatchOptions extends PrepareOptions {
  /** `--app` as given (default: cdk.json's `app`). */
  readonly app?: string;
  /** The app's directory (where cdk.json is). @default process.cwd() */
  readonly appDirectory?: string;
  /** Where the watcher's lines go. */
  readonly print: (line: string) => void;
  /** Quiet time after the last edit before a rebuild starts (editors write a file in several steps). @default 100 */
  readonly settleMs?: number;
}

export class FunctionWatcher {
  private watcher?: FSWatcher;
  private scope?: WatchScope;
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private release?: () => void;
  private closed = false;
  private readonly appDirectory: string;
  private readonly assemblyDirectory?: string;

  constructor(private app: AppAssembly, private readonly target: WatchTarget, private readonly o: WatchOptions) {
    this.appDirectory = path.resolve(o.appDirectory ?? process.cwd());
    const appArg = o.app ?? readAppCommand(this.appDirectory);
    const asDirectory = appArg ? path.resolve(this.appDirectory, appArg) : undefined;
    if (asDirectory && fs.statSync(asDirectory, { throwIfNoEntry: false })?.isDirectory()) this.assemblyDirectory = asDirectory;
  }

  /** Starts watching; resolves once the watcher has read the directories (edits from then on are seen). */
  async start(): Promise<void> {
    if (this.assemblyDirectory) {
      this.watcher = watch(path.join(this.assemblyDirectory, 'manifest.json'), { ignoreInitial: true });
      this.watcher.on('all', () => this.changed(path.relative(this.appDirectory, path.join(this.assemblyDirectory!, 'manifest.json'))));
    } else {
      const scope = this.scopeOf(this.app);
      this.watcher = watch([...scope.roots], { ignoreInitial: true, ignored: p => this.scope!.prune(p) });
      this.watcher.on('all', (event, file) => {
        if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
        if (this.scope!.classify(file, event as FileEvent)) this.changed(path.relative(this.appDirectory, file) || file);
      });
    }
    await new Promise<void>((resolve, reject) => {
      this.watcher!.once('ready', () => resolve());
      this.watcher!.once('error', reject);
    });
    this.watcher.on('error', e => this.o.print(`watch: ${(e as Error).message}`));
    if (this.assemblyDirectory) {
      this.o.print(`watch: ${path.relative(this.appDirectory, this.assemblyDirectory) || '.'} is an assembly directory: watching it (run cdk synth to serve an edit)`);
    } else {
      const s = this.scope!;
      for (const c of s.contexts) this.printContext(c);
      for (const u of s.untraced) this.o.print(`watch: ${u.functions.join(', ')}: the source of ${rel(this.appDirectory, u.staged)} was not found below ${this.appDirectory}; its edits are seen only through the app's source`);
      this.o.print(`watch: app source ${rel(this.appDirectory, this.appDirectory)} (${readWatchConfig(this.appDirectory) ? 'cdk.json "watch" include/exclude' : 'everything but the assembly, dependencies and dot files'}): an edit re-synthesizes`);
    }
  }

  private printContext(c: ContextScope): void {
    this.o.print(`watch: build context ${rel(this.appDirectory, c.directory)} (${c.functions.join(', ')}; .dockerignore and exclude honoured)`);
  }

  /** Stops watching; a rebuild under way is left to finish, and serves nothing new. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.release?.();
    this.release = undefined;
    await this.watcher?.close();
  }

  private scopeOf(app: AppAssembly): WatchScope {
    this.scope = watchScope(this.target.wanted(app), {
      appDirectory: this.appDirectory,
      assemblyDirectory: app.directory,
      config: readWatchConfig(this.appDirectory),
    });
    return this.scope;
  }

  private changed(file: string): void {
    if (this.closed) return;
    this.pending.add(file.split(path.sep).join('/'));
    // Requests wait from the first edit: one arriving now must not run code the edit replaces.
    this.release ??= this.target.gate.hold();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.rebuild());
    }, this.o.settleMs ?? 100);
  }

  private async rebuild(): Promise<void> {
    if (this.closed || this.pending.size === 0) return;
    const files = [...this.pending].sort();
    this.pending.clear();
    const release = this.release;
    this.release = undefined;
    const what = `${files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ')} changed`;
    const started = Date.now();
    const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    try {
      let app: AppAssembly;
      try {
        app = await this.synthesize();
      } catch (e) {
        this.o.print(`watch: synth FAILED after ${took()} (${what}); still serving the last good code; the next edit retries:\n${(e as Error).message}`);
        return;
      }
      const synthTook = took();
      const wanted = this.target.wanted(app);
      const result = await reloadFunctions(app, wanted, this.target.served(), this.o);
      if (this.closed) return;
      const notes = await this.target.apply(app, result.served);
      const fresh = [...result.replaced.map(r => r.fresh), ...result.added];
      const warmFailures = new Map<LocalFunction, string>();
      await Promise.all(fresh.map(f => this.target.prewarm(f).catch(e => { warmFailures.set(f, (e as Error).message.split('\n')[0]); })));
      this.app = app;
      if (!this.assemblyDirectory) this.updateScope(app);
      const detail = `${what}; synth ${synthTook}`;
      const warm = (f: LocalFunction) => (warmFailures.has(f) ? `; its first environment failed to start: ${warmFailures.get(f)}` : '');
      for (const r of result.replaced) this.o.print(`watch: ${r.fresh.spec.path} ${r.rebuilt ? 'rebuilt' : 'reloaded (same image, new settings)'} in ${took()} (${detail})${warm(r.fresh)}`);
      for (const f of result.added) this.o.print(`watch: ${f.spec.path} added in ${took()} (${detail})${warm(f)}`);
      for (const f of result.removed) this.o.print(`watch: ${f.spec.path} removed (${what})`);
      for (const f of result.failed) this.o.print(failedLine(f, took(), what));
      for (const line of notes) this.o.print(`watch: ${line}`);
      if (!result.replaced.length && !result.added.length && !result.removed.length && !result.failed.length && !notes.length) {
        this.o.print(`watch: ${what}: no served function changed (${took()})`);
      }
    } catch (e) {
      this.o.print(`watch: reload FAILED after ${took()} (${what}); still serving the last good code; the next edit retries:\n${(e as Error).message}`);
    } finally {
      release?.();
    }
  }

  /** The app as it is now: re-synthesized (its output shown only when it fails), or the assembly re-read. */
  private async synthesize(): Promise<AppAssembly> {
    if (this.assemblyDirectory) return readApp(this.assemblyDirectory);
    const assembly = await resolveAssembly({ app: this.o.app, cwd: this.appDirectory, onOutput: () => undefined });
    return readApp(assembly.directory);
  }

  /** New functions' contexts are watched from now on (those outside the app directory are added to the watcher). */
  private updateScope(app: AppAssembly): void {
    const before = new Set(this.scope?.roots ?? []);
    const known = new Set(this.scope?.contexts.map(c => c.directory) ?? []);
    const scope = this.scopeOf(app);
    const added = scope.roots.filter(r => !before.has(r));
    if (added.length) this.watcher?.add(added);
    for (const c of scope.contexts.filter(x => !known.has(x.directory))) this.printContext(c);
  }
}

function failedLine(f: FailedReload, took: string, what: string): string {
  const keeps = f.kept ? 'still serving the last good image' : 'not served';
  return `watch: ${f.path}: build FAILED after ${took} (${what}); ${keeps}; the next edit retries:\n${f.error.message}`;
}

function rel(from: string, to: string): string {
  return path.relative(from, to) || '.';
}

function readAppCommand(appDirectory: string): string | undefined {
  try {
    const app = JSON.parse(fs.readFileSync(path.join(appDirectory, 'cdk.json'), 'utf8')).app;
    return typeof app === 'string' ? app : undefined;
  } catch {
    return undefined;
  }
}
