// Measurement at synth, for the ContainerImageChecks Aspect. Opt-in only (context
// `cdk-container-function:measure=true`, or CDK_CONTAINER_FUNCTION_MEASURE=1 for CI), so everyday synths stay fast.
// A cached image costs one small file read; an uncached one is built as `cdk deploy` would build it, then measured.
// Without an engine it says so in one line and the static estimate applies; it never fails the synth by itself.
import { Annotations, Token } from 'aws-cdk-lib';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { IConstruct } from 'constructs';
import { MeasurementCache } from './cache';
import { AssetMeasurement, measureAssetSync } from './measure-asset';
import { ImageMeasurement } from './measurement';
import { dockerImageAssetBuildOptions } from '../cdk-internals';
import { formatSize } from '../size-format';
import { ImageReport, ImageReportEntry, reportEntry, writeReport } from './report';
import { imageAssetAtSynth } from './synth-asset';
import { DockerCommandError, EngineAvailability, engineAvailability } from '../docker';
import { imageFactsOf } from '../image/image-facts';

export const MEASURE_CONTEXT = 'cdk-container-function:measure';
export const MEASURE_ENV = 'CDK_CONTAINER_FUNCTION_MEASURE';

/** True when the app asks for measured sizes (context value true/"true", or the environment variable 1/true). */
export function measureRequested(scope: IConstruct): boolean {
  const context = scope.node.tryGetContext(MEASURE_CONTEXT);
  const env = process.env[MEASURE_ENV];
  return context === true || context === 'true' || env === '1' || env?.toLowerCase() === 'true';
}

/** Report rows per app (the root construct), so that several Aspects of one app write one report. */
const ROWS_OF_APP = new WeakMap<IConstruct, Map<string, ImageReportEntry>>();

export interface SynthImage {
  /** The construct the function is reported on. */
  readonly construct: IConstruct;
  readonly asset: DockerImageAsset;
  readonly estimatedBytes?: number;
  readonly budgetBytes?: number;
}

/** Measures the images of one synth (each asset once) and collects the report rows. */
export class SynthMeasurer {
  private engine?: EngineAvailability;
  private engineNoticeShown = false;
  private readonly results = new Map<string, AssetMeasurement | { error: string; failed: boolean }>();
  private readonly entries = new Map<string, { functions: string[]; image: SynthImage }>();

  constructor(private readonly measuring: boolean, private readonly cache = new MeasurementCache(),
    private readonly log: (line: string) => void = line => process.stderr.write(`${line}\n`)) {}

  /** The measurement of a function's image (undefined when not measuring or not measurable), and records its row. */
  public measure(image: SynthImage): ImageMeasurement | undefined {
    const hash = image.asset.assetHash;
    const row = this.entries.get(hash) ?? { functions: [], image };
    row.functions.push(image.construct.node.path);
    this.entries.set(hash, row);
    if (!this.measuring || Token.isUnresolved(hash)) return undefined;
    let result = this.results.get(hash);
    if (!result) {
      result = this.measureOnce(image);
      this.results.set(hash, result);
    }
    if ('error' in result) return undefined;
    return result.measurement;
  }

  /**
   * Writes container-images.json and container-images.md into the assembly, when any function image was seen.
   * Several checks Aspects in one app (one per stack, with different budgets) share the file: each adds its rows
   * to those the others wrote for the same app.
   */
  public writeReport(app: IConstruct, outdir: string): ImageReport | undefined {
    if (this.entries.size === 0) return undefined;
    const rows = ROWS_OF_APP.get(app) ?? new Map<string, ImageReportEntry>();
    ROWS_OF_APP.set(app, rows);
    for (const row of this.rows()) {
      const key = `${row.assetHash}\0${row.functions.join('\0')}`;
      rows.set(key, row);
    }
    const report: ImageReport = { version: 1, images: [...rows.values()] };
    writeReport(outdir, report);
    return report;
  }

  private rows(): ImageReportEntry[] {
    return [...this.entries.entries()].map(([hash, { functions, image }]) => {
      const result = this.results.get(hash);
      return reportEntry({
        functions,
        assetHash: hash,
        // The tag the function deploys (a ContainerFunction's copy tag), else the asset's own.
        tag: imageFactsOf(image.construct)?.imageTag ?? image.asset.imageTag,
        dockerfile: dockerImageAssetBuildOptions(image.asset).dockerfilePath,
        estimatedBytes: image.estimatedBytes,
        budgetBytes: image.budgetBytes,
        measurement: result && !('error' in result) ? result.measurement : undefined,
        cached: result && !('error' in result) ? result.cached : undefined,
        error: result && 'error' in result ? result.error : undefined,
        failed: result && 'error' in result ? result.failed : undefined,
      });
    });
  }

  private measureOnce(image: SynthImage): AssetMeasurement | { error: string; failed: boolean } {
    const cached = this.cache.get(image.asset.assetHash);
    if (cached) return { measurement: cached, cached: true, built: false };
    this.engine ??= engineAvailability();
    if (!this.engine.ok) {
      if (!this.engineNoticeShown) {
        this.engineNoticeShown = true; // one line per synth, not one per image
        this.log(`cdk-container-function: image sizes not measured: no Docker engine answers (${this.engine.reason}). `
          + 'The static size estimates apply. Start Docker, or set CDK_DOCKER to a working client, to measure.');
      }
      return { error: `no Docker engine: ${this.engine.reason}`, failed: false };
    }
    const asset = imageAssetAtSynth(image.asset);
    if (!asset) return { error: 'the stack synthesizer keeps no asset manifest entry for this image', failed: false };
    const started = Date.now();
    try {
      const result = measureAssetSync(asset, {
        cache: this.cache,
        onBuilding: () => this.log(`cdk-container-function: building ${image.construct.node.path} (asset ${asset.id.slice(0, 12)}) to measure it…`),
      });
      this.log(`cdk-container-function: ${image.construct.node.path}: measured ${formatSize(result.measurement.sizeBytes)} `
        + `in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return result;
    } catch (error) {
      const detail = error instanceof DockerCommandError ? error.detail(10) : (error as Error).message;
      Annotations.of(image.construct).addWarningV2('cdk-container-function:measure',
        `image of ${image.construct.node.path} not measured: the build failed:\n${detail}\nThe static size estimate applies. `
        + `Fix: make the image build (cdk deploy would fail the same way), or unset ${MEASURE_CONTEXT}.`);
      return { error: `build failed: ${detail.split('\n').slice(-1)[0]}`, failed: true };
    }
  }
}
