import { CustomResource, Names, Stack, aws_ecr as ecr, aws_ecr_assets as ecr_assets, aws_lambda as lambda } from 'aws-cdk-lib';
import { DockerImageName, ECRDeployment } from 'cdk-ecr-deployment';
import { Construct } from 'constructs';
import { ContainerImageConfig } from './container-image';
import { ImageCopier } from './image-copier';
import { ImagePlan } from './image-plan';
import { ImageRepository, addLambdaPullStatement } from './image-repository';
import { TagPlan } from './image-tag';
import { ArchitecturePlatform } from './platform';

/** Where a function's image ended up. */
export interface DeliveredImage {
  readonly imageUri: string;
  readonly imageTag: string;
  readonly repository: ecr.IRepository;
  readonly asset?: ecr_assets.DockerImageAsset;
}

/** Builds (or references) the function's image and returns where the function pulls it from. */
export function deliverImage(fn: lambda.Function, plan: ImagePlan, repository: ecr.IRepository | undefined): DeliveredImage {
  const platform = plan.platform;
  if (!plan.tagPlan) return useEcrImage(plan.config);
  const asset = buildImageAsset(fn, plan.config, platform);
  // Same metadata as DockerImageCode.fromImageAsset, so `sam local invoke` can build and run it.
  asset.addResourceMetadata(fn.node.defaultChild as lambda.CfnFunction, 'Code.ImageUri');
  return plan.tagPlan.mode === 'asset' ? useAssetTag(asset) : copyToTag(fn, asset, plan.tagPlan, repository, platform);
}

/** Builds the image as a DockerImageAsset for the function's platform. */
function buildImageAsset(fn: Construct, config: ContainerImageConfig, platform: ArchitecturePlatform): ecr_assets.DockerImageAsset {
  const options = config.buildOptions ?? {};
  return new ecr_assets.DockerImageAsset(fn, 'ImageAsset', {
    directory: config.directory!,
    file: config.file,
    platform: platform.platform,
    buildArgs: options.buildArgs,
    buildSecrets: options.buildSecrets,
    buildSsh: options.buildSsh,
    target: options.target,
    exclude: options.exclude,
    ignoreMode: options.ignoreMode,
    cacheFrom: options.cacheFrom,
    cacheTo: options.cacheTo,
    cacheDisabled: options.cacheDisabled,
    networkMode: options.networkMode,
    extraHash: options.extraHash,
  });
}

/**
 * Copies a built image to repository:tag. The guard and the copy carry the tag in their construct ids:
 * a new tag is a new pair of resources (a rollback deletes the new pair and never re-runs the old
 * one), and the same tag leaves the template unchanged.
 */
function copyToTag(fn: lambda.Function, asset: ecr_assets.DockerImageAsset, plan: TagPlan,
  repository: ecr.IRepository | undefined, platform: ArchitecturePlatform): DeliveredImage {
  const shared = !repository;
  const destination = repository ?? ImageRepository.forStack(fn);
  const version = plan.dirty ? `${plan.version}-dirty-${asset.assetHash.slice(0, 8)}` : plan.version!;
  // The shared repository holds every function of the stack: the function's name keeps tags apart.
  const tag = shared ? `${tagPrefix(fn)}-${version}` : version;
  claimTag(fn, destination, tag, asset.assetHash);

  const copier = ImageCopier.forStack(fn);
  copier.allow(asset.repository, destination);
  if (destination instanceof ImageRepository) destination.restrictPushesTo(copier.role);
  addLambdaPullStatement(destination);

  const guard = new CustomResource(fn, `TagGuard-${tag}`, {
    serviceToken: copier.guardProvider.serviceToken,
    resourceType: 'Custom::ImageTagGuard',
    properties: {
      SourceRepositoryName: asset.repository.repositoryName,
      SourceTag: asset.imageTag,
      DestinationRepositoryName: destination.repositoryName,
      DestinationTag: tag,
      Architecture: platform.imageArch,
    },
  });
  const copy = new ECRDeployment(fn, `CopyImage-${tag}`, {
    src: new DockerImageName(asset.imageUri),
    dest: new DockerImageName(destination.repositoryUriForTag(tag)),
    imageArch: [platform.imageArch],
    // The stack's copier role, scoped to the repositories in use; cdk-ecr-deployment would otherwise
    // grant push to every repository ('*').
    role: copier.role.withoutPolicyUpdates(),
  });
  copy.node.addDependency(guard);
  copy.node.addDependency(copier.role);
  fn.node.defaultChild!.node.addDependency(copy);
  return { imageUri: destination.repositoryUriForTag(tag), imageTag: tag, repository: destination, asset };
}

/** Uses CDK's own asset image (content-hash tag in the bootstrap repository), as DockerImageCode.fromImageAsset does. */
function useAssetTag(asset: ecr_assets.DockerImageAsset): DeliveredImage {
  return { imageUri: asset.imageUri, imageTag: asset.imageTag, repository: asset.repository, asset };
}

/** Points the function at an existing image. */
function useEcrImage(config: ContainerImageConfig): DeliveredImage {
  const repository = config.repository!;
  addLambdaPullStatement(repository);
  return { imageUri: repository.repositoryUriForTagOrDigest(config.tagOrDigest!), imageTag: config.tagOrDigest!, repository };
}

function tagPrefix(fn: Construct): string {
  const stack = Stack.of(fn);
  const relative = fn.node.path.slice(stack.node.path.length + 1);
  const readable = relative.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  if (readable.length > 0 && readable.length <= 48) return readable;
  // Too long or nothing readable left: keep it short and still unique in the stack.
  return `${readable.slice(0, 38).replace(/-+$/, '')}-${Names.uniqueId(fn).slice(-8).toLowerCase()}`.replace(/^-/, 'fn-');
}


const CLAIMS = new WeakMap<ecr.IRepository, Map<string, { hash: string; path: string }>>();
/** One tag, one image: two functions may share a tag only when they build the very same asset. */
function claimTag(fn: Construct, repository: ecr.IRepository, tag: string, hash: string): void {
  let claims = CLAIMS.get(repository);
  if (!claims) {
    claims = new Map();
    CLAIMS.set(repository, claims);
  }
  const existing = claims.get(tag);
  if (existing && existing.hash !== hash) {
    throw new Error(`${fn.node.path}: tag '${tag}' in ${repository.node.path} already names the different image of ${existing.path}. ` +
      'Give each function its own repository, or distinct ImageTag.of() versions.');
  }
  if (!existing) claims.set(tag, { hash, path: fn.node.path });
}
