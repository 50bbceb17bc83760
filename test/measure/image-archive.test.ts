import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tarStream from 'tar-stream';
import { readSavedImage } from '../../lib/measure/image-archive';
import { tempDir } from '../support/temp-dir';

/** Writes the files into a directory and tars it with the system tar, in the given format. */
function layerTar(dir: string, name: string, files: { [path: string]: string | number }, format: string): string {
  const root = path.join(dir, `${name}-root`);
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), typeof content === 'number' ? Buffer.alloc(content) : content);
  }
  const tar = path.join(dir, name, 'layer.tar');
  fs.mkdirSync(path.dirname(tar), { recursive: true });
  execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', tar, '.']);
  return `${name}/layer.tar`;
}

describe('readSavedImage: the archive docker save writes', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-archive-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('history and each layer\'s entries, whiteouts, long names (pax and GNU) and sizes included', () => {
    const long = `deep/${'x'.repeat(120)}/file.bin`;
    const layers = [
      layerTar(dir, 'l1', { 'tmp/big.bin': 5000, [long]: 700, 'etc/conf': 'a' }, 'pax'),
      layerTar(dir, 'l2', { 'tmp/.wh.big.bin': '', 'var/cache/.wh..wh..opq': '', [`${long}2`]: 3 }, 'gnu'),
    ];
    fs.writeFileSync(path.join(dir, 'cfg.json'), JSON.stringify({ history: [{ created_by: 'RUN a' }, { created_by: 'ENV x', empty_layer: true }, { created_by: 'RUN b' }] }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: 'cfg.json', Layers: layers }]));
    const archive = path.join(dir, 'image.tar');
    execFileSync('tar', ['--format=ustar', '-C', dir, '-cf', archive, 'manifest.json', 'cfg.json', ...layers]);

    const saved = readSavedImage(archive);
    expect(saved.history.map(h => h.empty_layer ?? false)).toEqual([false, true, false]);
    const files = (i: number) => saved.layers[i].filter(e => e.kind !== 'dir').map(e => [e.path, e.kind, e.size]).sort();
    expect(files(0)).toEqual([[long, 'file', 700], ['etc/conf', 'file', 1], ['tmp/big.bin', 'file', 5000]].sort());
    expect(files(1)).toEqual([[`${long}2`, 'file', 3], ['tmp/big.bin', 'whiteout', 0], ['var/cache', 'opaque', 0]].sort());
  });

  test('an archive without manifest.json is named in the error', () => {
    const archive = path.join(dir, 'not-an-image.tar');
    fs.writeFileSync(path.join(dir, 'x'), 'x');
    execFileSync('tar', ['-C', dir, '-cf', archive, 'x']);
    expect(() => readSavedImage(archive)).toThrow(/not-an-image\.tar has no manifest\.json: not an archive written by docker save/);
  });
});

/** A tar written by tar-stream's packer (what Go's archive/tar in Docker writes: pax headers for long or non-ASCII names). */
async function packTar(entries: Array<{ header: tarStream.Headers; content?: Buffer }>): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const { header, content } of entries) pack.entry(header, content ?? Buffer.alloc(0));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Offsets of the ustar headers (pax and long-name headers included) in a tar, walking sizes as the format says. */
function headerOffsets(archive: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 512 <= archive.length && archive.subarray(at, at + 512).some(b => b !== 0);) {
    offsets.push(at);
    const size = parseInt(archive.toString('latin1', at + 124, at + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return offsets;
}

/** Rewrites the size field of the header at `offset` and fixes its checksum. */
function setSizeField(archive: Buffer, offset: number, field: Buffer): void {
  field.copy(archive, offset + 124);
  archive.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let i = offset; i < offset + 512; i++) sum += archive[i];
  archive.write(`${sum.toString(8).padStart(6, '0')}\0 `, offset + 148, 'latin1');
}

/** The archive docker save writes in its own layout: layers first, manifest.json last (as the engine orders it). */
async function savedImage(dir: string, layers: Buffer[], history: object[] = layers.map((_, i) => ({ created_by: `RUN ${i}` }))): Promise<string> {
  const names = layers.map((_, i) => `${i}abc/layer.tar`);
  const archive = await packTar([
    ...layers.map((content, i) => ({ header: { name: names[i], size: content.length }, content })),
    { header: { name: 'cfg.json' }, content: Buffer.from(JSON.stringify({ history })) },
    { header: { name: 'manifest.json' }, content: Buffer.from(JSON.stringify([{ Config: 'cfg.json', Layers: names }])) },
  ]);
  const file = path.join(dir, 'image.tar');
  fs.writeFileSync(file, archive);
  return file;
}

describe('readSavedImage reads tar the way tar-stream does: names and sizes never come from file content', () => {
  const dir = tempDir('ccf-archive-names-');
  const listing = (file: string, layer = 0) => readSavedImage(file).layers[layer].map(e => [e.path, e.kind, e.size]);

  test('a file named "é\\n1 size=0" (a pax path holding what looks like a size record) keeps its size, and the next entry its own', async () => {
    const odd = 'é\n1 size=0';
    // The content looks like a tar header of a huge file: a reader that took size 0 would read it as the next entry.
    const decoy = await packTar([{ header: { name: 'decoy', size: 0 } }]);
    setSizeField(decoy, 0, Buffer.from('77777777777\0', 'latin1'));
    const content = Buffer.concat([decoy.subarray(0, 512), Buffer.alloc(1000, 'x')]);
    const layer = await packTar([
      { header: { name: odd, size: content.length, pax: {} }, content },
      { header: { name: 'after.txt', size: 7 }, content: Buffer.from('7 bytes') },
    ]);
    expect(listing(await savedImage(dir, [layer]))).toEqual([[odd, 'file', 1512], ['after.txt', 'file', 7]]);
  });

  test('long paths and link targets (pax), a hard link and a symlink', async () => {
    const long = `opt/${'d'.repeat(150)}/${'f'.repeat(120)}.bin`;
    const layer = await packTar([
      { header: { name: long, size: 3000 }, content: Buffer.alloc(3000) },
      { header: { name: 'hard', type: 'link', linkname: long } },
      { header: { name: 'soft', type: 'symlink', linkname: `/${long}` } },
      { header: { name: 'etc', type: 'directory' } },
    ]);
    expect(headerOffsets(layer).length).toBeGreaterThan(4); // pax headers were written for the long names
    expect(listing(await savedImage(dir, [layer]))).toEqual([[long, 'file', 3000], ['hard', 'link', 0], ['soft', 'link', 0], ['etc', 'dir', 0]]);
  });

  test('a size given only in a pax record (as for files of 8 GiB and more) is the size', async () => {
    const layer = await packTar([
      { header: { name: 'big.bin', size: 5000, pax: { size: '5000' } }, content: Buffer.alloc(5000, 1) },
      { header: { name: 'next', size: 1 }, content: Buffer.from('n') },
    ]);
    // The ustar field says 0, as writers leave it when the size does not fit in 11 octal digits.
    setSizeField(layer, headerOffsets(layer)[1], Buffer.from('00000000000\0', 'latin1'));
    expect(listing(await savedImage(dir, [layer]))).toEqual([['big.bin', 'file', 5000], ['next', 'file', 1]]);
  });

  test('a size in base-256 (GNU, for 8 GiB and more) is the size', async () => {
    const layer = await packTar([
      { header: { name: 'big.bin', size: 70000 }, content: Buffer.alloc(70000, 2) },
      { header: { name: 'next', size: 1 }, content: Buffer.from('n') },
    ]);
    const field = Buffer.alloc(12);
    field[0] = 0x80;
    field.writeUIntBE(70000, 6, 6);
    setSizeField(layer, 0, field);
    expect(listing(await savedImage(dir, [layer]))).toEqual([['big.bin', 'file', 70000], ['next', 'file', 1]]);
  });

  test('a gzip-compressed layer (OCI layout from stores that keep layers compressed) is read through', async () => {
    const layer = await packTar([{ header: { name: 'app/data', size: 600 }, content: Buffer.alloc(600) }]);
    const file = await savedImage(dir, [zlib.gzipSync(layer)]);
    expect(listing(file)).toEqual([['app/data', 'file', 600]]);
  });

  test('a layer named by manifest.json that is not a tar is an error naming it', async () => {
    const file = await savedImage(dir, [Buffer.from('{"not":"a tar"}'.padEnd(2048, ' '))]);
    expect(() => readSavedImage(file)).toThrow(/image\.tar: layer 0abc\/layer\.tar named by manifest\.json is missing or not a tar archive/);
  });

  test('an unreadable archive is an error, not a hang', () => {
    expect(() => readSavedImage(path.join(dir, 'absent.tar'))).toThrow(/ENOENT.*absent\.tar/);
  });
});
