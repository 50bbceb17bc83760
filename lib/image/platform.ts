import { aws_ecr_assets as ecr_assets, aws_lambda as lambda } from 'aws-cdk-lib';
import { DEFAULT_ARCHITECTURE, LAMBDA_ARCHITECTURES, lambdaArchitecture } from '../lambda-facts';

/** The Docker platform and copy architecture that match a function's architecture. */
export interface ArchitecturePlatform {
  readonly platform: ecr_assets.Platform;
  readonly platformName: string;
  /** Architecture name in OCI terms, as cdk-ecr-deployment's `imageArch` expects. */
  readonly imageArch: string;
}

// Built from the one table of Lambda's architectures (lib/lambda-facts.ts).
const PLATFORMS = new Map(LAMBDA_ARCHITECTURES.map(a => [a.name, {
  platform: ecr_assets.Platform.custom(a.platform),
  platformName: a.platform,
  imageArch: a.imageArch,
} as ArchitecturePlatform]));

/** The platform for a Lambda architecture name (`x86_64`, `arm64`, or an alias such as `aarch64`, any case); undefined for others. */
export function platformForName(architecture: string): ArchitecturePlatform | undefined {
  const known = lambdaArchitecture(architecture);
  return known ? PLATFORMS.get(known.name) : undefined;
}

/**
 * Maps a Lambda architecture to the platform its image must be built for; there is no other choice. Architectures Lambda
 * does not run are refused earlier (validateFunctionOptions), so the fallback is never reached from a ContainerFunction.
 */
export function platformFor(architecture: lambda.Architecture): ArchitecturePlatform {
  return platformForName(architecture.name) ?? platformForName(DEFAULT_ARCHITECTURE)!;
}
