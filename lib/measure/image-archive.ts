// What `docker save` writes (a tar of the image config and one tar per layer), read without loading it into memory:
// layer content streams by and is counted, never kept. Gives the config's history (which entries made a layer) and
// each layer's file entries, for the reclaimable-bytes count.
import { SavedImage, listSavedImage } from './saved-image-listing';
import { runSynchronously } from './sync-worker';

export type { ConfigHistoryEntry, LayerEntry, SavedImage } from './saved-image-listing';

/**
 * Reads an archive written by `docker save -o file` (Docker's own layout and the OCI layout alike), synchronously:
 * tar-stream does the reading, in a worker thread this call waits for (see sync-worker.ts).
 */
export function readSavedImage(file: string): SavedImage {
  return runSynchronously(listSavedImage, { file, tarStream: require.resolve('tar-stream') });
}
