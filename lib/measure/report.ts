// The measurement report: `container-images.json` (per image: functions, asset hash, tag, measured and estimated
// bytes, budget, base / own / reclaimable bytes, layers) and the same rows as a markdown table a CI job can post on a
// pull request, or as a plain text table for the terminal. Written at synth into the cloud assembly, printed by
// `cdk-container-function measure`.
import * as fs from 'fs';
import * as path from 'path';
import { formatSize } from '../size-format';
import { describeLayer, ImageMeasurement, largestLayers, MeasuredLayer } from './measurement';

export const REPORT_FILE = 'container-images.json';
export const MARKDOWN_FILE = 'container-images.md';

export interface ImageReportEntry {
  /** Construct paths of the functions that run the image (empty for an image no function uses). */
  readonly functions: string[];
  readonly assetHash: string;
  /** The tag the asset is published under. */
  readonly tag?: string;
  /** Dockerfile name within the asset (for the layer lines). */
  readonly dockerfile?: string;
  readonly measuredBytes?: number;
  /** The static lower bound of the checks (context bytes the final stage copies). */
  readonly estimatedBytes?: number;
  readonly budgetBytes?: number;
  readonly baseImage?: string;
  readonly baseBytes?: number;
  readonly ownBytes?: number;
  readonly reclaimableBytes?: number;
  readonly layers?: MeasuredLayer[];
  /** measured: built and measured now; cached: from the cache; estimated: not measured (see error); failed: the build failed. */
  readonly status: 'measured' | 'cached' | 'estimated' | 'failed';
  /** Why an image is not measured (no engine, a build error). */
  readonly error?: string;
}

export interface ImageReport {
  readonly version: 1;
  readonly images: ImageReportEntry[];
}

/** One entry from what is known about an image. */
export interface ReportEntryProps {
  readonly functions: string[];
  readonly assetHash: string;
  readonly tag?: string;
  readonly dockerfile?: string;
  readonly estimatedBytes?: number;
  readonly budgetBytes?: number;
  readonly measurement?: ImageMeasurement;
  readonly cached?: boolean;
  /** True when the build (or the measurement) failed; false when measuring was skipped (no engine). */
  readonly failed?: boolean;
  /** Why the image is not measured. */
  readonly error?: string;
}

export function reportEntry(props: ReportEntryProps): ImageReportEntry {
  const m = props.measurement;
  return {
    functions: props.functions,
    assetHash: props.assetHash,
    tag: props.tag,
    dockerfile: props.dockerfile,
    measuredBytes: m?.sizeBytes,
    estimatedBytes: props.estimatedBytes,
    budgetBytes: props.budgetBytes,
    baseImage: m?.baseImage,
    baseBytes: m?.baseBytes,
    ownBytes: m?.ownBytes,
    reclaimableBytes: m?.reclaimableBytes,
    layers: m?.layers,
    status: m ? (props.cached ? 'cached' : 'measured') : props.failed ? 'failed' : 'estimated',
    error: props.error,
  };
}

/** True when the image's size (measured, else estimated) is over its budget. */
export function overBudget(entry: ImageReportEntry): boolean {
  const size = entry.measuredBytes ?? entry.estimatedBytes;
  return entry.budgetBytes !== undefined && size !== undefined && size > entry.budgetBytes;
}

/** Writes container-images.json and container-images.md into a directory (the cloud assembly). */
export function writeReport(directory: string, report: ImageReport): void {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, REPORT_FILE), JSON.stringify(report, undefined, 2));
  fs.writeFileSync(path.join(directory, MARKDOWN_FILE), markdownTable(report));
}

const HEADER = ['Function', 'Image', 'Size', 'Budget', '% of budget', 'Own', 'Reclaimable', 'Biggest layer'];

/** Table rows (without the header) for the text and markdown renderings. */
export function reportRows(report: ImageReport): string[][] {
  const rows: string[][] = [];
  for (const image of report.images) {
    const size = image.measuredBytes ?? image.estimatedBytes;
    const sizeText = image.status === 'failed' ? 'build failed'
      : image.measuredBytes !== undefined ? formatSize(image.measuredBytes)
        : image.estimatedBytes !== undefined ? `≥ ${formatSize(image.estimatedBytes)} (estimated)` : '-';
    const biggest = image.layers ? largestLayers({ layers: image.layers.filter(l => !l.base) }, 1)[0] : undefined;
    const percent = image.budgetBytes !== undefined && size !== undefined ? `${Math.round((size / image.budgetBytes) * 100)}%${overBudget(image) ? ' ❌' : ''}` : '-';
    for (const fn of image.functions.length > 0 ? image.functions : ['(no function)']) {
      rows.push([
        fn,
        `${image.assetHash.slice(0, 12)}${image.tag && image.tag !== image.assetHash ? ` (${image.tag})` : ''}`,
        sizeText,
        image.budgetBytes !== undefined ? formatSize(image.budgetBytes) : '-',
        percent,
        image.ownBytes !== undefined ? formatSize(image.ownBytes) : '-',
        image.reclaimableBytes !== undefined ? formatSize(image.reclaimableBytes) : '-',
        biggest ? `${formatSize(biggest.sizeBytes)} ${describeLayer(biggest, image.dockerfile)}` : '-',
      ]);
    }
  }
  return rows;
}

export function markdownTable(report: ImageReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '## Container images',
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i >= 2 && i <= 6 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...reportRows(report).map(row => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function textTable(report: ImageReport): string {
  const rows = [HEADER, ...reportRows(report)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map(r => r[c].length)));
  return rows.map(r => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}
