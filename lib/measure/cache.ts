// Measurements cached by asset hash, outside cdk.out so that cleaning the assembly keeps them. The asset hash covers
// the build context, the Dockerfile and every build option (args, target, platform, …), so an unchanged image is
// never rebuilt and a changed one always is.
//
// Where: $CDK_CONTAINER_FUNCTION_CACHE_DIR, else $XDG_CACHE_HOME/cdk-container-function/measure, else
// ~/.cache/cdk-container-function/measure; one <asset hash>.json per image.
// Clear it: `rm -rf ~/.cache/cdk-container-function/measure` (or the directory above), or `measure --no-cache`.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageMeasurement } from './measurement';

/** The cache directory (see the header for the order). */
export function measurementCacheDirectory(): string {
  if (process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR) return path.resolve(process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cdk-container-function', 'measure');
}

export class MeasurementCache {
  constructor(public readonly directory: string = measurementCacheDirectory()) {}

  /** The cached measurement of an asset, if any (an unreadable or outdated entry counts as none). */
  public get(assetHash: string): ImageMeasurement | undefined {
    try {
      const record = JSON.parse(fs.readFileSync(this.file(assetHash), 'utf8')) as ImageMeasurement;
      return record.version === 1 && typeof record.sizeBytes === 'number' ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a measurement; written to a temporary file and renamed, so a concurrent reader never sees half of it. */
  public put(assetHash: string, measurement: ImageMeasurement): void {
    fs.mkdirSync(this.directory, { recursive: true });
    const temporary = `${this.file(assetHash)}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(measurement));
    fs.renameSync(temporary, this.file(assetHash));
  }

  private file(assetHash: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(assetHash)) throw new Error(`'${assetHash}' is not an asset hash: cannot name a cache file after it`);
    return path.join(this.directory, `${assetHash}.json`);
  }
}
