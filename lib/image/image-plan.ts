import { aws_ecr as ecr, aws_lambda as lambda } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';
import { findCredentialBuildArgs } from '../secrets';
import { ContainerImage, ContainerImageConfig } from './container-image';
import { ImageTag, TagPlan } from './image-tag';
import { ArchitecturePlatform, platformFor } from './platform';
import { checkRepositoryRegion } from './repository-region';

/**
 * What a function's image props resolve to, before any construct exists: an image that is built
 * (with its tag plan) or one that already is in ECR.
 */
export type ImagePlan = BuiltImagePlan | EcrImagePlan;

interface PlanBase {
  readonly config: ContainerImageConfig;
  readonly architecture: lambda.Architecture;
  /** The platform the image is built and copied for, which follows `architecture`. */
  readonly platform: ArchitecturePlatform;
}

/** A built image: the asset, and how it is tagged (copied under its own tag, or CDK's asset tag). */
export interface BuiltImagePlan extends PlanBase {
  readonly kind: 'built';
  readonly tagPlan: TagPlan;
  /** Where the copy goes; undefined for the stack's own ImageRepository. */
  readonly repository?: ecr.IRepository;
}

/** An image from ECR, referenced by tag or digest. */
export interface EcrImagePlan extends PlanBase {
  readonly kind: 'ecr';
  readonly repository: ecr.IRepository;
  readonly tagOrDigest: string;
}

/** The image-related props of a ContainerFunction. */
export interface ImagePlanInput {
  readonly image: ContainerImage;
  readonly tag?: ImageTag;
  readonly repository?: ecr.IRepository;
  readonly architecture?: lambda.Architecture;
}

/** Validates the image props and plans the tag; throws with the construct path and the fix. */
export function planImage(scope: IConstruct, constructPath: string, props: ImagePlanInput): ImagePlan {
  const config = props.image._bind(constructPath);
  // Always explicit: the image's platform follows it, so a laptop's architecture never leaks in.
  const architecture = props.architecture ?? lambda.Architecture.X86_64;
  const base = { config, architecture, platform: platformFor(architecture) };
  if (config.directory === undefined) {
    if (props.tag) {
      throw invalidInput(constructPath, 'tag applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove tag and pass the tag or digest to fromEcr({ tagOrDigest }).');
    }
    if (props.repository) {
      throw invalidInput(constructPath, 'repository applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove repository: fromEcr() already names the repository.');
    }
    checkRepositoryRegion(constructPath, scope, config.repository!, 'the fromEcr() repository');
    return { ...base, kind: 'ecr', repository: config.repository!, tagOrDigest: config.tagOrDigest! };
  }

  const credentials = findCredentialBuildArgs(config.buildOptions?.buildArgs ?? {});
  if (credentials.length > 0) {
    throw invalidInput(constructPath, `build arg${credentials.length > 1 ? 's' : ''} ${credentials.join(', ')} look${credentials.length > 1 ? '' : 's'} like credentials, and build args are written to the cloud assembly, the template metadata and the image history`,
      'Pass them as buildSecrets (DockerBuildSecret.fromSrc(file)) and read them in RUN --mount=type=secret,id=<name>.');
  }
  const tagPlan = (props.tag ?? ImageTag.gitSha())._plan({
    scope,
    path: constructPath,
    // Git state is read where the user's files are, with the patterns that keep files out of the context.
    directory: config.sourceDirectory ?? config.directory,
    file: config.file,
    exclude: config.contextExclude ?? config.buildOptions?.exclude,
    ignoreMode: config.buildOptions?.ignoreMode,
  });
  if (tagPlan.mode === 'asset' && props.repository) {
    throw invalidInput(constructPath, 'ImageTag.assetHash() keeps the image in the CDK asset repository, so repository has no effect', 'Remove repository, or use ImageTag.gitSha() or ImageTag.of() to copy the image there.');
  }
  if (props.repository) checkRepositoryRegion(constructPath, scope, props.repository, 'the repository');
  return { ...base, kind: 'built', tagPlan, repository: props.repository };
}
