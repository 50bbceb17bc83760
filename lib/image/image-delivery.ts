import { aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_lambda as lambda } from 'aws-cdk-lib';
import { hotswapDeliveryOn, publishedAsset, tagOnceCopied } from './hotswap-delivery';
import { sharedImageAsset } from './image-assets';
import { ImageCopier } from './image-copier';
import { BuiltImagePlan, EcrImagePlan, ImagePlan } from './image-plan';
import { ImageRepository, addLambdaPullStatement, restrictPushesToCopiers } from './image-repository';
import { CopyTagPlan, finalImageTag } from './image-tag';

/** Where a function's image ended up. */
export interface DeliveredImage {
  readonly imageUri: string;
  readonly imageTag: string;
  readonly repository: ecr.IRepository;
  readonly asset?: ecr_assets.DockerImageAsset;
  /** True when the library guarantees the tag never names another image: a copy under `<version>-<asset hash>`. */
  readonly immutableTag: boolean;
}

/**
 * Builds (or references) the function's image and returns where the function pulls it from.
 * Per function this adds nothing but a dependency; per distinct image, one copy.
 */
export function deliverImage(fn: lambda.Function, plan: ImagePlan): DeliveredImage {
  if (plan.kind === 'ecr') return useEcrImage(plan);
  const asset = sharedImageAsset(fn, plan.config, plan.platform);
  // Same metadata as DockerImageCode.fromImageAsset, so `sam local invoke` can build and run it.
  asset.addResourceMetadata(fn.node.defaultChild as lambda.CfnFunction, 'Code.ImageUri');
  if (plan.tagPlan.mode === 'asset') {
    return { imageUri: asset.imageUri, imageTag: asset.imageTag, repository: asset.repository, asset, immutableTag: false };
  }
  return copyToTag(fn, asset, plan, plan.tagPlan);
}

/**
 * Copies the built image to `repository:<version>-<asset hash>` (once per image and repository)
 * and makes the function wait for that copy.
 */
function copyToTag(fn: lambda.Function, asset: ecr_assets.DockerImageAsset, plan: BuiltImagePlan, tagPlan: CopyTagPlan): DeliveredImage {
  const destination = plan.repository ?? ImageRepository.forStack(fn);
  const tag = finalImageTag(fn.node.path, tagPlan, asset.assetHash);
  const copier = ImageCopier.forStack(fn);
  if (destination instanceof ImageRepository) restrictPushesToCopiers(destination, copier.portableRoleArn);
  addLambdaPullStatement(destination);
  const imageUri = destination.repositoryUriForTag(tag);
  const copy = copier.copy(asset, { repository: destination, tag, imageUri }, plan.platform.imageArch);
  // The copy stays in the template either way, so switching the development delivery off re-creates no copy.
  if (hotswapDeliveryOn(fn)) return { ...publishedAsset(fn, asset), repository: asset.repository, asset, immutableTag: false };
  fn.node.defaultChild!.node.addDependency(copy);
  // The function reads the tag from the copy (see tagOnceCopied): the same URI, known only once the copy has run.
  return { imageUri: destination.repositoryUriForTag(tagOnceCopied(tag, copy)), imageTag: tag, repository: destination, asset, immutableTag: true };
}

/** Points the function at an existing image. */
function useEcrImage(plan: EcrImagePlan): DeliveredImage {
  addLambdaPullStatement(plan.repository);
  const imageUri = plan.repository.repositoryUriForTagOrDigest(plan.tagOrDigest);
  return { imageUri, imageTag: plan.tagOrDigest, repository: plan.repository, immutableTag: false };
}
