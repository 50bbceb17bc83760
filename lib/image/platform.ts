import { aws_ecr_assets as ecr_assets, aws_lambda as lambda } from 'aws-cdk-lib';

/** The Docker platform and copy architecture that match a function's architecture. */
export interface ArchitecturePlatform {
  readonly platform: ecr_assets.Platform;
  readonly platformName: string;
  /** Architecture name in OCI terms, as cdk-ecr-deployment's `imageArch` expects. */
  readonly imageArch: string;
}

/** Maps a Lambda architecture to the platform its image must be built for; there is no other choice. */
export function platformFor(architecture: lambda.Architecture): ArchitecturePlatform {
  if (architecture.name === lambda.Architecture.ARM_64.name) {
    return { platform: ecr_assets.Platform.LINUX_ARM64, platformName: 'linux/arm64', imageArch: 'arm64' };
  }
  return { platform: ecr_assets.Platform.LINUX_AMD64, platformName: 'linux/amd64', imageArch: 'amd64' };
}
