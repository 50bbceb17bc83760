// Internal: the one module that reads aws-cdk-lib's private fields, so an aws-cdk-lib change breaks here only and the
// callers fall back to what they do without it (a finding without a Dockerfile line, an image not measured). Each read
// names the field and why nothing public gives it. (cdk-ecr-deployment's internals: lib/image/ecr-deployment-internals.ts.)
import type { DockerImageAsset as ManifestEntry } from '@aws-cdk/cloud-assembly-schema';
import { AssetStaging, Stack } from 'aws-cdk-lib';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';

/** The Dockerfile name and build args a DockerImageAsset was made with (kept in private fields only). */
export function dockerImageAssetBuildOptions(asset: DockerImageAsset): { dockerfilePath?: string; buildArgs?: { [key: string]: string } } {
  const internals = asset as unknown as { dockerfilePath?: string; dockerBuildArgs?: { [key: string]: string } };
  return { dockerfilePath: internals.dockerfilePath, buildArgs: internals.dockerBuildArgs };
}

/** The exclude patterns an asset's staging fingerprinted with (AssetStaging.fingerprintOptions is private). */
export function stagingExcludes(staging: AssetStaging): string[] | undefined {
  return (staging as unknown as { fingerprintOptions?: { exclude?: string[] } }).fingerprintOptions?.exclude;
}

/**
 * The entry the stack's synthesizer will write to the asset manifest for a Docker image asset: its source (directory,
 * build args, secrets, platform, …) and destinations. At synth no manifest is written yet, and the synthesizer keeps
 * the entry in a private field (AssetManifestBuilder.dockerImages); undefined for synthesizers without one.
 */
export function pendingManifestEntry(asset: DockerImageAsset): ManifestEntry | undefined {
  const synthesizer = Stack.of(asset).synthesizer as unknown as { assetManifest?: { dockerImages?: { [hash: string]: ManifestEntry } } };
  return synthesizer.assetManifest?.dockerImages?.[asset.assetHash];
}
