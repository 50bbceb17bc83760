// What `docker save` writes (a tar of the image config and one tar per layer), read without loading it into memory:
// layer content streams by and is counted, never kept. Gives the config's history (which entries made a layer) and
// each layer's file entries, for the reclaimable-bytes count.
import { listSavedImage } from './saved-image-listing';
import { runSynchronously } from './sync-worker';

/** One entry of a layer tar. Whiteouts (`.wh.<name>`, `.wh..wh..opq`) are OCI/overlay deletions. */
export interface LayerEntry {
  /** Path without a leading `./` or `/` and without a trailing `/`. */
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'link' | 'whiteout' | 'opaque';
  /** Content bytes of a regular file (0 for everything else, hard links included). */
  readonly size: number;
}

export interface ConfigHistoryEntry {
  readonly created_by?: string;
  readonly empty_layer?: boolean;
  readonly comment?: string;
}

export interface SavedImage {
  readonly history: ConfigHistoryEntry[];
  /** Entries of each layer, oldest layer first (RootFS order). */
  readonly layers: LayerEntry[][];
}

/**
 * Reads an archive written by `docker save -o file` (Docker's own layout and the OCI layout alike), synchronously:
 * tar-stream does the reading, in a worker thread this call waits for (see sync-worker.ts).
 */
export function readSavedImage(file: string): SavedImage {
  return runSynchronously(listSavedImage, { file, tarStream: require.resolve('tar-stream') });
}
