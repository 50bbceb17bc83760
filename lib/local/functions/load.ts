// From `--app` and friends to runnable functions: the shared steps of `invoke`, `serve` and the bench.
import { emulationProblem, engineRunsHere } from './architecture';
import { stagedContextOf } from './build-context';
import { EnvMap, hostCredentials, overridesFor, readEnvVarsFile, stillUnresolved, unknownEnvVarsKeys } from './environment';
import { imagesFor } from './function-images';
import { LocalFunction } from './local-function';
import { AppAssembly, AppFunction, findFunctions, readApp, resolveAssembly } from '../../assembly';
import { engineInfo } from '../../docker';
import { removeStaleCidDirectories, removeStaleContainers } from '../runtime/stale-containers';

export interface PrepareOptions {
  readonly envVarsFile?: string;
  readonly build: boolean;
  /** Region when the stack does not pin one. @default AWS_REGION, AWS_DEFAULT_REGION, us-east-1 */
  readonly region?: string;
  /** Where notes for the user go (unresolved variables, --env-vars keys that name no function). */
  readonly note: (line: string) => void;
  /** No progress rows while images are found or built (--watch prints one line per rebuild instead). */
  readonly quiet?: boolean;
}

export interface LoadOptions extends PrepareOptions {
  /** `--app`: assembly directory or app command; default: cdk.json's `app`. */
  readonly app?: string;
  /** The functions to load, as the user names them (construct path, logical id, name). @default every function */
  readonly functions?: readonly string[];
}

/** Resolves `--app` (synthesizing when it is an app command) and reads the app. */
export async function loadApp(app: string | undefined): Promise<AppAssembly> {
  const assembly = await resolveAssembly({ app });
  return readApp(assembly.directory);
}

/** Resolves the app, looks up the functions the user names, builds their images, and prepares them to run. */
export async function loadFunctions(o: LoadOptions): Promise<LocalFunction[]> {
  const app = await loadApp(o.app);
  // Unknown names fail here, before any image is built.
  const chosen = o.functions ? findFunctions(app, o.functions) : [...app.functions];
  return prepareFunctions(app, chosen, o);
}

/** Builds (or finds) the images of `chosen` and prepares each function to run, with its environment. */
export async function prepareFunctions(app: AppAssembly, chosen: readonly AppFunction[], o: PrepareOptions): Promise<LocalFunction[]> {
  const stale = await removeStaleContainers();
  if (stale.length) o.note(`removed ${stale.length} container(s) left by an earlier run that did not exit cleanly: ${stale.join(', ')}`);
  await removeStaleCidDirectories();
  const envFile = o.envVarsFile ? readEnvVarsFile(o.envVarsFile) : undefined;
  for (const key of unknownEnvVarsKeys(envFile, app.functions)) {
    o.note(`--env-vars: "${key}" names no function of this app (keys are logical ids, construct paths or function names; "Parameters" applies to all).`);
  }
  // A foreign architecture without emulation is refused before anything is built: such a build fails with errors
  // that never mention the architecture.
  if (chosen.length > 0) {
    const engine = await engineInfo();
    for (const fn of chosen) {
      const problem = emulationProblem(fn, engine, engineRunsHere());
      if (problem) throw new Error(problem);
    }
  }
  const images = await imagesFor(chosen, { build: o.build, quiet: o.quiet });
  const credentials = hostCredentials();
  const prepared: LocalFunction[] = [];
  for (const [i, fn] of chosen.entries()) {
    const overrides = overridesFor(fn, envFile);
    const missing = stillUnresolved(fn, overrides);
    if (missing.length) {
      o.note(`${fn.path}: unresolved until deployed, set them with --env-vars: ${missing.join(', ')}`);
    }
    // Template values, then the user's; credentials only when the user has some, and never over a value set for them.
    const environment: EnvMap = { ...credentials, ...fn.environment, ...overrides };
    prepared.push(await LocalFunction.prepare({
      fn,
      image: images[i].image,
      imageInfo: images[i].info,
      environment,
      overrides,
      region: fn.region ?? o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      account: fn.account,
      buildContext: stagedContextOf(fn),
    }));
  }
  return prepared;
}
