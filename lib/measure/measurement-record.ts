// The shape check of a stored ImageMeasurement (a cache record): every field, its type and range, and the sums that
// tie them together. A record that fails is not a measurement, whatever its version says.
import { ImageMeasurement } from './measurement';

/** What is wrong with `value` as an ImageMeasurement (version 1), or undefined when it is one. */
export function measurementProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the record is not an object';
  const record = value as { [key: string]: unknown };
  if (record.version !== 1) return `its version is ${JSON.stringify(record.version)}, not 1`;
  for (const key of ['imageId', 'measuredAt'] as const) {
    if (typeof record[key] !== 'string' || record[key] === '') return `${key} is not a non-empty string`;
  }
  if (record.baseImage !== undefined && typeof record.baseImage !== 'string') return 'baseImage is not a string';
  for (const key of ['sizeBytes', 'baseBytes', 'ownBytes', 'reclaimableBytes'] as const) {
    if (!isByteCount(record[key])) return `${key} is ${JSON.stringify(record[key])}, not a byte count`;
  }
  const m = record as unknown as ImageMeasurement;
  if (m.baseBytes + m.ownBytes !== m.sizeBytes) return `baseBytes ${m.baseBytes} and ownBytes ${m.ownBytes} do not add up to sizeBytes ${m.sizeBytes}`;
  if (!Array.isArray(record.layers)) return 'layers is not a list';
  if (record.layers.length === 0) return 'layers is empty: every image has at least one history entry';
  let reclaimable = 0;
  for (const [i, layer] of (record.layers as unknown[]).entries()) {
    const problem = layerProblem(layer);
    if (problem) return `layers[${i}] ${problem}`;
    reclaimable += (layer as ImageMeasurement['layers'][number]).reclaimableBytes;
  }
  if (reclaimable !== m.reclaimableBytes) return `its layers' reclaimable bytes add up to ${reclaimable}, not reclaimableBytes ${m.reclaimableBytes}`;
  return undefined;
}

function layerProblem(layer: unknown): string | undefined {
  if (!isObject(layer)) return 'is not an object';
  const l = layer as { [key: string]: unknown };
  if (!isByteCount(l.sizeBytes)) return 'sizeBytes is not a byte count';
  if (!isByteCount(l.reclaimableBytes)) return 'reclaimableBytes is not a byte count';
  if (typeof l.instruction !== 'string') return 'instruction is not a string';
  if (typeof l.base !== 'boolean') return 'base is not true or false';
  if (l.line !== undefined && !(Number.isSafeInteger(l.line) && (l.line as number) >= 1)) return 'line is not a line number';
  if (l.stage !== undefined && typeof l.stage !== 'string') return 'stage is not a string';
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isByteCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
