import * as path from 'path';
import { Annotations, Duration, Size, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { futurePath, invalidInput } from './errors';
import { ContainerImage } from './image/container-image';
import { DeliveredImage, buildImageAsset, copyToTag, useAssetTag, useEcrImage } from './image/image-delivery';
import { recordImageFacts } from './image/image-facts';
import { ImageTag, TagPlan } from './image/image-tag';
import { LazyImage, LazyImageCode } from './image/lazy-image-code';
import { platformFor } from './image/platform';
import { LAMBDA_IMAGE_SIZE_LIMIT, validateFunctionOptions } from './validate-function-options';

/**
 * Properties of a {@link ContainerFunction}: every `aws_lambda.FunctionOptions` field, plus the image.
 *
 * Defaults that differ from `aws_lambda.Function`: `architecture` is always explicit (X86_64),
 * `memorySize` is 1024 MB, `timeout` is 30 seconds, and the function gets its own log group with
 * `logRetention` (default one month) instead of an unlimited one.
 */
export interface ContainerFunctionProps extends lambda.FunctionOptions {
  /**
   * The image to run: `ContainerImage.fromDockerfile()`, `ContainerImage.fromSource()` or `ContainerImage.fromEcr()`.
   */
  readonly image: ContainerImage;

  /**
   * How a built image is tagged. Not allowed with `ContainerImage.fromEcr()`.
   * @default ImageTag.gitSha()
   */
  readonly tag?: ImageTag;

  /**
   * Where built images are copied to, under their tag.
   * @default - one ImageRepository per stack, shared by its ContainerFunctions; tags there are prefixed with the function's path in the stack
   */
  readonly repository?: ecr.IRepository;

  /**
   * The image size budget, checked by `ContainerImageChecks`.
   * @default - Lambda's 10 GB limit
   */
  readonly maxImageSize?: Size;
}

/**
 * A container-image Lambda function: builds the image for the function's architecture, tags it
 * immutably (git SHA by default) in ECR, and deploys that tag.
 */
export class ContainerFunction extends lambda.DockerImageFunction {
  /** The image URI the function runs (`repository:tag`, or `repository@digest`). */
  public readonly imageUri: string;
  /** The resolved tag (or digest, for `fromEcr`), e.g. `processor-3f2a1b9c4d5e`. */
  public readonly imageTag: string;
  /** The repository the function pulls from. */
  public readonly repository: ecr.IRepository;
  /** The image asset, when the image is built. */
  public readonly imageAsset?: ecr_assets.DockerImageAsset;
  /** The image size budget. */
  public readonly maxImageSize: Size;
  private readonly ownLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ContainerFunctionProps) {
    // Everything that can be wrong is checked before any construct is created.
    const constructPath = futurePath(scope, id);
    if (!props || !props.image) {
      throw invalidInput(constructPath, 'image is required', "Pass image: ContainerImage.fromDockerfile('dir'), fromSource() or fromEcr().");
    }
    validateFunctionOptions(constructPath, props);
    const config = props.image._bind(constructPath);
    const built = config.directory !== undefined;
    if (!built && props.tag) {
      throw invalidInput(constructPath, 'tag applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove tag and pass the tag or digest to fromEcr({ tagOrDigest }).');
    }
    if (!built && props.repository) {
      throw invalidInput(constructPath, 'repository applies to built images, but the image comes from ContainerImage.fromEcr()', 'Remove repository: fromEcr() already names the repository.');
    }
    const tag = props.tag ?? ImageTag.gitSha();
    let plan: TagPlan | undefined;
    if (built) {
      plan = tag._plan({
        scope,
        path: constructPath,
        directory: config.sourceDirectory ?? config.directory!,
        file: config.file,
        exclude: config.contextExclude ?? config.buildOptions?.exclude,
        ignoreMode: config.buildOptions?.ignoreMode,
      });
      if (plan.mode === 'asset' && props.repository) {
        throw invalidInput(constructPath, 'ImageTag.assetHash() keeps the image in the CDK asset repository, so repository has no effect', 'Remove repository, or use ImageTag.gitSha() or ImageTag.of() to copy the image there.');
      }
    }
    const architecture = props.architecture ?? lambda.Architecture.X86_64;
    const lazyImage: LazyImage = { cmd: config.cmd, entrypoint: config.entrypoint, workingDirectory: config.workingDirectory };

    // logRetention is applied to the function's own log group, not through CDK's LogRetention resource.
    const { logRetention, ...functionOptions } = props;
    super(scope, id, {
      ...functionOptions,
      architecture,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      code: new LazyImageCode(lazyImage),
    });

    if (!props.logGroup) {
      this.ownLogGroup = new logs.LogGroup(this, 'LogGroup', { retention: logRetention ?? logs.RetentionDays.ONE_MONTH });
      const cfn = this.node.defaultChild as lambda.CfnFunction;
      cfn.loggingConfig = { ...(cfn.loggingConfig as object), logGroup: this.ownLogGroup.logGroupName };
    }

    for (const warning of config.warnings ?? []) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
    const platform = platformFor(architecture);
    let delivered: DeliveredImage;
    if (built) {
      const asset = buildImageAsset(this, config, platform);
      delivered = plan!.mode === 'asset' ? useAssetTag(asset) : copyToTag(this, asset, plan!, props.repository, platform);
      // Same metadata as DockerImageCode.fromImageAsset, so `sam local invoke` can build and run it.
      asset.addResourceMetadata(this.node.defaultChild as lambda.CfnFunction, 'Code.ImageUri');
    } else {
      delivered = useEcrImage(config);
    }
    lazyImage.imageUri = delivered.imageUri;
    this.imageUri = delivered.imageUri;
    this.imageTag = delivered.imageTag;
    this.repository = delivered.repository;
    this.imageAsset = delivered.asset;
    this.maxImageSize = props.maxImageSize ?? LAMBDA_IMAGE_SIZE_LIMIT;

    recordImageFacts(this, {
      maxImageSizeBytes: this.maxImageSize.toBytes(),
      dockerfilePath: built ? path.join(config.directory!, config.file!) : undefined,
      dockerfileText: config.generatedDockerfile,
      contextDirectory: config.directory,
      platform: platform.platformName,
      imageTag: delivered.imageTag,
      immutableTag: built && plan!.mode === 'copy',
      cmd: config.cmd,
      buildArgs: config.buildOptions?.buildArgs,
    });
  }

  /** The function's log group: its own, with finite retention, unless `logGroup` was given. */
  public override get logGroup(): logs.ILogGroup {
    return this.ownLogGroup ?? super.logGroup;
  }
}
