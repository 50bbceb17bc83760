// What the tools know about one Docker image asset of a cloud assembly. Filled from the asset manifest by
// read-app.ts (CLI) or from the synthesizer at synth (lib/measure/synth-asset.ts); built by build-image.ts.
// Shared by `measure` and local invoke; the functions that run an asset name it (AppFunction.image).
import type { DockerImageSource } from '@aws-cdk/cloud-assembly-schema';

/** One image asset, as its asset manifest describes it. */
export interface ImageAsset {
  /** The asset id in the manifest; CDK uses the asset hash (the source hash). */
  readonly id: string;
  /** `displayName` of the manifest entry (CDK writes the asset's construct path), if any. */
  readonly displayName?: string;
  /** The build instructions, exactly as in the asset manifest. */
  readonly source: DockerImageSource;
  /** The directory `source.directory` is relative to (the manifest's directory, as cdk-assets resolves it). */
  readonly baseDirectory: string;
  /** The tags the asset is published under (one per destination, deduplicated). */
  readonly imageTags: string[];
}

/**
 * The local tag cdk-assets gives the image it builds (`cdkasset-<asset id>`, lower-cased), so an image built here is
 * reused by a later `cdk deploy` and vice versa. Source: cdk-assets-lib lib/private/handlers/container-images.js
 * buildDirectoryAsset().
 */
export function localImageTag(asset: Pick<ImageAsset, 'id'>): string {
  return `cdkasset-${asset.id.toLowerCase()}`;
}
