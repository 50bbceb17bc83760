import * as path from 'path';
import { Annotations, Duration, Size, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerFunctionProps } from './container-function-props';
import { futurePath, reportedAtCaller } from './errors';
import { ensureFunctionLogGroup, validateLogGroupOptions } from './function-log-group';
import { FunctionImageCode } from './image/function-image-code';
import { deliverImage } from './image/image-delivery';
import { recordImageFacts } from './image/image-facts';
import { planImage } from './image/image-plan';
import { LAMBDA_IMAGE_SIZE_LIMIT_BYTES } from './lambda-facts';
import { validateFunctionOptions } from './validate-function-options';
import { validatePropShapes } from './validate-prop-shapes';

/** The construct's own defaults, where they differ from `aws_lambda.Function`'s (each stated again in its prop's docs). */
const DEFAULT_MEMORY_SIZE_MB = 1024;
const DEFAULT_TIMEOUT = Duration.seconds(30);

/**
 * A container-image Lambda function: builds the image for the function's architecture, tags it
 * immutably (git SHA by default) in ECR, and deploys that tag.
 */
export class ContainerFunction extends lambda.DockerImageFunction {
  /** The image URI the function runs (`repository:tag`, or `repository@digest`). */
  public readonly imageUri: string;
  /** The resolved tag (or digest, for `fromEcr`), e.g. `3f2a1b9c4d5e-<64-hex asset hash>`. */
  public readonly imageTag: string;
  /** The repository the function pulls from. */
  public readonly repository: ecr.IRepository;
  /** The image asset, when the image is built (shared by the stack's functions with the same build inputs). */
  public readonly imageAsset?: ecr_assets.DockerImageAsset;
  /** The image size budget. */
  public readonly maxImageSize: Size;
  private readonly ownLogGroup?: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ContainerFunctionProps) {
    // Everything that can be wrong is checked before any construct is created.
    const constructPath = futurePath(scope, id);
    const plan = reportedAtCaller(ContainerFunction, constructPath, () => {
      validatePropShapes(constructPath, props);
      validateFunctionOptions(constructPath, props);
      validateLogGroupOptions(constructPath, props);
      return planImage(scope, constructPath, props);
    });

    // Log options are applied to the function's one log group (lib/function-log-group.ts), not through CDK's LogRetention resource.
    const { logRetention, logRemovalPolicy, ...functionOptions } = props;
    super(scope, id, {
      ...functionOptions,
      architecture: plan.architecture,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE_MB,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      // The URI is this function's own imageUri, set below once delivery has made the asset and the copy its children.
      code: new FunctionImageCode({ cmd: plan.config.cmd, entrypoint: plan.config.entrypoint, workingDirectory: plan.config.workingDirectory }),
    });

    if (!props.logGroup) {
      this.ownLogGroup = ensureFunctionLogGroup(this, { retention: logRetention, removalPolicy: logRemovalPolicy });
    }
    for (const warning of plan.config.warnings ?? []) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }

    const delivered = deliverImage(this, plan);
    this.imageUri = delivered.imageUri;
    this.imageTag = delivered.imageTag;
    this.repository = delivered.repository;
    this.imageAsset = delivered.asset;
    this.maxImageSize = props.maxImageSize ?? Size.bytes(LAMBDA_IMAGE_SIZE_LIMIT_BYTES);

    recordImageFacts(this, {
      maxImageSizeBytes: this.maxImageSize.toBytes(),
      // A generated Dockerfile lives in a temporary staging directory: findings name it 'Dockerfile (generated)'.
      dockerfilePath: plan.config.directory && !plan.config.generatedDockerfile ? path.join(plan.config.directory, plan.config.file!) : undefined,
      dockerfileText: plan.config.generatedDockerfile,
      contextDirectory: plan.config.directory,
      platform: plan.platform.platformName,
      imageTag: delivered.imageTag,
      immutableTag: delivered.immutableTag,
      cmd: plan.config.cmd,
      buildArgs: plan.config.buildOptions?.buildArgs,
      imageAsset: delivered.asset,
    });
  }

  /** The function's log group: its own, with finite retention, unless `logGroup` was given. */
  public override get logGroup(): logs.ILogGroup {
    return this.ownLogGroup ?? super.logGroup;
  }
}
