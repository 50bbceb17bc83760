// Measures one image asset: the cached measurement when its asset hash is known, else build (as CDK's publishing
// would) and measure. A cache hit runs no docker command at all. Async form for the CLI, sync form for synth.
import * as fs from 'fs';
import * as path from 'path';
import { MeasurementCache } from './cache';
import { measureImage, MeasureImageOptions } from './measure-image';
import { ImageMeasurement } from './measurement';
import { buildImageAsset, buildImageAssetSync } from '../assembly/build-image';
import { ImageAsset } from '../assembly/image-asset';

export interface AssetMeasurement {
  readonly measurement: ImageMeasurement;
  /** True when the measurement came from the cache (no engine call). */
  readonly cached: boolean;
  /** True when `docker build` ran (false when cached, or when the engine already had the image). */
  readonly built: boolean;
}

export interface MeasureAssetOptions {
  /** @default no cache */
  readonly cache?: MeasurementCache;
  /** Called when `docker build` starts (not on a cache hit, nor when the engine already has the image). */
  readonly onBuilding?: () => void;
  /** Called when the measurement of the built image starts (inspect, history, save). */
  readonly onMeasuring?: () => void;
  readonly onOutput?: (chunk: string) => void;
}

export async function measureAsset(asset: ImageAsset, options: MeasureAssetOptions = {}): Promise<AssetMeasurement> {
  const cached = options.cache?.get(asset.id);
  if (cached) return { measurement: cached, cached: true, built: false };
  const built = await buildImageAsset(asset, { onOutput: options.onOutput, onBuildStart: options.onBuilding });
  options.onMeasuring?.();
  return store(asset, options, measureImage(built.image, measureOptionsOf(asset)), !built.reused);
}

export function measureAssetSync(asset: ImageAsset, options: MeasureAssetOptions = {}): AssetMeasurement {
  const cached = options.cache?.get(asset.id);
  if (cached) return { measurement: cached, cached: true, built: false };
  const built = buildImageAssetSync(asset, { onOutput: options.onOutput, onBuildStart: options.onBuilding });
  options.onMeasuring?.();
  return store(asset, options, measureImage(built.image, measureOptionsOf(asset)), !built.reused);
}

/** The Dockerfile text, build args and target of a directory asset (what the line mapping needs). */
export function measureOptionsOf(asset: ImageAsset): MeasureImageOptions {
  const source = asset.source;
  if (!source.directory) return {};
  const file = path.resolve(asset.baseDirectory, source.directory, source.dockerFile ?? 'Dockerfile');
  return {
    dockerfileText: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined,
    buildArgs: source.dockerBuildArgs,
    target: source.dockerBuildTarget,
  };
}

/** The Dockerfile path as the asset names it, for messages (`Dockerfile`, `docker/Dockerfile.lambda`). */
export function dockerfileNameOf(asset: ImageAsset): string {
  return asset.source.dockerFile ?? 'Dockerfile';
}

function store(asset: ImageAsset, options: MeasureAssetOptions, measurement: ImageMeasurement, built: boolean): AssetMeasurement {
  options.cache?.put(asset.id, measurement);
  return { measurement, cached: false, built };
}
