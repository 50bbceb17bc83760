// The one `docker image inspect`: one format, one parser, one typed result, for local invoke (entry point, command,
// environment, architecture), asset builds (is the image there?) and measurement (size, layers).
import { DockerResult, runDocker, runDockerSync } from './client';

/** What a container started from the image runs with, and what it was built for: what local invoke reads. */
export interface ImageRunConfig {
  readonly id: string;
  /** `amd64`, `arm64`. */
  readonly architecture: string;
  readonly entrypoint: string[];
  readonly cmd: string[];
  readonly workingDir: string;
  /** The image's own environment, `NAME=value`. */
  readonly env: string[];
}

/** Everything the tools read of an image: its run config, and its size and layers (what measurement reads). */
export interface ImageInfo extends ImageRunConfig {
  /** Uncompressed size in bytes, all layers included. */
  readonly sizeBytes: number;
  /** Layer digests, oldest first (`RootFS.Layers`). */
  readonly layers: string[];
}

export interface InspectImageOptions {
  /**
   * Throw the client's DockerCommandError when the engine has no such image (for an image that must be there),
   * instead of returning undefined. @default false
   */
  readonly mustExist?: boolean;
}

const inspectArgs = (image: string) => ['image', 'inspect', '--format', '{{json .}}', image];

/** `docker image inspect`; undefined when the engine has no such image (the client exits non-zero). */
export async function inspectImage(image: string, options: { mustExist: true }): Promise<ImageInfo>;
export async function inspectImage(image: string, options?: InspectImageOptions): Promise<ImageInfo | undefined>;
export async function inspectImage(image: string, options: InspectImageOptions = {}): Promise<ImageInfo | undefined> {
  return parsed(await runDocker(inspectArgs(image), { allowFailure: !options.mustExist }));
}

/** inspectImage for synth time only (the measured synth builds and measures inside a CDK Aspect, which cannot await). */
export function inspectImageSync(image: string, options: { mustExist: true }): ImageInfo;
export function inspectImageSync(image: string, options?: InspectImageOptions): ImageInfo | undefined;
export function inspectImageSync(image: string, options: InspectImageOptions = {}): ImageInfo | undefined {
  return parsed(runDockerSync(inspectArgs(image), { allowFailure: !options.mustExist }));
}

function parsed(r: DockerResult): ImageInfo | undefined {
  if (r.code !== 0) return undefined;
  const i = JSON.parse(r.stdout);
  const c = i.Config ?? {};
  return {
    id: i.Id,
    architecture: i.Architecture ?? '',
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    workingDir: c.WorkingDir ?? '',
    env: c.Env ?? [],
    sizeBytes: i.Size,
    layers: i.RootFS?.Layers ?? [],
  };
}
