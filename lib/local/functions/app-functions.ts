// The functions of a CDK app as the local runtime runs them: each one's settings (from its stack's
// template) and the image to run (its asset's image, built as CDK's publishing builds it, or its URI).
import { CloudAssembly } from '@aws-cdk/cloud-assembly-api';
import { ImageAsset, buildImageAsset, listImageAssets, localImageTag, openAssembly } from '../../assembly';
import { docker, imageInfo } from '../docker';
import { FunctionSpec, imageFunctionsOf } from './function-spec';
import { runWithProgress } from '../../assembly/progress';
import { lambdaArchitecture } from '../../lambda-facts';

export interface AppFunction {
  readonly spec: FunctionSpec;
  /** The image asset the function runs, when the app builds it. */
  readonly asset?: ImageAsset;
  /** The stack's region and account when the app pins them (else undefined). */
  readonly region?: string;
  readonly account?: string;
}

const unresolved = (v: string | undefined) => !v || v.startsWith('unknown-');

/** Every container-image function of the assembly, with its asset. */
export function appFunctions(assembly: CloudAssembly): AppFunction[] {
  const assets = listImageAssets(assembly);
  return assembly.stacksRecursively.flatMap(stack => imageFunctionsOf(stack.stackName, stack.template).map(spec => ({
    spec,
    asset: spec.image.kind === 'asset'
      ? assets.find(a => a.functions.some(f => f.stackName === spec.stackName && f.logicalId === spec.logicalId))
        ?? assets.find(a => a.id === (spec.image as { assetHash?: string }).assetHash)
      : undefined,
    region: unresolved(stack.environment.region) ? undefined : stack.environment.region,
    account: unresolved(stack.environment.account) ? undefined : stack.environment.account,
  })));
}

/** Opens the assembly in `directory` and lists its functions. */
export function readAppFunctions(directory: string): AppFunction[] {
  return appFunctions(openAssembly(directory));
}

/**
 * The local image of each function, built when missing (with the CLI's progress display) unless
 * `build` is false. Images by URI are used when present, else pulled (SAM skips those functions).
 */
export async function imagesFor(fns: readonly AppFunction[], o: { build: boolean; rebuild?: boolean }): Promise<string[]> {
  const settled = await runWithProgress(fns.map(f => ({
    title: f.spec.path,
    run: async progress => {
      if (f.spec.image.kind === 'uri') {
        const uri = f.spec.image.uri;
        if (await imageInfo(uri)) { progress.cached('present'); return { value: uri, summary: uri }; }
        progress.building('pulling');
        const r = await docker(['pull', '--platform', platformOf(f.spec), uri], { allowFailure: true });
        if (r.code !== 0) {
          throw new Error(`${f.spec.path}: its image ${uri} is not local and could not be pulled (${r.stderr.trim().split('\n').pop()}). Log in to its registry (for ECR: aws ecr get-login-password | docker login ...) or pull it yourself.`);
        }
        return { value: uri, summary: `pulled ${uri}` };
      }
      if (!f.asset) {
        throw new Error(`${f.spec.path}: its image asset${f.spec.image.assetHash ? ` ${f.spec.image.assetHash.slice(0, 12)}` : ''} is not in the assembly's asset manifests. Re-synthesize the app.`);
      }
      const tag = localImageTag(f.asset);
      if (!o.rebuild && await imageInfo(tag)) { progress.cached(tag); return { value: tag, summary: `image ${tag}` }; }
      if (!o.build) throw new Error(`${f.spec.path}: image ${tag} is not built yet. Drop --no-build to build it.`);
      progress.building('building image');
      const built = await buildImageAsset(f.asset, { rebuild: o.rebuild });
      return { value: built.image, summary: `built ${built.image}` };
    },
  })));
  return settled.map((s, i) => {
    if (!s.ok) throw new Error(`${fns[i].spec.path}: ${s.error.message.replace(`${fns[i].spec.path}: `, '')}`);
    return s.value;
  });
}

function platformOf(spec: FunctionSpec): string {
  return lambdaArchitecture(spec.architecture)?.platform ?? 'linux/amd64';
}
