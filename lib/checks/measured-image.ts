// The measurement of a built image as a custom rule reads it (ImageSubject.measurement()): the record lib/measure
// writes, less its format version.

/** One entry of a measured image's history. */
export interface MeasuredImageLayer {
  /** Bytes the entry adds (0 for metadata such as ENV or CMD). */
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
  /** True for entries of the base image. */
  readonly base: boolean;
  /** Bytes of this layer that a later layer overwrites or deletes. */
  readonly reclaimableBytes: number;
}

/** A built image, measured (ContainerImageChecks with measuring on). */
export interface MeasuredImage {
  /** The image id (`sha256:…`). */
  readonly imageId: string;
  /** Uncompressed size in bytes: what Lambda's image size limit counts. */
  readonly sizeBytes: number;
  /**
   * The base image the built stage starts from (variables expanded).
   * @default - not known
   */
  readonly baseImage?: string;
  /** Bytes of the base image's entries. */
  readonly baseBytes: number;
  /** Bytes the Dockerfile's own instructions add. */
  readonly ownBytes: number;
  /** Bytes of file versions that later layers overwrite or delete. */
  readonly reclaimableBytes: number;
  /** History entries, oldest first. */
  readonly layers: MeasuredImageLayer[];
  /** ISO time of the measurement. */
  readonly measuredAt: string;
}
