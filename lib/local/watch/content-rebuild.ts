// The fast path of `--watch`: an edit that only changes the contents of files already in a build context (no file
// added or removed, no app source, no .dockerignore, not a generated fromSource context) cannot change the app's
// template, the asset's build instructions or which files CDK stages. So it is served without re-synthesizing: the
// function's last build context is copied, the edited files are copied over it (exactly the context CDK would stage
// now), and the image is built from it with the asset's own build command, under a tag of this process
// (`cdk-container-function-watch:<pid>-<n>`, labelled with its owner): never a `cdkasset-<id>` tag, whose id would no
// longer match its content. The next app edit re-synthesizes and moves the function back onto its asset image. Tags
// and copies are removed when the process ends; those of a process that was killed, by the next run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ContextScope, FileEvent } from './watch-scope';
import { dockerBuildCommand } from '../../assembly/build-image';
import { inspectImage, runDocker } from '../../docker';
import { sweepDirectoriesOfEndedProcesses } from '../../process-running';
import { LocalFunction, LocalFunctionOptions } from '../functions/local-function';
import { OWNER_LABEL, currentOwner, ownerFromLabels, ownerLabelArgs, ownerState } from '../runtime/owner';

export const WATCH_IMAGE_REPOSITORY = 'cdk-container-function-watch';
const DIRECTORY_PREFIX = 'ccf-watch-';

/** One edit the watcher saw. */
export interface SeenEdit {
  readonly file: string;
  readonly event: FileEvent;
  readonly change: { readonly contexts: readonly ContextScope[] } | 'app';
}

/**
 * The functions a content-only rebuild serves, each with the context-relative files to copy in; undefined when the
 * edits need a synth (an app source edit, a file added or removed, a .dockerignore, a generated or untraced context, or
 * a file the function's last context does not hold).
 */
export function contentOnlyPlan(edits: readonly SeenEdit[], served: readonly LocalFunction[]):
Map<LocalFunction, { context: ContextScope; files: string[] }> | undefined {
  const plan = new Map<LocalFunction, { context: ContextScope; files: string[] }>();
  for (const edit of edits) {
    if (edit.change === 'app' || edit.event !== 'change') return undefined;
    for (const context of edit.change.contexts) {
      if (context.generated) return undefined;
      const relative = path.relative(context.directory, edit.file);
      if (relative.split(path.sep).pop() === '.dockerignore') return undefined;
      for (const fn of served.filter(f => context.functions.includes(f.spec.path))) {
        const last = fn.o.buildContext;
        if (!last || !plainFileWithin(last.directory, relative) || !plainFileWithin(context.directory, relative)) return undefined;
        const entry = plan.get(fn) ?? { context, files: [] };
        if (entry.context !== context) return undefined;
        entry.files.push(relative);
        plan.set(fn, entry);
      }
    }
  }
  return plan.size ? plan : undefined;
}

/**
 * Whether `relative` names a regular file under `root` with no link on the way: only then is copying the edit into the
 * last context the same as staging it (CDK stages links as links), and the copy cannot write outside that context.
 */
function plainFileWithin(root: string, relative: string): boolean {
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  let at = root;
  const parts = relative.split(path.sep);
  for (const [i, part] of parts.entries()) {
    at = path.join(at, part);
    let st: fs.Stats;
    try { st = fs.lstatSync(at); } catch { return false; }
    if (i < parts.length - 1 ? !st.isDirectory() : !st.isFile()) return false;
  }
  return true;
}

/** What this process built on the fast path, to remove when a function moves on and when it ends. */
export class ContentBuilds {
  private count = 0;
  /** What each function's environments run: the image built for it, and those of earlier functions its containers still use. */
  private readonly made = new Map<LocalFunction, { image: string; directory: string; building?: Promise<void> }[]>();

  /** Builds `fn`'s image from its last context with `files` copied in from the user's `context`; throws Docker's error. */
  async rebuild(fn: LocalFunction, context: ContextScope, files: readonly string[]): Promise<LocalFunction> {
    const { directory, image } = this.stage(fn, context, files);
    try {
      await this.build(fn, directory, image);
      const imageInfo = await inspectImage(image, { mustExist: true });
      const buildContext = { directory, dockerfile: fn.o.buildContext!.dockerfile };
      return await this.record(fn, { image, imageInfo, imageReady: undefined, buildContext }, directory);
    } catch (e) {
      if (![...this.made.values()].flat().some(m => m.directory === directory)) fs.rmSync(directory, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * The function as the edit makes it, at once: its image (same settings as the last one: only file contents changed)
   * is built by the returned build(), which its new environments wait for. For an edit already running in a waiting
   * environment (copy-targets.ts), so the first response does not wait for `docker build`.
   */
  async rebuildLater(fn: LocalFunction, context: ContextScope, files: readonly string[]):
  Promise<{ fresh: LocalFunction; build: () => Promise<void>; cancel: () => void }> {
    const { directory, image } = this.stage(fn, context, files);
    let built!: () => void;
    let failed!: (e: Error) => void;
    const imageReady = new Promise<void>((resolve, reject) => { built = resolve; failed = reject; });
    // A failed build is reported by build(); environments started meanwhile fail with its error.
    imageReady.catch(() => undefined);
    let fresh: LocalFunction;
    try {
      const buildContext = { directory, dockerfile: fn.o.buildContext!.dockerfile };
      fresh = await this.record(fn, { image, imageInfo: fn.imageInfo, imageReady, buildContext }, directory);
    } catch (e) {
      fs.rmSync(directory, { recursive: true, force: true });
      throw e;
    }
    return {
      fresh,
      build: () => this.build(fn, directory, image).then(built, e => { failed(e as Error); throw e; }),
      // Not to be built after all (the copy into the waiting environment failed): retire() then has nothing to wait for.
      cancel: () => failed(new Error(`${fn.spec.path}: its image was not built (the edit was built another way)`)),
    };
  }

  /** A copy of `fn`'s last context with `files` copied over it from the user's `context`, and the tag to build it as. */
  private stage(fn: LocalFunction, context: ContextScope, files: readonly string[]): { directory: string; image: string } {
    if (fn.spec.image.kind !== 'asset') throw new Error(`${fn.spec.path} is not built from an image asset`);
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `${DIRECTORY_PREFIX}${process.pid}-`));
    try {
      fs.cpSync(fn.o.buildContext!.directory, directory, { recursive: true, verbatimSymlinks: true });
      for (const f of files) fs.copyFileSync(path.join(context.directory, f), path.join(directory, f));
    } catch (e) {
      fs.rmSync(directory, { recursive: true, force: true });
      throw e;
    }
    return { directory, image: `${WATCH_IMAGE_REPOSITORY}:${process.pid}-${++this.count}` };
  }

  /** Builds `directory` with the asset's own build command, under `image`, labelled with its owner. */
  private async build(fn: LocalFunction, directory: string, image: string): Promise<void> {
    if (fn.spec.image.kind !== 'asset') throw new Error(`${fn.spec.path} is not built from an image asset`);
    const command = dockerBuildCommand(fn.spec.image.asset);
    const args = command.args.map((a, i) => (command.args[i - 1] === '--tag' ? image : a));
    args.splice(args.length - 1, 0, ...ownerLabelArgs(currentOwner()));
    await runDocker(args, { cwd: directory, env: command.env });
  }

  /** The new function, recorded with its image and copy (removed with it). */
  private async record(fn: LocalFunction, o: Partial<LocalFunctionOptions> & { image: string }, directory: string): Promise<LocalFunction> {
    const fresh = await LocalFunction.prepare({ ...fn.o, ...o });
    if (fn.debug) fresh.attachDebugger(fn.debug);
    this.made.set(fresh, [{ image: o.image, directory, building: o.imageReady?.catch(() => undefined) }]);
    return fresh;
  }

  /**
   * `to`'s first environment is a container of `from`'s image (an edit copied into a waiting environment): `from`'s
   * image and copy are removed with `to`'s, when that container is gone, not before (an image still used by a
   * container would only lose its tag, and stay).
   */
  handOver(from: LocalFunction, to: LocalFunction): void {
    const m = this.made.get(from);
    if (!m) return;
    this.made.delete(from);
    this.made.set(to, [...(this.made.get(to) ?? []), ...m]);
  }

  /** Removes the images and copies `fn`'s environments ran (after its containers are gone). */
  async retire(fn: LocalFunction): Promise<void> {
    const made = this.made.get(fn);
    if (!made) return;
    this.made.delete(fn);
    for (const m of made) {
      // A build still running would tag the image after its removal.
      await m.building;
      await runDocker(['image', 'rm', '-f', m.image], { allowFailure: true });
      fs.rmSync(m.directory, { recursive: true, force: true });
    }
  }

  /** Removes everything built here (at exit). */
  async removeAll(): Promise<void> {
    await Promise.all([...this.made.keys()].map(fn => this.retire(fn)));
  }
}

/** Removes the fast-path images and copies of processes that ended without cleaning up (killed). */
export async function removeStaleContentBuilds(): Promise<string[]> {
  sweepDirectoriesOfEndedProcesses(os.tmpdir(), DIRECTORY_PREFIX);
  const r = await runDocker(['image', 'ls', '--filter', `label=${OWNER_LABEL}`, '--format', '{{.Repository}}:{{.Tag}}', WATCH_IMAGE_REPOSITORY], { allowFailure: true });
  const tags = r.stdout.split('\n').map(t => t.trim()).filter(Boolean);
  if (tags.length === 0) return [];
  const here = currentOwner();
  const stale: string[] = [];
  for (const tag of tags) {
    const labels = await runDocker(['image', 'inspect', '--format', '{{json .Config.Labels}}', tag], { allowFailure: true });
    let owner;
    try { owner = ownerFromLabels(JSON.parse(labels.stdout)); } catch { owner = undefined; }
    if (owner && ownerState(owner, here) === 'gone') stale.push(tag);
  }
  if (stale.length) await runDocker(['image', 'rm', '-f', ...stale], { allowFailure: true });
  return stale;
}
