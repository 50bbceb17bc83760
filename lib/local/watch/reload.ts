// One reload of `--watch`: the functions served now against the app as just synthesized. A function whose
// description is unchanged (same image asset id, which is CDK's hash of its build context, and same settings) is
// kept as it is: no build, no inspection, its warm containers stay. A changed one is prepared again (its image built
// when its asset id is new), a new one is prepared, a removed one goes. A build that fails leaves that function on its
// last good image; the others go ahead.
import { AppAssembly, AppFunction } from '../../assembly';
import { EnvMap, overridesFor, readEnvVarsFile } from '../functions/environment';
import { PrepareOptions, prepareFunctions } from '../functions/load';
import { LocalFunction } from '../functions/local-function';

export interface Replacement {
  readonly old: LocalFunction;
  readonly fresh: LocalFunction;
  /** True when the image changed (else only settings: environment, memory, timeout…). */
  readonly rebuilt: boolean;
}

export interface FailedReload {
  readonly path: string;
  /** The function that keeps serving, if it was served before. */
  readonly kept?: LocalFunction;
  readonly error: Error;
}

export interface ReloadResult {
  /** What to serve from now on, in the app's order (kept, replaced, added, and failed-but-kept ones). */
  readonly served: readonly LocalFunction[];
  readonly replaced: readonly Replacement[];
  readonly added: readonly LocalFunction[];
  readonly removed: readonly LocalFunction[];
  readonly failed: readonly FailedReload[];
}

/** The image a function runs, as an identity: equal identities are the same image (an asset id is a content hash). */
export function imageIdentity(fn: AppFunction): string {
  if (fn.image.kind === 'asset') return `asset:${fn.image.asset.id}`;
  if (fn.image.kind === 'uri') return `uri:${fn.image.uri}`;
  return `unlisted:${fn.image.assetHash ?? ''}`;
}

/** Whether two descriptions of a function would run the same way. */
export function sameFunction(a: AppFunction, b: AppFunction): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameVariables(a: EnvMap, b: EnvMap): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every(k => b[k] === a[k]);
}

/**
 * Reloads `served` against `wanted` (the functions of `app` to serve now). `prepare` is prepareFunctions (a test may
 * count its calls).
 */
export async function reloadFunctions(app: AppAssembly, wanted: readonly AppFunction[], served: readonly LocalFunction[],
  o: PrepareOptions, prepare: typeof prepareFunctions = prepareFunctions): Promise<ReloadResult> {
  const byPath = new Map(served.map(f => [f.spec.path, f]));
  const next: LocalFunction[] = [];
  const replaced: Replacement[] = [];
  const added: LocalFunction[] = [];
  const failed: FailedReload[] = [];
  // Read again: an edit to the --env-vars file reloads the functions whose values it changed.
  const envFile = o.envVarsFile ? readEnvVarsFile(o.envVarsFile) : undefined;
  for (const spec of wanted) {
    const old = byPath.get(spec.path);
    if (old && sameFunction(old.spec, spec) && sameVariables(old.o.overrides ?? {}, overridesFor(spec, envFile))) { next.push(old); continue; }
    try {
      const [fresh] = await prepare(app, [spec], { ...o, quiet: true });
      if (old?.debug) fresh.attachDebugger(old.debug);
      next.push(fresh);
      if (old) replaced.push({ old, fresh, rebuilt: imageIdentity(old.spec) !== imageIdentity(spec) });
      else added.push(fresh);
    } catch (error) {
      failed.push({ path: spec.path, kept: old, error: error as Error });
      if (old) next.push(old);
    }
  }
  const wantedPaths = new Set(wanted.map(f => f.path));
  const removed = served.filter(f => !wantedPaths.has(f.spec.path));
  return { served: next, replaced, added, removed, failed };
}
