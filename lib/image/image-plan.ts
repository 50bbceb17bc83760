import { aws_ecr as ecr, aws_lambda as lambda } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';
import { ContainerImage, ContainerImageConfig } from './container-image';
import { ImageTag, TagPlan } from './image-tag';
import { ArchitecturePlatform, platformFor } from './platform';

/** What a function's image props resolve to, before any construct exists. */
export interface ImagePlan {
  readonly config: ContainerImageConfig;
  /** Present for built images. */
  readonly tagPlan?: TagPlan;
  readonly architecture: lambda.Architecture;
  /** The platform the image is built and copied for, which follows `architecture`. */
  readonly platform: ArchitecturePlatform;
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
  const built = config.directory !== undefined;
  if (!built && props.tag) {
    throw invalidInput(constructPath, 'tag applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove tag and pass the tag or digest to fromEcr({ tagOrDigest }).');
  }
  if (!built && props.repository) {
    throw invalidInput(constructPath, 'repository applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove repository: fromEcr() already names the repository.');
  }
  let tagPlan: TagPlan | undefined;
  if (built) {
    tagPlan = (props.tag ?? ImageTag.gitSha())._plan({
      scope,
      path: constructPath,
      // Git state is read where the user's files are, with the patterns that keep files out of the context.
      directory: config.sourceDirectory ?? config.directory!,
      file: config.file,
      exclude: config.contextExclude ?? config.buildOptions?.exclude,
      ignoreMode: config.buildOptions?.ignoreMode,
    });
    if (tagPlan.mode === 'asset' && props.repository) {
      throw invalidInput(constructPath, 'ImageTag.assetHash() keeps the image in the CDK asset repository, so repository has no effect', 'Remove repository, or use ImageTag.gitSha() or ImageTag.of() to copy the image there.');
    }
  }
  // Always explicit: the image's platform follows it, so a laptop's architecture never leaks in.
  const architecture = props.architecture ?? lambda.Architecture.X86_64;
  return { config, tagPlan, architecture, platform: platformFor(architecture) };
}
