// Lists what `docker save` wrote (the config's history and each layer's entries) with tar-stream, a maintained tar
// reader, instead of parsing headers by hand. One pass over the archive: Docker's own layout puts manifest.json last,
// so every entry is offered to an inner tar reader as it streams by (content is counted, never kept), and only small
// entries are kept whole, for the JSON files. Layers may be gzip-compressed (OCI layout from some stores).
//
// Self-contained on purpose: `readSavedImage` runs this function's source text in a worker thread (see sync-worker.ts),
// so it may use only its arguments and globals, never an import or another function of this file.

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

/** What the listing needs: the archive, and where tar-stream is (the worker resolves nothing itself). */
export interface ListingRequest {
  readonly file: string;
  readonly tarStream: string;
}

/** Lists the archive; `progress` is called as bytes are read, so a waiting caller can tell a stall from a slow disk. */
export async function listSavedImage(
  request: ListingRequest, load: (id: string) => any, progress: () => void = () => undefined,
): Promise<SavedImage> {
  const fs = load('fs');
  const zlib = load('zlib');
  const tar = load(request.tarStream);
  const JSON_LIMIT = 4 * 1024 * 1024;

  const kept = new Map<string, Buffer>();
  const listings = new Map<string, LayerEntry[]>();

  const layerEntryOf = (header: { name: string; type?: string | null; size?: number }): LayerEntry | undefined => {
    const path = header.name.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    if (path === '' || path === '.') return undefined;
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const dir = slash >= 0 ? path.slice(0, slash) : '';
    if (base === '.wh..wh..opq') return { path: dir, kind: 'opaque', size: 0 };
    if (base.startsWith('.wh.')) return { path: dir ? `${dir}/${base.slice(4)}` : base.slice(4), kind: 'whiteout', size: 0 };
    if (header.type === 'file' || header.type === 'contiguous-file') return { path, kind: 'file', size: header.size ?? 0 };
    if (header.type === 'directory') return { path, kind: 'dir', size: 0 };
    return { path, kind: 'link', size: 0 }; // hard and symbolic links, devices, fifos: no content of their own
  };

  /** Resolves once a writable that refused a write takes more (or is gone). */
  const drained = (sink: any): Promise<void> => new Promise(resolve => {
    const done = () => { sink.off('drain', done); sink.off('close', done); resolve(); };
    sink.on('drain', done);
    sink.on('close', done);
  });

  /** Streams one entry of the archive through an inner tar reader: its entries, or undefined when it is no tar. */
  const listEntry = async (entry: AsyncIterable<Buffer>, keep: boolean): Promise<{ listing?: LayerEntry[]; content?: Buffer }> => {
    const inner = tar.extract();
    const listing: LayerEntry[] = [];
    let failed = false;
    const reading = (async () => {
      for await (const member of inner) {
        const found = layerEntryOf(member.header);
        if (found) listing.push(found);
        member.resume();
      }
    })().catch(() => { failed = true; });
    const chunks: Buffer[] = [];
    let sink: any;
    for await (const chunk of entry) {
      progress();
      if (keep) chunks.push(chunk);
      if (!sink) {
        sink = chunk[0] === 0x1f && chunk[1] === 0x8b ? zlib.createGunzip() : inner;
        if (sink !== inner) {
          sink.on('error', () => { failed = true; inner.destroy(); });
          sink.pipe(inner);
        }
      }
      if (failed) continue; // not a tar: keep draining the entry, so the archive reads on
      if (!sink.write(chunk)) await drained(sink);
    }
    if (sink && !failed) sink.end(); else inner.end();
    await reading;
    return { listing: failed ? undefined : listing, content: keep ? Buffer.concat(chunks) : undefined };
  };

  const archive = tar.extract();
  const input = fs.createReadStream(request.file);
  input.on('error', (error: Error) => archive.destroy(error));
  input.pipe(archive);
  for await (const entry of archive) {
    const { name, type, size } = entry.header;
    if (type !== 'file' && type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    const listed = await listEntry(entry, (size ?? 0) <= JSON_LIMIT);
    const key = name.replace(/^(\.\/)+/, '');
    if (listed.listing) listings.set(key, listed.listing);
    if (listed.content) kept.set(key, listed.content);
  }

  const manifestText = kept.get('manifest.json');
  if (!manifestText) throw new Error(`${request.file} has no manifest.json: not an archive written by docker save`);
  const manifest = JSON.parse(manifestText.toString('utf8')) as Array<{ Config: string; Layers: string[] }>;
  const configText = kept.get(manifest[0].Config);
  if (!configText) throw new Error(`${request.file}: config ${manifest[0].Config} named by manifest.json is missing`);
  const config = JSON.parse(configText.toString('utf8')) as { history?: ConfigHistoryEntry[] };
  const layers = manifest[0].Layers.map(name => {
    const listing = listings.get(name);
    if (!listing) throw new Error(`${request.file}: layer ${name} named by manifest.json is missing or not a tar archive`);
    return listing;
  });
  return { history: config.history ?? [], layers };
}
