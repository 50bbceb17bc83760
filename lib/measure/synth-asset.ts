// At synth no asset manifest is written yet, but the stack synthesizer already holds the entry it will write: the
// DockerImageSource (directory, build args, secrets, ssh, target, file, network mode, platform, cache options) and
// the destinations. Reading it gives the synth-time measurement the very build instructions `cdk deploy` publishes
// with. The synthesizer keeps the entry in a private field (AssetManifestBuilder.dockerImages), read through a cast
// here and only here, so an aws-cdk-lib change breaks one place; without it the image is simply not measured.
import type { DockerImageAsset as ManifestEntry } from '@aws-cdk/cloud-assembly-schema';
import { Stack, Stage } from 'aws-cdk-lib';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { ImageAsset } from '../assembly/image-asset';

/** The asset as its manifest entry will describe it, or undefined when the synthesizer keeps no such entry. */
export function imageAssetAtSynth(asset: DockerImageAsset): ImageAsset | undefined {
  const stack = Stack.of(asset);
  const builder = (stack.synthesizer as unknown as { assetManifest?: { dockerImages?: { [hash: string]: ManifestEntry } } }).assetManifest;
  const entry = builder?.dockerImages?.[asset.assetHash];
  const outdir = Stage.of(stack)?.outdir;
  if (!entry?.source || !outdir) return undefined;
  return {
    id: asset.assetHash,
    displayName: entry.displayName,
    source: entry.source,
    // The staged directory is relative to the assembly directory of the stack's stage.
    baseDirectory: outdir,
    imageTags: [...new Set(Object.values(entry.destinations ?? {}).map(d => d.imageTag))],
    functions: [],
  };
}
