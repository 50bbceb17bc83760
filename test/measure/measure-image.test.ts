/**
 * measureImage on canned engine answers: a stand-in Docker client (CDK_DOCKER) answers `image inspect`, `history`
 * and `save` from files this test writes, so the arithmetic (base/own bytes, Dockerfile lines, which history entry a
 * layer's reclaimable bytes belong to) is checked exactly, without an engine. The real-Docker suite proves the wiring.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageAsset, localImageTag } from '../../lib/assembly/image-asset';
import { MeasurementCache } from '../../lib/measure/cache';
import { measureAsset, MeasureAssetOptions, measureAssetSync } from '../../lib/measure/measure-asset';
import { measureImage } from '../../lib/measure/measure-image';

interface Canned {
  /** `docker image inspect` of each known image. */
  readonly inspect: { [image: string]: unknown };
  /** `docker history` of each known image, newest first. */
  readonly history: { [image: string]: Array<{ CreatedBy: string; Size: string }> };
  /** The archive `docker save` writes for each image. */
  readonly save?: { [image: string]: string };
  /** Images the engine has before any build. */
  readonly present?: string[];
  /** Images that exist only once built (or present): `docker build --tag` makes them. */
  readonly buildable?: string[];
  /** `docker save` writes 1 MiB, then hangs (until signalled). */
  readonly slowSave?: boolean;
}

/** A Docker client that answers from canned.json and logs every call (one JSON array of args per line). */
const CLIENT = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const canned = JSON.parse(fs.readFileSync(path.join(__dirname, 'canned.json'), 'utf8'));
const args = process.argv.slice(2);
fs.appendFileSync(path.join(__dirname, 'calls.log'), JSON.stringify(args) + '\\n');
const image = args[args.length - 1];
const fail = () => { process.stderr.write('Error: No such image: ' + image + '\\n'); process.exit(1); };
(() => {
const builtFile = path.join(__dirname, 'built.json');
const built = fs.existsSync(builtFile) ? JSON.parse(fs.readFileSync(builtFile, 'utf8')) : [];
if (args[0] === 'build') {
  fs.writeFileSync(builtFile, JSON.stringify([...built, args[args.indexOf('--tag') + 1]]));
} else if (args[0] === 'image' && args[1] === 'inspect' && args[3] === '{{json .}}') {
  // An image that only a build makes is not there until it is built (or present before).
  const buildable = (canned.buildable || []).includes(image);
  if (buildable && !(canned.present || []).includes(image) && !built.includes(image)) fail();
  const data = canned.inspect[image];
  if (!data) fail();
  process.stdout.write(JSON.stringify(data) + '\\n');
} else if (args[0] === 'history') {
  const entries = canned.history[image];
  if (!entries) fail();
  const idOnly = args.includes('{{.ID}}');
  process.stdout.write(entries.map(e => idOnly ? '<missing>' : JSON.stringify(e)).join('\\n') + '\\n');
} else if (args[0] === 'save') {
  if (canned.slowSave) {
    fs.writeFileSync(args[2], Buffer.alloc(1024 * 1024));
    setTimeout(() => process.exit(0), 60000);
    return;
  }
  const archive = (canned.save || {})[image];
  if (!archive) fail();
  fs.copyFileSync(archive, args[2]);
} else {
  process.stderr.write('unexpected: ' + args.join(' ') + '\\n');
  process.exit(3);
}
})();
`;

jest.setTimeout(60_000); // every docker call starts a Node process: slow on a loaded machine, never timed

describe('measureImage on canned history and archive output', () => {
  let work: string;
  const saved = { ...process.env };

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-measure-image-'));
    fs.writeFileSync(path.join(work, 'docker'), CLIENT, { mode: 0o755 });
    process.env.CDK_DOCKER = path.join(work, 'docker');
  });
  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(work, { recursive: true, force: true });
  });

  const can = (canned: Canned) => fs.writeFileSync(path.join(work, 'canned.json'), JSON.stringify(canned));
  const calls = (): string[][] => fs.readFileSync(path.join(work, 'calls.log'), 'utf8').trim().split('\n').map(l => JSON.parse(l));

  /** A `docker save` archive: one layer tar per entry of `layers` (files of given sizes), and the config history. */
  function archive(name: string, layers: Array<{ [file: string]: number }>, history: Array<{ created_by: string; empty_layer?: boolean }>): string {
    const dir = path.join(work, name);
    const names = layers.map((files, i) => {
      const root = path.join(dir, `root${i}`);
      fs.mkdirSync(root, { recursive: true });
      for (const [file, size] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), Buffer.alloc(size));
      }
      fs.mkdirSync(path.join(dir, `l${i}`), { recursive: true });
      execFileSync('tar', ['-C', root, '-cf', path.join(dir, `l${i}`, 'layer.tar'), '.']);
      return `l${i}/layer.tar`;
    });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ history }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: 'config.json', Layers: names }]));
    const file = path.join(work, `${name}.tar`);
    execFileSync('tar', ['-C', dir, '-cf', file, 'manifest.json', 'config.json', ...names]);
    return file;
  }

  // The image: two base entries (a layer and CMD), then RUN a (a layer), ENV (no layer), RUN b (a layer that
  // overwrites 500 bytes RUN a wrote). docker history lists newest first.
  const DOCKERFILE = 'FROM base:1\nRUN a\nENV X=1\nRUN b\n';
  const historyOldestFirst = [
    { created_by: 'ADD rootfs.tar / # buildkit', size: 1000 },
    { created_by: 'CMD ["base"]', size: 0, empty: true },
    { created_by: 'RUN /bin/sh -c a # buildkit', size: 700 },
    { created_by: 'ENV X=1', size: 0, empty: true },
    { created_by: 'RUN /bin/sh -c b # buildkit', size: 600 },
  ];
  const configOf = (entries: typeof historyOldestFirst) => entries.map(h => ({ created_by: h.created_by, empty_layer: h.empty }));
  function canImage(overrides: Partial<Canned> = {}, configHistory = configOf(historyOldestFirst)) {
    const saveArchive = archive('image', [{ 'etc/os': 1000 }, { 'app/data': 500, 'app/keep': 200 }, { 'app/data': 600 }], configHistory);
    can({
      inspect: {
        'img:1': { Id: 'sha256:img', Size: 2300, RootFS: { Layers: ['sha256:L1', 'sha256:L2', 'sha256:L3'] } },
        'base:1': { Id: 'sha256:base', Size: 1000, RootFS: { Layers: ['sha256:L1'] } },
      },
      history: {
        'img:1': historyOldestFirst.map(h => ({ CreatedBy: h.created_by, Size: String(h.size) })).reverse(),
        'base:1': historyOldestFirst.slice(0, 2).map(h => ({ CreatedBy: h.created_by, Size: String(h.size) })).reverse(),
      },
      save: { 'img:1': saveArchive },
      ...overrides,
    });
  }

  test('base and own bytes, the line of each entry, and reclaimable bytes on the entry whose layer holds them', () => {
    canImage();
    const m = measureImage('img:1', { dockerfileText: DOCKERFILE });
    expect(m).toEqual({
      version: 1,
      imageId: 'sha256:img',
      sizeBytes: 2300,
      baseImage: 'base:1',
      baseBytes: 1000,
      ownBytes: 1300,
      reclaimableBytes: 500,
      layers: [
        { sizeBytes: 1000, instruction: 'ADD rootfs.tar /', base: true, reclaimableBytes: 0 },
        { sizeBytes: 0, instruction: 'CMD ["base"]', base: true, reclaimableBytes: 0 },
        // RUN a's layer holds the 500 bytes RUN b overwrites; the ENV entry between them has no layer.
        { sizeBytes: 700, instruction: 'RUN a', line: 2, base: false, reclaimableBytes: 500 },
        { sizeBytes: 0, instruction: 'ENV X=1', line: 3, base: false, reclaimableBytes: 0 },
        { sizeBytes: 600, instruction: 'RUN b', line: 4, base: false, reclaimableBytes: 0 },
      ],
      measuredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test('docker save writes into a temporary directory of its own, removed afterwards', () => {
    canImage();
    measureImage('img:1', { dockerfileText: DOCKERFILE });
    const save = calls().find(c => c[0] === 'save')!;
    expect(save).toEqual(['save', '-o', expect.stringMatching(new RegExp(`^${os.tmpdir()}/ccf-measure-${process.pid}-[^/]+/image\\.tar$`)), 'img:1']);
    expect(fs.existsSync(path.dirname(save[2]))).toBe(false);
  });

  test('the temporary directory is removed when docker save fails too', () => {
    canImage({ save: {} });
    expect(() => measureImage('img:1', { dockerfileText: DOCKERFILE })).toThrow(/No such image: img:1/);
    const save = calls().find(c => c[0] === 'save')!;
    expect(fs.existsSync(path.dirname(save[2]))).toBe(false);
  });

  test('a save directory that an ended process left behind is removed by the next measurement; a live one is kept', () => {
    canImage();
    const ended = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const left = fs.mkdtempSync(path.join(os.tmpdir(), `ccf-measure-${ended}-`));
    fs.writeFileSync(path.join(left, 'image.tar'), 'x'.repeat(1000));
    const live = fs.mkdtempSync(path.join(os.tmpdir(), `ccf-measure-${process.ppid}-`));
    try {
      measureImage('img:1', { dockerfileText: DOCKERFILE });
      expect(fs.existsSync(left)).toBe(false);
      expect(fs.existsSync(live)).toBe(true);
    } finally {
      fs.rmSync(left, { recursive: true, force: true });
      fs.rmSync(live, { recursive: true, force: true });
    }
  });

  test('Ctrl+C during docker save: the process ends by the interrupt and leaves no archive and no directory', async () => {
    canImage({ slowSave: true });
    const root = path.resolve(__dirname, '..', '..');
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
      "require('./lib/measure/measure-image').measureImage('img:1'); console.log('finished')"], { cwd: root, env: { ...process.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    const exited = new Promise<NodeJS.Signals | number | null>(resolve => child.on('exit', (code, signal) => resolve(signal ?? code)));
    let archivePath: string | undefined;
    for (let i = 0; i < 600 && !archivePath; i++) {
      await new Promise(r => setTimeout(r, 100));
      const save = fs.existsSync(path.join(work, 'calls.log')) ? calls().find(c => c[0] === 'save') : undefined;
      if (save && fs.existsSync(save[2]) && fs.statSync(save[2]).size > 0) archivePath = save[2];
    }
    expect({ archivePath, output }).toEqual({ archivePath: expect.any(String), output: '' });
    process.kill(-child.pid!, 'SIGINT'); // what a terminal's Ctrl+C does: the whole foreground process group
    expect(await exited).toBe('SIGINT');
    expect(output).not.toContain('finished');
    expect(fs.existsSync(path.dirname(archivePath!))).toBe(false);
  }, 90_000);

  test('when the archive\'s history does not match docker history, the total stays on the newest entry', () => {
    canImage({}, configOf(historyOldestFirst.slice(1)));
    const m = measureImage('img:1', { dockerfileText: DOCKERFILE });
    expect(m.layers.map(l => l.reclaimableBytes)).toEqual([0, 0, 0, 0, 500]);
    expect(m.reclaimableBytes).toBe(500);
  });

  test('a base image the engine does not have: the entries before the first Dockerfile match are the base', () => {
    canImage();
    const canned = JSON.parse(fs.readFileSync(path.join(work, 'canned.json'), 'utf8')) as Canned;
    delete (canned.inspect as any)['base:1'];
    can(canned);
    const m = measureImage('img:1', { dockerfileText: DOCKERFILE });
    expect(m.layers.map(l => l.base)).toEqual([true, true, false, false, false]);
    expect(m.baseBytes).toBe(1000);
  });

  test('FROM scratch: no entry is the base\'s, even one no instruction matches', () => {
    const saveArchive = archive('scratch', [{ bin: 300 }, { app: 200 }], [{ created_by: '' }, { created_by: 'COPY app / # buildkit' }]);
    can({
      inspect: { 'img:2': { Id: 'sha256:two', Size: 500, RootFS: { Layers: ['sha256:A', 'sha256:B'] } } },
      history: { 'img:2': [{ CreatedBy: 'COPY app / # buildkit', Size: '200' }, { CreatedBy: '', Size: '300' }] },
      save: { 'img:2': saveArchive },
    });
    const m = measureImage('img:2', { dockerfileText: 'FROM scratch\nCOPY bin /\nCOPY app /\n' });
    expect(m.baseImage).toBe('scratch');
    expect(m.layers.map(l => l.base)).toEqual([false, false]);
    expect([m.baseBytes, m.ownBytes]).toEqual([0, 500]);
    expect(calls().some(c => c.includes('scratch'))).toBe(false); // nothing asked about an image called scratch
  });

  describe('measureAsset and measureAssetSync: cached, built and reused', () => {
    const asset = (): ImageAsset => ({ id: 'f'.repeat(64), source: { directory: 'ctx' }, baseDirectory: work, imageTags: [] });
    function canAsset(present: boolean) {
      fs.mkdirSync(path.join(work, 'ctx'), { recursive: true });
      fs.writeFileSync(path.join(work, 'ctx', 'Dockerfile'), DOCKERFILE);
      canImage();
      const canned = JSON.parse(fs.readFileSync(path.join(work, 'canned.json'), 'utf8'));
      const tag = localImageTag(asset());
      can({
        ...canned,
        present: present ? [tag] : [],
        buildable: [tag],
        inspect: { ...canned.inspect, [tag]: canned.inspect['img:1'] },
        history: { ...canned.history, [tag]: canned.history['img:1'] },
        save: { [tag]: canned.save['img:1'] },
      });
    }
    const builds = () => calls().filter(c => c[0] === 'build').length;

    test.each([['async', measureAsset], ['sync', async (a: ImageAsset, o: MeasureAssetOptions) => measureAssetSync(a, o)]] as const)(
      '%s: built when docker build ran, not when the engine had the image, and a cache hit asks the engine nothing', async (_, measure) => {
        const cache = new MeasurementCache(path.join(work, 'cache'), () => undefined);
        canAsset(false);
        const first = await measure(asset(), { cache });
        expect([first.built, first.cached, builds()]).toEqual([true, false, 1]);
        expect(first.measurement.sizeBytes).toBe(2300);
        const callsBefore = calls().length;
        const second = await measure(asset(), { cache });
        expect([second.built, second.cached, calls().length]).toEqual([false, true, callsBefore]);
        expect(second.measurement).toEqual(first.measurement);

        fs.rmSync(path.join(work, 'calls.log'));
        canAsset(true);
        const reused = await measure(asset(), {});
        expect([reused.built, reused.cached]).toEqual([false, false]);
        expect(calls().filter(c => c[0] === 'build')).toEqual([]);
      }, 60_000);
  });
});
