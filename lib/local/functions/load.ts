// From `--app` and friends to runnable functions: the shared steps of `invoke`, `serve` and the bench.
import * as path from 'path';
import { AppFunction, imagesFor, readAppFunctions } from './app-functions';
import { EnvMap, hostCredentials, overridesFor, readEnvVarsFile, stillUnresolved } from './environment';
import { LocalFunction } from './local-function';
import { resolveAssembly } from '../../assembly';
import { removeStaleCidDirectories, removeStaleContainers } from '../runtime/stale-containers';

export interface LoadOptions {
  /** `--app`: assembly directory or app command; default: cdk.json's `app`. */
  readonly app?: string;
  readonly envVarsFile?: string;
  readonly build: boolean;
  /** Region when the stack does not pin one. @default AWS_REGION, AWS_DEFAULT_REGION, us-east-1 */
  readonly region?: string;
  /** Where notes for the user go (unresolved variables). */
  readonly note: (line: string) => void;
  /** Keep only these functions (already looked up). */
  readonly select?: (fns: AppFunction[]) => AppFunction[];
}

/** Resolves the app, picks the functions, builds their images, and prepares them to run. */
export async function loadFunctions(o: LoadOptions): Promise<LocalFunction[]> {
  const stale = await removeStaleContainers();
  if (stale.length) o.note(`removed ${stale.length} container(s) left by an earlier run that did not exit cleanly: ${stale.join(', ')}`);
  await removeStaleCidDirectories();
  const assembly = await resolveAssembly({ app: o.app });
  const all = readAppFunctions(assembly.directory);
  const chosen = o.select ? o.select(all) : all;
  const envFile = o.envVarsFile ? readEnvVarsFile(o.envVarsFile) : undefined;
  const images = await imagesFor(chosen, { build: o.build });
  const credentials = hostCredentials();
  const prepared: LocalFunction[] = [];
  for (const [i, f] of chosen.entries()) {
    const overrides = overridesFor(f.spec, envFile);
    const missing = stillUnresolved(f.spec, overrides);
    if (missing.length) {
      o.note(`${f.spec.path}: unresolved until deployed, set them with --env-vars: ${missing.join(', ')}`);
    }
    // Template values, then the user's; credentials only when the user has some, and never over a value set for them.
    const environment: EnvMap = { ...credentials, ...f.spec.environment, ...overrides };
    prepared.push(await LocalFunction.prepare({
      fn: f.spec,
      image: images[i],
      environment,
      region: f.region ?? o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      account: f.account,
      buildContext: f.asset?.source.directory !== undefined
        ? { directory: path.resolve(f.asset.baseDirectory, f.asset.source.directory), dockerfile: f.asset.source.dockerFile ?? 'Dockerfile' }
        : undefined,
    }));
  }
  return prepared;
}
