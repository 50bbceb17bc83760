// Reads what `docker save` writes (a tar of the image config and one uncompressed tar per layer) without loading it
// into memory: only tar headers are read, so a multi-GB image costs a few MB of reads. Gives the config's history
// (which entries made a layer) and each layer's file entries, for the reclaimable-bytes count.
import * as fs from 'fs';

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

interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** Offset of the content in the file. */
  readonly offset: number;
}

/** Reads an archive written by `docker save -o file` (Docker's own layout and the OCI layout alike). */
export function readSavedImage(file: string): SavedImage {
  const fd = fs.openSync(file, 'r');
  try {
    const outer = new Map<string, TarEntry>();
    for (const entry of tarEntries(fd, 0, fs.fstatSync(fd).size)) outer.set(entry.name, entry);
    const manifestEntry = outer.get('manifest.json');
    if (!manifestEntry) throw new Error(`${file} has no manifest.json: not an archive written by docker save`);
    const manifest = JSON.parse(readContent(fd, manifestEntry).toString('utf8')) as Array<{ Config: string; Layers: string[] }>;
    const configEntry = outer.get(manifest[0].Config);
    if (!configEntry) throw new Error(`${file}: config ${manifest[0].Config} named by manifest.json is missing`);
    const config = JSON.parse(readContent(fd, configEntry).toString('utf8')) as { history?: ConfigHistoryEntry[] };
    const layers = manifest[0].Layers.map(name => {
      const layer = outer.get(name);
      if (!layer) throw new Error(`${file}: layer ${name} named by manifest.json is missing`);
      return [...tarEntries(fd, layer.offset, layer.offset + layer.size)].map(toLayerEntry).filter((e): e is LayerEntry => e !== undefined);
    });
    return { history: config.history ?? [], layers };
  } finally {
    fs.closeSync(fd);
  }
}

function toLayerEntry(entry: TarEntry): LayerEntry | undefined {
  const path = entry.name.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return undefined;
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const dir = slash >= 0 ? path.slice(0, slash) : '';
  if (base === '.wh..wh..opq') return { path: dir, kind: 'opaque', size: 0 };
  if (base.startsWith('.wh.')) return { path: dir ? `${dir}/${base.slice(4)}` : base.slice(4), kind: 'whiteout', size: 0 };
  if (entry.type === '0' || entry.type === '\0' || entry.type === '7') return { path, kind: 'file', size: entry.size };
  if (entry.type === '5') return { path, kind: 'dir', size: 0 };
  return { path, kind: 'link', size: 0 }; // hard and symbolic links, devices, fifos: no content of their own
}

/** Tar headers between `start` and `end`, with pax and GNU long names applied. */
function* tarEntries(fd: number, start: number, end: number): Generator<TarEntry> {
  const header = Buffer.alloc(512);
  let offset = start;
  let longName: string | undefined;
  let paxSize: number | undefined;
  while (offset + 512 <= end) {
    fs.readSync(fd, header, 0, 512, offset);
    if (header.every(b => b === 0)) break;
    const size = paxSize ?? numeric(header.subarray(124, 136));
    const type = String.fromCharCode(header[156]);
    const dataOffset = offset + 512;
    offset = dataOffset + Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'x' || type === 'g') {
      const data = readContent(fd, { name: '', type, size, offset: dataOffset }).toString('utf8');
      if (type === 'L') longName = data.replace(/\0.*$/s, '');
      if (type === 'x') {
        const pax = parsePax(data);
        if (pax.path !== undefined) longName = pax.path;
        if (pax.size !== undefined) paxSize = Number(pax.size);
      }
      continue;
    }
    const name = longName ?? joinName(text(header.subarray(345, 500)), text(header.subarray(0, 100)));
    longName = undefined;
    paxSize = undefined;
    yield { name, type, size, offset: dataOffset };
  }
}

function readContent(fd: number, entry: TarEntry): Buffer {
  const buffer = Buffer.alloc(entry.size);
  fs.readSync(fd, buffer, 0, entry.size, entry.offset);
  return buffer;
}

function joinName(prefix: string, name: string): string {
  return prefix ? `${prefix}/${name}` : name;
}

function text(field: Buffer): string {
  const zero = field.indexOf(0);
  return field.toString('utf8', 0, zero >= 0 ? zero : field.length);
}

/** Octal, or base-256 (high bit set) for sizes of 8 GiB and more. */
function numeric(field: Buffer): number {
  if (field[0] >= 0x80) {
    let value = field[0] - 0x80;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const octal = text(field).trim();
  return octal ? parseInt(octal, 8) : 0;
}

/** `<length> <key>=<value>\n` records. */
function parsePax(data: string): { [key: string]: string } {
  const records: { [key: string]: string } = {};
  for (const m of data.matchAll(/^\d+ ([^=\n]+)=([^\n]*)$/gm)) records[m[1]] = m[2];
  return records;
}
