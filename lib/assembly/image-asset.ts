// What the tools know about one Docker image asset of a cloud assembly, and the Lambda functions that
// use it. Filled from the asset manifest by read-assembly.ts (CLI) or from the synthesizer at synth
// (lib/measure/synth-asset.ts); built by build-image.ts. Shared by `measure` and local invoke.
import type { DockerImageSource } from '@aws-cdk/cloud-assembly-schema';

/** A Lambda function (AWS::Lambda::Function with PackageType Image) that runs an image asset. */
export interface ImageFunction {
  /** Construct path, e.g. `MyStack/Handler` (from the resource's `aws:cdk:path`, without `/Resource`). */
  readonly path: string;
  readonly logicalId: string;
  /** Stack name as deployed. */
  readonly stackName: string;
  /** Cloud assembly artifact id of the stack (what `cdk deploy` selects). */
  readonly stackId: string;
  /** The function's `Architectures[0]`, `x86_64` by default. */
  readonly architecture: string;
  /** The template's ImageConfig (Command, EntryPoint, WorkingDirectory), if any. */
  readonly imageConfig?: { readonly Command?: string[]; readonly EntryPoint?: string[]; readonly WorkingDirectory?: string };
  /** Literal environment variables of the template (token values are left out). */
  readonly environment: { [name: string]: string };
  /** Timeout in seconds (Lambda's default 3) and memory in MB (default 128). */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

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
  /** The functions of the app that run this image. */
  readonly functions: ImageFunction[];
}

/**
 * The local tag cdk-assets gives the image it builds (`cdkasset-<asset id>`, lower-cased), so an image built here is
 * reused by a later `cdk deploy` and vice versa. Source: cdk-assets-lib lib/private/handlers/container-images.js
 * buildDirectoryAsset().
 */
export function localImageTag(asset: Pick<ImageAsset, 'id'>): string {
  return `cdkasset-${asset.id.toLowerCase()}`;
}
