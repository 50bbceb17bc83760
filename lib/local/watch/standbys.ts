// `--watch`'s waiting environments: for each served function whose image ends in a COPY from its build context, one
// container of its current image, started but with the runtime held (Sandbox `held`). A code edit that a build would
// only copy into the image (copy-targets.ts) is copied into it and the runtime let go: the first response does not wait
// for `docker build` or for a container to start; the image is built behind it for the next environments. A held
// container ends by itself when this process does (its stdin closes), and is removed (--rm).
import * as fs from 'fs';
import * as path from 'path';
import { CopyTarget, copyTargets } from './copy-targets';
import { isGeneratedDockerfileText } from './user-context';
import { ParsedDockerfile, copySources, flagValues, keywordOf } from '../../dockerfile/parsed-dockerfile';
import { LocalFunction } from '../functions/local-function';
import { Sandbox } from '../runtime/sandbox';

export class Standbys {
  private readonly waiting = new Map<LocalFunction, Promise<Sandbox | undefined>>();

  constructor(private readonly start: (fn: LocalFunction) => Promise<Sandbox>) {}

  /** Starts a waiting environment for each of `functions` that can use one and has none. */
  keep(functions: readonly LocalFunction[]): void {
    for (const fn of functions) {
      if (this.waiting.has(fn) || !mayTakeCopies(fn)) continue;
      this.waiting.set(fn, this.start(fn).catch(() => undefined));
    }
  }

  /**
   * Where a build would put the edited `files` (relative to the context) into `fn`'s image, with the waiting
   * environment to copy them into; a reason when the edit must be built (the environment, now useless, is removed).
   */
  async take(fn: LocalFunction, files: readonly string[]): Promise<{ sandbox: Sandbox; targets: CopyTarget[] } | { reason?: string }> {
    const waiting = this.waiting.get(fn);
    if (!waiting) return {};
    this.waiting.delete(fn);
    const sandbox = await waiting;
    if (!sandbox?.alive) return {};
    const plan = copyPlan(fn, files);
    if ('reason' in plan) {
      void sandbox.destroy();
      return { reason: plan.reason };
    }
    return { sandbox, targets: plan.targets };
  }

  /** Removes the waiting environments of `functions` (replaced or gone). */
  drop(functions: readonly LocalFunction[]): void {
    for (const fn of functions) {
      const waiting = this.waiting.get(fn);
      this.waiting.delete(fn);
      void waiting?.then(s => s?.destroy());
    }
  }

  /** Removes every waiting environment. */
  async close(): Promise<void> {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(all.map(w => w.then(s => s?.destroy())));
  }
}

function copyPlan(fn: LocalFunction, files: readonly string[]): ReturnType<typeof copyTargets> {
  const context = fn.o.buildContext;
  if (fn.spec.image.kind !== 'asset' || !context) return { reason: 'the image is not built from a directory here' };
  const source = fn.spec.image.asset.source;
  if (source.dockerBuildTarget) return { reason: `the build stops at stage ${source.dockerBuildTarget} (--target)` };
  if (source.dockerBuildContexts && Object.keys(source.dockerBuildContexts).length) return { reason: 'the build has named build contexts' };
  return copyTargets({
    dockerfile: fs.readFileSync(path.join(context.directory, context.dockerfile), 'utf8'),
    dockerfilePath: context.dockerfile,
    buildArgs: source.dockerBuildArgs ?? {},
    imageEnv: fn.imageInfo.env,
    imageWorkingDir: fn.imageInfo.workingDir,
    context: context.directory,
    files: files.map(f => f.split(path.sep).join('/')),
  });
}

/**
 * Whether an edit of `fn` could ever be copied in: not under a debugger (its environments carry the debug port), built
 * from a directory whose Dockerfile is the user's (a fromSource one is generated: its edits re-synthesize), and that
 * Dockerfile's last stage copies from the context after its last RUN or ADD. Others get no waiting environment (it
 * would only take memory).
 */
export function mayTakeCopies(fn: LocalFunction): boolean {
  const context = fn.o.buildContext;
  if (fn.debug || fn.spec.image.kind !== 'asset' || !context) return false;
  let text: string;
  try { text = fs.readFileSync(path.join(context.directory, context.dockerfile), 'utf8'); } catch { return false; }
  if (isGeneratedDockerfileText(text)) return false;
  const last = ParsedDockerfile.parse(text).finalStage;
  if (!last) return false;
  let copiesAfterRuns = false;
  for (const i of last.instructions) {
    const keyword = keywordOf(i);
    if (keyword === 'RUN' || keyword === 'ADD') copiesAfterRuns = false;
    else if (keyword === 'COPY' && flagValues(i, 'from').length === 0 && copySources(i).length) copiesAfterRuns = true;
  }
  return copiesAfterRuns;
}
