import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSavedImage } from '../../lib/measure/image-archive';

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
