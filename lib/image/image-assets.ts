import { Stack, aws_ecr_assets as ecr_assets } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ContainerImageConfig } from './container-image';
import { ArchitecturePlatform } from './platform';

/**
 * One DockerImageAsset per stack and distinct build inputs: functions that share a Dockerfile
 * directory and options share the asset, so the context is fingerprinted and staged once, not once
 * per function (100 functions on one image cost one hash of the context).
 */
export function sharedImageAsset(scope: Construct, config: ContainerImageConfig, platform: ArchitecturePlatform): ecr_assets.DockerImageAsset {
  const stack = Stack.of(scope);
  const home = (stack.node.tryFindChild(HOME_ID) as Construct | undefined) ?? new Construct(stack, HOME_ID);
  const options = config.buildOptions ?? {};
  const props: ecr_assets.DockerImageAssetProps = {
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
    // Where a secret file or an SSH agent lives differs between machines and says nothing about the
    // image: leave them out of its identity, so one commit gives one asset hash (and tag) everywhere.
    invalidation: { buildSecrets: false, buildSsh: false },
  };
  const key = JSON.stringify(props);
  let assets = ASSETS.get(home);
  if (!assets) {
    assets = new Map();
    ASSETS.set(home, assets);
  }
  let asset = assets.get(key);
  if (!asset) {
    asset = new ecr_assets.DockerImageAsset(home, `Image${assets.size + 1}`, props);
    assets.set(key, asset);
  }
  return asset;
}

const HOME_ID = 'ContainerFunctionImageAssets';
const ASSETS = new WeakMap<Construct, Map<string, ecr_assets.DockerImageAsset>>();
