import { aws_ecr_assets as ecr_assets, aws_lambda as lambda } from 'aws-cdk-lib';

/** The Docker platform and copy architecture that match a function's architecture. */
export interface ArchitecturePlatform {
  readonly platform: ecr_assets.Platform;
  readonly platformName: string;
  /** Architecture name in OCI terms, as cdk-ecr-deployment's `imageArch` expects. */
  readonly imageArch: string;
}

const AMD64: ArchitecturePlatform = { platform: ecr_assets.Platform.LINUX_AMD64, platformName: 'linux/amd64', imageArch: 'amd64' };
const ARM64: ArchitecturePlatform = { platform: ecr_assets.Platform.LINUX_ARM64, platformName: 'linux/arm64', imageArch: 'arm64' };

/** The platform for a Lambda architecture name (`x86_64`, `arm64`, any case); undefined for others. */
export function platformForName(architecture: string): ArchitecturePlatform | undefined {
  switch (architecture.toLowerCase()) {
    case lambda.Architecture.X86_64.name: return AMD64;
    case lambda.Architecture.ARM_64.name: return ARM64;
    default: return undefined;
  }
}

/** Maps a Lambda architecture to the platform its image must be built for; there is no other choice. */
export function platformFor(architecture: lambda.Architecture): ArchitecturePlatform {
  return platformForName(architecture.name) ?? AMD64;
}
