// `--watch` for `serve` and `api`: an edit that only changes the contents of files in build contexts is served without a
// synth: copied into the function's waiting environment when a build would only copy it into the image (standbys.ts),
// else built from the last context (content-rebuild.ts); any other edit to a build context or to the
// app's own source re-synthesizes the app, and only images whose asset changed are rebuilt (an asset id is CDK's hash of the context, so
// an unchanged image is neither rebuilt nor inspected); the replaced functions' warm containers are retired once
// the requests already on them are answered, and one new environment of each is warmed. Requests arriving from the
// first edit until then wait (RebuildGate), so once a rebuild has finished no request is answered by old code. A
// failed synth or build prints its error and the last good code keeps serving; the next edit retries.
// With --app naming an assembly directory there is nothing to synthesize: the assembly itself is watched (run
// `cdk synth` to serve an edit).
import * as fs from 'fs';
import * as path from 'path';
import { FSWatcher, watch } from 'chokidar';
import { ContentBuilds, SeenEdit, contentOnlyPlan, removeStaleContentBuilds } from './content-rebuild';
import { CopyTarget } from './copy-targets';
import { RebuildGate } from './rebuild-gate';
import { FailedReload, Replacement, reloadFunctions } from './reload';
import { Standbys } from './standbys';
import { ContextScope, FileEvent, WatchScope, readWatchConfig, watchScope } from './watch-scope';
import { AppAssembly, AppFunction, readApp, resolveAssembly } from '../../assembly';
import { PrepareOptions } from '../functions/load';
import { LocalFunction } from '../functions/local-function';
import { Sandbox } from '../runtime/sandbox';
import { FunctionPools } from '../service/function-pools';

/** What the watcher drives: the endpoint serving the functions (`serve`'s Invoke API, or `api`'s front doors). */
export interface WatchTarget {
  readonly gate: RebuildGate;
  /**
   * The endpoint's environments: warm one (so the first request after a rebuild finds it warm), start a held one
   * (standbys.ts), adopt a resumed one, and tell when replaced functions' containers (removed after apply) are gone.
   */
  readonly pools: Pick<FunctionPools, 'prewarm' | 'startHeld' | 'adopt' | 'retiredRemoved'>;
  /** The functions of `app` to serve (all, the ones named, or the ones the routes run). Throws when none can be. */
  wanted(app: AppAssembly): AppFunction[];
  /** The functions served now. */
  served(): readonly LocalFunction[];
  /**
   * Serves `functions` (and what else `app` now says, e.g. routes) from now on; resolves once the requests already on
   * replaced functions are answered. Returns lines for the user (e.g. routes added or gone).
   */
  apply(app: AppAssembly, functions: readonly LocalFunction[]): Promise<string[]>;
}

export interface WatchOptions extends PrepareOptions {
  /** `--app` as given (default: cdk.json's `app`). */
  readonly app?: string;
  /** The app's directory (where cdk.json is). @default process.cwd() */
  readonly appDirectory?: string;
  /** Where the watcher's lines go. */
  readonly print: (line: string) => void;
  /**
   * Quiet time after the last edit before a rebuild starts (an editor's save is a few writes within milliseconds; a
   * rebuild started between them is followed by another). @default 50
   */
  readonly settleMs?: number;
}

export class FunctionWatcher {
  private watcher?: FSWatcher;
  private scope?: WatchScope;
  /** The edits seen since the last rebuild began, by file. */
  private readonly pending = new Map<string, SeenEdit>();
  private readonly builds = new ContentBuilds();
  private readonly standbys: Standbys;
  private carried: SeenEdit[] = [];
  /** Background removals of replaced functions' content-only images. */
  private readonly retiring = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  /** Requests held since the last rebuild began: one hold per edit, for the functions it may change. */
  private holding: (() => void)[] = [];
  private closed = false;
  private readonly appDirectory: string;
  private readonly assemblyDirectory?: string;

  constructor(private app: AppAssembly, private readonly target: WatchTarget, private readonly o: WatchOptions) {
    this.appDirectory = path.resolve(o.appDirectory ?? process.cwd());
    const appArg = o.app ?? readAppCommand(this.appDirectory);
    const asDirectory = appArg ? path.resolve(this.appDirectory, appArg) : undefined;
    if (asDirectory && fs.statSync(asDirectory, { throwIfNoEntry: false })?.isDirectory()) this.assemblyDirectory = asDirectory;
    this.standbys = new Standbys(fn => target.pools.startHeld(fn));
  }

  /** Starts watching; resolves once the watcher has read the directories (edits from then on are seen). */
  async start(): Promise<void> {
    const stale = await removeStaleContentBuilds();
    if (stale.length) this.o.print(`watch: removed ${stale.length} image(s) left by an earlier run that did not exit cleanly: ${stale.join(', ')}`);
    if (this.assemblyDirectory) {
      this.watcher = watch(path.join(this.assemblyDirectory, 'manifest.json'), { ignoreInitial: true });
      const manifest = path.join(this.assemblyDirectory, 'manifest.json');
      this.watcher.on('all', () => this.changed({ file: manifest, event: 'change', change: 'app' }));
    } else {
      const scope = this.scopeOf(this.app);
      // The --env-vars file, wherever it is (a dot file, outside the app, excluded from its source): an edit reloads.
      const envVars = this.o.envVarsFile ? path.resolve(this.o.envVarsFile) : undefined;
      this.watcher = watch([...scope.roots, ...(envVars ? [envVars] : [])], {
        ignoreInitial: true,
        ignored: p => path.resolve(p) !== envVars && this.scope!.prune(p),
      });
      this.watcher.on('all', (event, file) => {
        if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
        const change = path.resolve(file) === envVars ? 'app' : this.scope!.classify(file, event as FileEvent);
        if (change) this.changed({ file: path.resolve(file), event: event as FileEvent, change });
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
      this.standbys.keep(this.target.served());
    }
  }

  private printContext(c: ContextScope): void {
    this.o.print(`watch: build context ${rel(this.appDirectory, c.directory)} (${c.functions.join(', ')}; .dockerignore and exclude honoured)`);
  }

  /** Stops watching; a rebuild under way is left to finish, and serves nothing new. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const release of this.holding.splice(0)) release();
    await this.watcher?.close();
    await this.standbys.close();
  }

  /** Removes the images and copies of content-only rebuilds (once the endpoint has removed its containers). */
  async removeBuilt(): Promise<void> {
    await Promise.all([...this.retiring]);
    await this.builds.removeAll();
  }

  private scopeOf(app: AppAssembly): WatchScope {
    this.scope = watchScope(this.target.wanted(app), {
      appDirectory: this.appDirectory,
      assemblyDirectory: app.directory,
      config: readWatchConfig(this.appDirectory),
    });
    return this.scope;
  }

  private changed(edit: SeenEdit): void {
    if (this.closed) return;
    // A file added or removed before a change still counts as added or removed.
    const before = this.pending.get(edit.file);
    this.pending.set(edit.file, before && before.event !== 'change' ? before : edit);
    // Requests for what the edit may change wait from now: one arriving now must not run code the edit replaces.
    this.holding.push(this.target.gate.hold(edit.change === 'app' ? undefined : [...new Set(edit.change.contexts.flatMap(c => c.functions))]));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.rebuild());
    }, this.o.settleMs ?? 50);
  }

  private async rebuild(): Promise<void> {
    if (this.closed || this.pending.size === 0) return;
    // Edits whose content-only build failed are built again with the next ones.
    const edits = [...this.carried, ...this.pending.values()];
    this.carried = [];
    this.pending.clear();
    const files = edits.map(e => path.relative(this.appDirectory, e.file).split(path.sep).join('/') || e.file).sort();
    let release: (() => void) | undefined = (holding => () => holding.forEach(r => r()))(this.holding.splice(0));
    // Requests wait until the new code is warm, not for the old containers and images to be removed.
    const open = () => { release?.(); release = undefined; };
    const what = `${files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ')} changed`;
    const started = Date.now();
    const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    try {
      const plan = this.assemblyDirectory ? undefined : contentOnlyPlan(edits, this.target.served());
      if (plan) {
        await this.rebuildContents(plan, what, took, open);
        return;
      }
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
      // The new environments start first: removing the replaced ones would compete with their start for the engine.
      const warmFailures = await this.prewarm([...result.replaced.map(r => r.fresh), ...result.added]);
      const notes = await this.target.apply(app, result.served);
      this.app = app;
      if (!this.assemblyDirectory) this.updateScope(app);
      const detail = `${what}; ${this.assemblyDirectory ? 'assembly read' : 'synth'} ${synthTook}`;
      const warm = (f: LocalFunction) => (warmFailures.has(f) ? `; its first environment failed to start: ${warmFailures.get(f)}` : '');
      for (const r of result.replaced) this.o.print(`watch: ${r.fresh.spec.path} ${r.rebuilt ? 'rebuilt' : 'reloaded (same image, new settings)'} in ${took()} (${detail})${warm(r.fresh)}`);
      for (const f of result.added) this.o.print(`watch: ${f.spec.path} added in ${took()} (${detail})${warm(f)}`);
      for (const f of result.removed) this.o.print(`watch: ${f.spec.path} removed (${what})`);
      for (const f of result.failed) this.o.print(failedLine(f, took(), what));
      for (const line of notes) this.o.print(`watch: ${line}`);
      if (!result.replaced.length && !result.added.length && !result.removed.length && !result.failed.length && !notes.length) {
        this.o.print(`watch: ${what}: no served function changed (${took()})`);
      }
      open();
      this.standbys.drop([...result.replaced.map(r => r.old), ...result.removed]);
      this.standbys.keep([...result.replaced.map(r => r.fresh), ...result.added]);
      this.retireBuilt([...result.replaced.map(r => r.old), ...result.removed]);
    } catch (e) {
      this.o.print(`watch: reload FAILED after ${took()} (${what}); still serving the last good code; the next edit retries:\n${(e as Error).message}`);
    } finally {
      open();
    }
  }

  /**
   * Content-only edits, no synth: an edit a build would only copy into the image is copied into the function's waiting
   * environment, which then serves (its image is built behind it); any other is built from the last context.
   */
  private async rebuildContents(
    plan: NonNullable<ReturnType<typeof contentOnlyPlan>>, what: string, took: () => string, open: () => void,
  ): Promise<void> {
    const replaced: Replacement[] = [];
    const copied = new Map<LocalFunction, { sandbox: Sandbox; build: () => Promise<void>; cancel: () => void; carry: SeenEdit[] }>();
    const builtBecause = new Map<LocalFunction, string>();
    const failed: FailedReload[] = [];
    for (const [fn, { context, files }] of plan) {
      const carry = files.map(f => ({ file: path.join(context.directory, f), event: 'change' as const, change: { contexts: [context] } }));
      try {
        const standby = await this.standbys.take(fn, files);
        if ('sandbox' in standby) {
          const later = await this.copyIn(fn, context, files, standby);
          if (later) {
            replaced.push({ old: fn, fresh: later.fresh, rebuilt: true });
            copied.set(later.fresh, { sandbox: standby.sandbox, build: later.build, cancel: later.cancel, carry });
            continue;
          }
        } else if (standby.reason) {
          builtBecause.set(fn, standby.reason);
        }
        replaced.push({ old: fn, fresh: await this.builds.rebuild(fn, context, files), rebuilt: true });
      } catch (e) {
        failed.push({ path: fn.spec.path, kept: fn, error: e as Error });
        this.carried.push(...carry);
      }
    }
    if (this.closed) {
      // Shutting down: nothing will build these images, so removing what was staged for them waits for no build.
      for (const c of copied.values()) {
        void c.sandbox.destroy();
        c.cancel();
      }
      return;
    }
    const next = this.target.served().map(f => replaced.find(r => r.old === f)?.fresh ?? f);
    // The new environments start first: removing the replaced ones would compete with their start for the engine.
    const built = replaced.filter(r => !copied.has(r.fresh)).map(r => r.fresh);
    const [warmFailures, adoptFailures] = await Promise.all([
      this.prewarm(built),
      this.adopt([...copied].map(([fresh, c]) => [fresh, c.sandbox])),
    ]);
    await this.target.apply(this.app, next);
    for (const r of replaced) {
      const failure = warmFailures.get(r.fresh) ?? adoptFailures.get(r.fresh);
      const warm = failure ? `; its first environment failed to start: ${failure}` : '';
      const because = builtBecause.has(r.old) ? `; built: ${builtBecause.get(r.old)}` : '';
      if (copied.has(r.fresh)) this.o.print(`watch: ${r.fresh.spec.path} updated in ${took()} (${what}; copied into a waiting environment, the image builds behind it)${warm}`);
      else this.o.print(`watch: ${r.fresh.spec.path} rebuilt in ${took()} (${what}; contents only, no synth${because})${warm}`);
    }
    for (const f of failed) this.o.print(failedLine(f, took(), what));
    open();
    this.standbys.drop(replaced.map(r => r.old));
    this.standbys.keep(built);
    // An adopted environment runs its old function's image: that image goes with the new function's containers.
    for (const r of replaced.filter(x => copied.has(x.fresh))) this.builds.handOver(r.old, r.fresh);
    this.retireBuilt(replaced.map(r => r.old));
    for (const [fresh, c] of copied) this.buildBehind(fresh, c.build, c.carry, what);
  }

  /** Copies an edit into `fn`'s waiting environment and lets its runtime start; undefined (environment removed) when that fails. */
  private async copyIn(
    fn: LocalFunction, context: ContextScope, files: readonly string[], standby: { sandbox: Sandbox; targets: readonly CopyTarget[] },
  ): Promise<{ fresh: LocalFunction; build: () => Promise<void>; cancel: () => void } | undefined> {
    const later = await this.builds.rebuildLater(fn, context, files);
    try {
      // From the staged copy the build reads, so the environment runs exactly what the image will hold.
      const staged = later.fresh.o.buildContext!.directory;
      await standby.sandbox.copyIn(standby.targets.map(t => ({ source: path.join(staged, t.file), destination: t.destination })));
    } catch {
      void standby.sandbox.destroy();
      later.cancel();
      await this.builds.retire(later.fresh);
      return undefined;
    }
    standby.sandbox.resume();
    return later;
  }

  /** Builds the image of a function already serving a copied edit; new environments wait for it. */
  private buildBehind(fresh: LocalFunction, build: () => Promise<void>, carry: SeenEdit[], what: string): void {
    const started = Date.now();
    const building = build().then(() => {
      this.o.print(`watch: ${fresh.spec.path} image built in ${((Date.now() - started) / 1000).toFixed(1)} s (${what})`);
      if (!this.closed && this.target.served().includes(fresh)) this.standbys.keep([fresh]);
    }, e => {
      this.o.print(`watch: ${fresh.spec.path}: image build FAILED (${what}); its running environment keeps the edit, new ones cannot start; the next edit retries:\n${(e as Error).message}`);
      this.carried.push(...carry);
    });
    this.retiring.add(building);
    void building.finally(() => this.retiring.delete(building));
  }

  /** Makes each resumed environment its function's first; the first line of each failure, by function. */
  private async adopt(pairs: readonly [LocalFunction, Sandbox][]): Promise<Map<LocalFunction, string>> {
    const failures = new Map<LocalFunction, string>();
    await Promise.all(pairs.map(([f, s]) => this.target.pools.adopt(f, s).catch(e => { failures.set(f, (e as Error).message.split('\n')[0]); })));
    return failures;
  }

  /** Warms one environment of each function; the first line of each failure, by function. */
  private async prewarm(functions: readonly LocalFunction[]): Promise<Map<LocalFunction, string>> {
    const failures = new Map<LocalFunction, string>();
    await Promise.all(functions.map(f => this.target.pools.prewarm(f).catch(e => { failures.set(f, (e as Error).message.split('\n')[0]); })));
    return failures;
  }

  /**
   * Removes the content-only images and copies of functions no longer served, in the background once their containers
   * are gone (an image still used by a container would stay behind, untagged); removeBuilt() waits for it.
   */
  private retireBuilt(functions: readonly LocalFunction[]): void {
    const retiring = this.target.pools.retiredRemoved().then(() => Promise.all(functions.map(f => this.builds.retire(f))));
    const tracked = retiring.then(() => undefined, e => this.o.print(`watch: removing a replaced image failed: ${(e as Error).message}`));
    this.retiring.add(tracked);
    void tracked.finally(() => this.retiring.delete(tracked));
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
