// The layers Docker itself writes (Go's archive/tar: pax records for non-ASCII and long names, hard links as links) read
// back by the library's tar-stream reader, from a real `docker save` of an image built on the real engine.
import * as fs from 'fs';
import * as path from 'path';
import { build, describeWithDocker, docker, removeImage } from './support/docker';
import { readSavedImage } from '../../lib/measure/image-archive';
import { tempDir } from '../support/temp-dir';

jest.setTimeout(5 * 60_000);

describeWithDocker('layer archives written by the engine', () => {
  const tag = `ccf-test/layer-archive:${process.pid}`;
  afterAll(() => removeImage(tag));

  test('a file named "é\\n1 size=0", a 200-character name and a hard link keep their names and sizes', async () => {
    const dir = tempDir('ccf-layer-archive-');
    const context = path.join(dir, 'context');
    fs.mkdirSync(path.join(context, 'files'), { recursive: true });
    const odd = 'é\n1 size=0';
    const long = `${'n'.repeat(100)}/${'f'.repeat(100)}.bin`;
    fs.writeFileSync(path.join(context, 'files', odd), Buffer.alloc(1500, 'x'));
    fs.mkdirSync(path.join(context, 'files', path.dirname(long)));
    fs.writeFileSync(path.join(context, 'files', long), Buffer.alloc(3000, 'y'));
    fs.writeFileSync(path.join(context, 'files', 'after.txt'), '7 bytes');
    // A hard link needs a RUN step (the Debian base provisioned for the stand-ins); both names in the one layer, so the
    // engine writes the second as a link entry.
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM local/debian:bookworm\nCOPY files/ /data/\nRUN printf 1234567 > /data/x && ln /data/x /data/hard\n');
    await build({ context, tag });
    const archive = path.join(dir, 'image.tar');
    await docker(['save', '-o', archive, tag]);
    const saved = readSavedImage(archive);
    const [copied, linked] = saved.layers.slice(-2);
    const files = copied.filter(e => e.kind === 'file').map(e => [e.path, e.size]).sort();
    expect(files).toEqual([[`data/${long}`, 3000], [`data/${odd}`, 1500], ['data/after.txt', 7]].sort());
    // The engine writes whichever name comes first with the content, and the other as a link to it (no bytes of its own).
    const pair = linked.filter(e => e.path.startsWith('data/'));
    expect(pair.map(e => e.path).sort()).toEqual(['data/hard', 'data/x']);
    expect(pair.map(e => [e.kind, e.size]).sort()).toEqual([['file', 7], ['link', 0]]);
  });
});
