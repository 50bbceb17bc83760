// Measures one image that is in the local engine: total uncompressed size (`docker image inspect`), per-entry sizes
// (`docker history`), the Dockerfile line of each entry, base vs own bytes, and reclaimable bytes (`docker save`,
// headers only). Synchronous on purpose: it also runs inside a CDK Aspect at synth, which cannot await.
import * as path from 'path';
import { BuildPlan, attributeHistory, buildPlanOf, instructionText } from './dockerfile-lines';
import { readSavedImage } from './image-archive';
import { ImageMeasurement, MeasuredLayer } from './measurement';
import { reclaimableBytesPerLayer } from './reclaimable';
import { withSaveDirectory } from './save-directory';
import { DockerCommandError, inspectImageSync, runDockerSync } from '../docker';

export interface MeasureImageOptions {
  /** The Dockerfile the image was built from, for the line of each entry and the base image. */
  readonly dockerfileText?: string;
  readonly buildArgs?: { [key: string]: string };
  /** The stage built (`--target`); the last stage without one. */
  readonly target?: string;
}

interface HistoryLine { readonly CreatedBy: string; readonly Size: string }

/** Measures `image` (a tag or id). */
export function measureImage(image: string, options: MeasureImageOptions = {}): ImageMeasurement {
  const inspect = inspectImageSync(image, { mustExist: true });
  // Newest first as the engine lists it; --human=false gives exact byte counts.
  const history = runDockerSync(['history', '--human=false', '--no-trunc', '--format', '{{json .}}', image]).stdout
    .split('\n').filter(l => l.trim()).map(l => JSON.parse(l) as HistoryLine).reverse();
  const createdBy = history.map(h => h.CreatedBy ?? '');
  const sizes = history.map(h => Number(h.Size) || 0);
  const reclaimable = reclaimablePerEntry(image, history.length);
  const plan: BuildPlan = options.dockerfileText !== undefined
    ? buildPlanOf(options.dockerfileText, { buildArgs: options.buildArgs, target: options.target })
    : { instructions: [] };
  const baseCount = baseEntryCount(plan, inspect.layers, createdBy);
  const attributed = [...createdBy.slice(0, baseCount).map(() => undefined), ...attributeHistory(createdBy.slice(baseCount), plan.instructions)];
  const layers: MeasuredLayer[] = history.map((_, i) => ({
    sizeBytes: sizes[i],
    instruction: instructionText(createdBy[i]),
    ...(attributed[i] ? { line: attributed[i]!.line, stage: attributed[i]!.stage } : {}),
    base: i < baseCount,
    reclaimableBytes: reclaimable[i],
  }));
  const baseBytes = sizes.slice(0, baseCount).reduce((a, b) => a + b, 0);
  return {
    version: 1,
    imageId: inspect.id,
    sizeBytes: inspect.sizeBytes,
    baseImage: plan.baseImage,
    baseBytes,
    ownBytes: inspect.sizeBytes - baseBytes,
    reclaimableBytes: reclaimable.reduce((a, b) => a + b, 0),
    layers,
    measuredAt: new Date().toISOString(),
  };
}

/**
 * How many of the oldest history entries are the base image's. Exact when the engine has the base image and its
 * layers are the first of ours: its own history length. Otherwise the entries older than the first one a Dockerfile
 * instruction matched (a base image's own ENV/CMD entries may then be counted as ours; their size is 0).
 */
function baseEntryCount(plan: BuildPlan, layers: string[], createdBy: string[]): number {
  if (plan.baseImage?.toLowerCase() === 'scratch') return 0;
  if (plan.baseImage) {
    try {
      const base = inspectImageSync(plan.baseImage, { mustExist: true });
      const baseHistory = runDockerSync(['history', '--no-trunc', '--format', '{{.ID}}', plan.baseImage]).stdout.split('\n').filter(l => l.trim()).length;
      if (base.layers.every((layer, i) => layers[i] === layer) && baseHistory <= createdBy.length) return baseHistory;
    } catch (error) {
      // The base is not in the engine (pulled by BuildKit only); a client that cannot start fails the measurement.
      if (!(error instanceof DockerCommandError) || !error.started) throw error;
    }
  }
  const attributed = attributeHistory(createdBy, plan.instructions);
  const first = attributed.findIndex(a => a !== undefined);
  return first >= 0 ? first : createdBy.length;
}

/** Reclaimable bytes per history entry (0 for entries without a layer), from the saved image's layer listings. */
function reclaimablePerEntry(image: string, entries: number): number[] {
  return withSaveDirectory(dir => {
    const archive = path.join(dir, 'image.tar');
    runDockerSync(['save', '-o', archive, image]);
    const saved = readSavedImage(archive);
    const perLayer = reclaimableBytesPerLayer(saved.layers);
    const result = new Array<number>(entries).fill(0);
    if (saved.history.length !== entries) {
      // Cannot tell which entry made which layer; keep the total on the newest entry rather than lose it.
      result[entries - 1] = perLayer.reduce((a, b) => a + b, 0);
      return result;
    }
    let layer = 0;
    saved.history.forEach((entry, i) => { if (!entry.empty_layer) result[i] = perLayer[layer++] ?? 0; });
    return result;
  }, error => error instanceof DockerCommandError && error.started && error.result.code === -1);
}
