// Builds one image asset on the local engine the way CDK's publishing (cdk-assets) builds it, so the image
// measured or run locally is the image `cdk deploy` pushes. The flags mirror cdk-assets-lib 1.5
// lib/private/docker.js Docker.build() and lib/private/handlers/container-images.js buildImage(), field for field.
// Shared by `measure` and local invoke through the one Docker client (lib/docker); the sync form is for synth only.
import * as path from 'path';
import type { DockerCacheOption } from '@aws-cdk/cloud-assembly-schema';
import { ImageAsset, localImageTag } from './image-asset';
import { inspectImage, inspectImageSync, runDocker, runDockerSync } from '../docker';
import { ProcessOutcome, runProcess, runProcessSync } from '../docker/process';

export interface BuiltImage {
  /** Tag (or image id, for an executable asset) of the image in the local engine. */
  readonly image: string;
  /** True when the image was already in the engine and no build ran (as cdk-assets skips it). */
  readonly reused: boolean;
}

export interface BuildImageOptions {
  /** Build output as it arrives. */
  readonly onOutput?: (chunk: string) => void;
  /** Build even when the engine already has the asset's image. @default false */
  readonly rebuild?: boolean;
  /** Called right before `docker build` starts (not when the engine already has the image). */
  readonly onBuildStart?: () => void;
}

/** The `docker build` command for a directory asset: arguments, working directory, environment. */
export function dockerBuildCommand(asset: ImageAsset): { args: string[]; cwd: string; env: { [name: string]: string } } {
  const source = asset.source;
  if (!source.directory) {
    throw new Error(`image asset ${asset.id}: its manifest entry has no 'directory'. Re-synthesize the app (cdk synth) and try again.`);
  }
  const args = [
    'build',
    ...pairs('--build-arg', source.dockerBuildArgs, (k, v) => `${k}=${v}`),
    ...pairs('--build-context', source.dockerBuildContexts, (k, v) => `${k}=${v}`),
    ...pairs('--secret', source.dockerBuildSecrets, (k, v) => `id=${k},${v}`),
    ...(source.dockerBuildSsh ? ['--ssh', source.dockerBuildSsh] : []),
    '--tag', localImageTag(asset),
    ...(source.dockerBuildTarget ? ['--target', source.dockerBuildTarget] : []),
    ...(source.dockerFile ? ['--file', source.dockerFile] : []),
    ...(source.networkMode ? ['--network', source.networkMode] : []),
    ...(source.platform ? ['--platform', source.platform] : []),
    // dockerOutputs are left out on purpose: an output such as type=registry would push, and the tools need the
    // image loaded into the local engine to inspect or run it.
    ...(source.cacheFrom ?? []).flatMap(option => ['--cache-from', cacheFlag(option)]),
    ...(source.cacheTo ? ['--cache-to', cacheFlag(source.cacheTo)] : []),
    ...(source.cacheDisabled ? ['--no-cache'] : []),
    '.',
  ];
  return {
    args,
    cwd: path.resolve(asset.baseDirectory, source.directory),
    // As cdk-assets: provenance attestations would turn the image into an index that Lambda rejects.
    env: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1', DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT ?? '1' },
  };
}

/** Builds the asset's image unless the engine has it already (cdk-assets' own rule); returns its local name. */
export async function buildImageAsset(asset: ImageAsset, options: BuildImageOptions = {}): Promise<BuiltImage> {
  if (asset.source.executable) return { image: executableImage(asset, await runProcess(...executableCommand(asset))), reused: false };
  const tag = localImageTag(asset);
  if (!options.rebuild && await inspectImage(tag)) return { image: tag, reused: true };
  const command = dockerBuildCommand(asset);
  options.onBuildStart?.();
  await runDocker(command.args, { cwd: command.cwd, env: command.env, onOutput: options.onOutput });
  return { image: tag, reused: false };
}

/** buildImageAsset for synth time only (the measured synth builds inside a CDK Aspect, which cannot await). */
export function buildImageAssetSync(asset: ImageAsset, options: BuildImageOptions = {}): BuiltImage {
  if (asset.source.executable) return { image: executableImage(asset, runProcessSync(...executableCommand(asset))), reused: false };
  const tag = localImageTag(asset);
  if (!options.rebuild && inspectImageSync(tag)) return { image: tag, reused: true };
  const command = dockerBuildCommand(asset);
  options.onBuildStart?.();
  const result = runDockerSync(command.args, { cwd: command.cwd, env: command.env });
  options.onOutput?.(result.stdout + result.stderr);
  return { image: tag, reused: false };
}

/**
 * An asset built by its own command (`DockerImageAsset` from `executable`): the command prints the image name.
 * cdk-assets runs it in the manifest's directory (buildExternalAsset()).
 */
function executableCommand(asset: ImageAsset): [string, string[], { cwd: string }] {
  const [command, ...args] = asset.source.executable!;
  return [command, args, { cwd: asset.baseDirectory }];
}

function executableImage(asset: ImageAsset, outcome: ProcessOutcome): string {
  const { started, result } = outcome;
  if (!started || result.code !== 0) {
    const why = started ? `exited with code ${result.code}:\n${result.stderr.trim()}` : `could not run (${result.stderr})`;
    throw new Error(`image asset ${asset.id}: '${asset.source.executable!.join(' ')}' ${why}`);
  }
  return result.stdout.trim();
}

function pairs(flag: string, values: { [key: string]: string } | undefined, format: (k: string, v: string) => string): string[] {
  return Object.entries(values ?? {}).flatMap(([k, v]) => [flag, format(k, v)]);
}

/** `{ type: 'registry', params: { ref: 'x' } }` → `type=registry,ref=x` (cdk-assets' cacheOptionToFlag()). */
function cacheFlag(option: DockerCacheOption): string {
  return [`type=${option.type}`, ...Object.entries(option.params ?? {}).map(([k, v]) => `${k}=${v}`)].join(',');
}
