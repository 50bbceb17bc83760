// Reclaimable bytes: file versions that a later layer overwrites or deletes. They count toward Lambda's 10 GB limit
// (every layer is stored) but no container ever reads them. Only the superseded copies count — the version a later
// layer writes (or nothing, for a delete) is what the image keeps. dive's "wasted bytes" counts every copy of a path
// touched twice, the kept one included (wagoodman/dive #684), so a 50 MB file written then deleted reads 100 MB there
// and 50 MB here.
import { LayerEntry } from './image-archive';

/** Bytes of each layer (oldest first) that later layers supersede; their sum is the image's reclaimable bytes. */
export function reclaimableBytesPerLayer(layers: LayerEntry[][]): number[] {
  const reclaimable = layers.map(() => 0);
  /** The visible version of every path so far: which layer wrote it, with how many content bytes. */
  const visible = new Map<string, { layer: number; size: number }>();
  const supersede = (path: string) => {
    const version = visible.get(path);
    if (version) {
      reclaimable[version.layer] += version.size;
      visible.delete(path);
    }
  };
  layers.forEach((entries, layer) => {
    // Deletions apply to lower layers only (an entry of this same layer below an opaque directory is kept).
    const deletedTrees = new Set<string>();
    const clearedDirectories = new Set<string>();
    for (const e of entries) {
      if (e.kind === 'whiteout') deletedTrees.add(e.path);
      if (e.kind === 'opaque') clearedDirectories.add(e.path);
    }
    if (deletedTrees.size > 0 || clearedDirectories.size > 0) {
      for (const path of [...visible.keys()]) {
        if (hasAncestor(path, deletedTrees, true) || hasAncestor(path, clearedDirectories, false)) supersede(path);
      }
    }
    for (const e of entries) {
      if (e.kind === 'whiteout' || e.kind === 'opaque') continue;
      supersede(e.path); // an overwrite: the lower copy stays in its layer, unreadable
      visible.set(e.path, { layer, size: e.size });
    }
  });
  return reclaimable;
}

/** Whether `path` (or, with `self`, the path itself) lies below one of `roots`. */
function hasAncestor(path: string, roots: Set<string>, self: boolean): boolean {
  if (self && roots.has(path)) return true;
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    if (roots.has(path.slice(0, slash))) return true;
  }
  // The root directory cleared (`.wh..wh..opq` at the top) holds every path.
  return !self && roots.has('');
}
