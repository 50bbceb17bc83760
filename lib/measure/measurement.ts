// The result of measuring one built image: the shape stored in the cache, written to container-images.json and
// read by the size rules (CCF010/CCF011) and by custom rules (MeasuredImage, exported from the package). Plain JSON data.

/** One entry of a measured image's history (public: custom rules read it through ImageSubject.measurement()). */
export interface MeasuredImageLayer {
  /** Bytes the entry adds (0 for metadata such as ENV or CMD), as `docker history` reports them. */
  readonly sizeBytes: number;
  /** The instruction as recorded in the image, e.g. `RUN pip install -r requirements.txt`. */
  readonly instruction: string;
  /**
   * 1-based Dockerfile line of the instruction.
   * @default - a base-image entry, or one no Dockerfile line matched
   */
  readonly line?: number;
  /**
   * Stage name of the instruction.
   * @default - an unnamed stage, or a base-image entry
   */
  readonly stage?: string;
  /** True for entries of the base image (the `FROM` of the built stage's chain). */
  readonly base: boolean;
  /** Bytes of this layer that a later layer overwrites or deletes. */
  readonly reclaimableBytes: number;
}

/** A built image, measured (public: custom rules read it through ImageSubject.measurement()). */
export interface MeasuredImage {
  /** The image id (`sha256:…`). */
  readonly imageId: string;
  /** Uncompressed size (`docker image inspect` .Size): what Lambda's image size limit counts. */
  readonly sizeBytes: number;
  /**
   * The base image the Dockerfile's built stage starts from, as written (variables expanded).
   * @default - not known
   */
  readonly baseImage?: string;
  /** Bytes of the base image's entries. */
  readonly baseBytes: number;
  /** Bytes the Dockerfile's own instructions add: sizeBytes - baseBytes. */
  readonly ownBytes: number;
  /** Bytes of file versions that later layers overwrite or delete (superseded copies only). */
  readonly reclaimableBytes: number;
  /** History entries, oldest first (empty metadata entries included, so every Dockerfile line is accounted for). */
  readonly layers: MeasuredImageLayer[];
  /** ISO time the image was measured. */
  readonly measuredAt: string;
}

/** One entry of the image's history. */
export type MeasuredLayer = MeasuredImageLayer;

/** The record stored in the cache and in container-images.json: a measured image and its format version. */
export interface ImageMeasurement extends MeasuredImage {
  /** Format of this record; a cached record of another version is measured again. */
  readonly version: 1;
}

/** The `count` largest layers, largest first (ties keep history order). */
export function largestLayers(measurement: Pick<ImageMeasurement, 'layers'>, count = 5): MeasuredLayer[] {
  return measurement.layers
    .map((layer, index) => ({ layer, index }))
    .filter(e => e.layer.sizeBytes > 0)
    .sort((a, b) => b.layer.sizeBytes - a.layer.sizeBytes || a.index - b.index)
    .slice(0, count)
    .map(e => e.layer);
}

/** `RUN pip install … (Dockerfile:7) 52.4 MB`-style label of a layer. */
export function describeLayer(layer: MeasuredLayer, dockerfile = 'Dockerfile', width = 60): string {
  const text = layer.instruction.length > width ? `${layer.instruction.slice(0, width - 1)}…` : layer.instruction;
  const where = layer.line !== undefined ? ` (${dockerfile}:${layer.line})` : layer.base ? ' (base image)' : '';
  return `${text || '(base image layer)'}${where}`;
}
