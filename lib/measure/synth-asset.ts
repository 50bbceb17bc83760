// At synth no asset manifest is written yet, but the stack synthesizer already holds the entry it will write: the
// DockerImageSource (directory, build args, secrets, ssh, target, file, network mode, platform, cache options) and
// the destinations. Reading it gives the synth-time measurement the very build instructions `cdk deploy` publishes
// with. The synthesizer keeps the entry in a private field, read in lib/cdk-internals.ts with every other private
// field, so an aws-cdk-lib change breaks one place; without it the image is simply not measured.
import { Stack, Stage } from 'aws-cdk-lib';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { ImageAsset } from '../assembly/image-asset';
import { pendingManifestEntry } from '../cdk-internals';

/** The asset as its manifest entry will describe it, or undefined when the synthesizer keeps no such entry. */
export function imageAssetAtSynth(asset: DockerImageAsset): ImageAsset | undefined {
  const stack = Stack.of(asset);
  const entry = pendingManifestEntry(asset);
  const outdir = Stage.of(stack)?.outdir;
  if (!entry?.source || !outdir) return undefined;
  return {
    id: asset.assetHash,
    displayName: entry.displayName,
    source: entry.source,
    // The staged directory is relative to the assembly directory of the stack's stage.
    baseDirectory: outdir,
    imageTags: [...new Set(Object.values(entry.destinations ?? {}).map(d => d.imageTag))],
  };
}
