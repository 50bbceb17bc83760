// Builds one image asset on the local engine the way CDK's publishing (cdk-assets) builds it, so the image
// measured or run locally is the image `cdk deploy` pushes. The flags mirror cdk-assets-lib 1.5
// lib/private/docker.js Docker.build() and lib/private/handlers/container-images.js buildImage(), field for field.
// Shared by `measure` and local invoke; callers pick the async form (live progress) or the sync one (synth).
import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import type { DockerCacheOption } from '@aws-cdk/cloud-assembly-schema';
import { DockerCommandError, runDocker, runDockerSync } from './docker';
import { ImageAsset, localImageTag } from './image-asset';

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
  if (asset.source.executable) return { image: await runExecutable(asset), reused: false };
  const tag = localImageTag(asset);
  if (!options.rebuild && await imageExists(tag)) return { image: tag, reused: true };
  const command = dockerBuildCommand(asset);
  options.onBuildStart?.();
  await runDocker(command.args, { cwd: command.cwd, env: command.env, onOutput: options.onOutput });
  return { image: tag, reused: false };
}

/** Synchronous twin of buildImageAsset, for synth time. */
export function buildImageAssetSync(asset: ImageAsset, options: BuildImageOptions = {}): BuiltImage {
  if (asset.source.executable) return { image: runExecutableSync(asset), reused: false };
  const tag = localImageTag(asset);
  if (!options.rebuild && imageExistsSync(tag)) return { image: tag, reused: true };
  const command = dockerBuildCommand(asset);
  options.onBuildStart?.();
  const result = runDockerSync(command.args, { cwd: command.cwd, env: command.env });
  options.onOutput?.(result.stdout + result.stderr);
  return { image: tag, reused: false };
}

async function imageExists(image: string): Promise<boolean> {
  try {
    await runDocker(['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch (error) {
    if (error instanceof DockerCommandError) return false;
    throw error;
  }
}

function imageExistsSync(image: string): boolean {
  try {
    runDockerSync(['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch (error) {
    if (error instanceof DockerCommandError) return false;
    throw error;
  }
}

/**
 * An asset built by its own command (`DockerImageAsset` from `executable`): the command prints the image name.
 * cdk-assets runs it in the manifest's directory (buildExternalAsset()).
 */
function runExecutable(asset: ImageAsset): Promise<string> {
  const [command, ...args] = asset.source.executable!;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: asset.baseDirectory, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', code => code === 0 ? resolve(stdout.trim())
      : reject(new Error(`image asset ${asset.id}: '${asset.source.executable!.join(' ')}' exited with code ${code}:\n${stderr.trim()}`)));
  });
}

function runExecutableSync(asset: ImageAsset): string {
  const [command, ...args] = asset.source.executable!;
  const r = spawnSync(command, args, { cwd: asset.baseDirectory, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`image asset ${asset.id}: '${asset.source.executable!.join(' ')}' failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return r.stdout.trim();
}

function pairs(flag: string, values: { [key: string]: string } | undefined, format: (k: string, v: string) => string): string[] {
  return Object.entries(values ?? {}).flatMap(([k, v]) => [flag, format(k, v)]);
}

/** `{ type: 'registry', params: { ref: 'x' } }` → `type=registry,ref=x` (cdk-assets' cacheOptionToFlag()). */
function cacheFlag(option: DockerCacheOption): string {
  return [`type=${option.type}`, ...Object.entries(option.params ?? {}).map(([k, v]) => `${k}=${v}`)].join(',');
}
