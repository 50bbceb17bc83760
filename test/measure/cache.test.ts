/* eslint-disable no-bitwise */ // file modes are bit sets
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MeasurementCache, measurementCacheDirectory } from '../../lib/measure/cache';
import { ImageMeasurement } from '../../lib/measure/measurement';

const HASH = 'a1'.repeat(32);
const OTHER_UID = 65534;
const asRoot = process.getuid?.() === 0;

/** A measurement as measureImage writes it: two entries, base and own. */
function measurement(overrides: Partial<ImageMeasurement> = {}): ImageMeasurement {
  return {
    version: 1,
    imageId: 'sha256:' + 'c'.repeat(64),
    sizeBytes: 3000,
    baseImage: 'public.ecr.aws/lambda/python:3.12',
    baseBytes: 1000,
    ownBytes: 2000,
    reclaimableBytes: 40,
    layers: [
      { sizeBytes: 1000, instruction: 'ADD rootfs /', base: true, reclaimableBytes: 40 },
      { sizeBytes: 2000, instruction: 'COPY app.py /var/task', line: 2, base: false, reclaimableBytes: 0 },
    ],
    measuredAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('MeasurementCache', () => {
  let work: string;
  let dir: string;
  let warnings: string[];
  let cache: MeasurementCache;
  const entry = (hash = HASH) => path.join(dir, `${hash}.json`);

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cache-'));
    dir = path.join(work, 'cache', 'measure');
    warnings = [];
    cache = new MeasurementCache(dir, w => warnings.push(w));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a stored measurement reads back whole; the directory is made 0700 and the record 0600', () => {
    cache.put(HASH, measurement());
    expect(cache.get(HASH)).toEqual(measurement());
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(entry()).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual([`${HASH}.json`]); // no temporary file left
    expect(warnings).toEqual([]);
  });

  test('keyed by the whole asset hash: another hash with the same first 12 characters is a miss', () => {
    const sibling = HASH.slice(0, 12) + 'f'.repeat(52);
    cache.put(HASH, measurement());
    expect(cache.get(sibling)).toBeUndefined();
    cache.put(sibling, measurement({ imageId: 'sha256:' + 'd'.repeat(64) }));
    expect(cache.get(HASH)?.imageId).toBe('sha256:' + 'c'.repeat(64));
    expect(cache.get(sibling)?.imageId).toBe('sha256:' + 'd'.repeat(64));
  });

  test('no record: a miss without a warning', () => {
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  const layer = measurement().layers[1];
  test.each<[string, unknown, RegExp]>([
    ['the review\'s planted record', { version: 1, sizeBytes: 1000, layers: [] }, /imageId is not a non-empty string/],
    ['a negative size', measurement({ sizeBytes: -5, baseBytes: 0, ownBytes: -5 }), /sizeBytes is -5, not a byte count/],
    ['layers that are not a list', { ...measurement(), layers: 'x' }, /layers is not a list/],
    ['an outdated version', { ...measurement(), version: 0 }, /its version is 0, not 1/],
    ['no version', { ...measurement(), version: undefined }, /its version is undefined, not 1/],
    ['a size that is a string', { ...measurement(), sizeBytes: '3000' }, /sizeBytes is "3000", not a byte count/],
    ['a fractional size', measurement({ sizeBytes: 3000.5, ownBytes: 2000.5 }), /sizeBytes is 3000.5/],
    ['base and own bytes that do not add up', measurement({ ownBytes: 1 }), /do not add up to sizeBytes 3000/],
    ['no layers', measurement({ layers: [] }), /layers is empty/],
    ['a layer that is not an object', { ...measurement(), layers: [null] }, /layers\[0\] is not an object/],
    ['a layer without its size', { ...measurement(), layers: [{ ...layer, sizeBytes: undefined }] }, /layers\[0\] sizeBytes is not a byte count/],
    ['a layer with a line 0', { ...measurement(), layers: [{ ...layer, line: 0 }] }, /layers\[0\] line is not a line number/],
    ['a layer whose base flag is a string', { ...measurement(), layers: [{ ...layer, base: 'yes' }] }, /layers\[0\] base is not true or false/],
    ['reclaimable bytes that do not add up', measurement({ reclaimableBytes: 999 }), /reclaimable bytes add up to 40, not reclaimableBytes 999/],
    ['an array', [measurement()], /the record is not an object/],
    ['a number', 7, /the record is not an object/],
  ])('%s is a miss, with one warning naming the file and the problem', (_, record, problem) => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(entry(), JSON.stringify(record));
    expect(cache.get(HASH)).toBeUndefined();
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^cached measurement ${entry()} ignored: .*${problem.source}.*The image is measured again`))]);
  });

  test('a record that is not JSON is a miss with one warning', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(entry(), '{"version":1,');
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('it is not JSON')]);
  });

  test('put does not follow a planted link: the link is replaced and its target keeps its content', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const victim = path.join(work, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, entry());
    cache.put(HASH, measurement());
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.lstatSync(entry()).isFile()).toBe(true);
    expect(cache.get(HASH)).toEqual(measurement());
  });

  test('put does not write through a link planted at a temporary name it could choose (the review\'s <hash>.json.<pid>.tmp)', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const victim = path.join(work, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, `${entry()}.${process.pid}.tmp`);
    cache.put(HASH, measurement());
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(cache.get(HASH)).toEqual(measurement());
  });

  test('get does not follow a link, even to a valid record: a miss with one warning', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const elsewhere = path.join(work, 'elsewhere.json');
    fs.writeFileSync(elsewhere, JSON.stringify(measurement()));
    fs.symlinkSync(elsewhere, entry());
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`${entry()} ignored: it is a symbolic link`)]);
  });

  test('a FIFO where the record should be: get returns at once (no hang), put replaces it', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    execFileSync('mkfifo', [entry()]);
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`${entry()} ignored: it is not a regular file`)]);
    cache.put(HASH, measurement());
    expect(cache.get(HASH)).toEqual(measurement());
  });

  test('a directory where the record should be: get misses and put warns, naming the path to remove', () => {
    fs.mkdirSync(path.join(entry(), 'inside'), { recursive: true });
    expect(cache.get(HASH)).toBeUndefined();
    cache.put(HASH, measurement());
    expect(warnings).toEqual([
      expect.stringContaining(`${entry()} ignored: it is a directory, not a file`),
    ]);
    const other = new MeasurementCache(dir, w => warnings.push(w));
    other.put(HASH, measurement());
    expect(warnings[1]).toMatch(new RegExp(`^measurement not cached: cannot write ${entry()} \\((EISDIR|ENOTEMPTY|EEXIST)\\)\\. Remove whatever is at that path\\.$`));
    expect(fs.readdirSync(dir)).toEqual([`${HASH}.json`]); // the temporary file is gone
  });

  test('a directory others can write to is not used: one warning with the fix, no record read or written', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    fs.writeFileSync(entry(), JSON.stringify(measurement()));
    expect(cache.get(HASH)).toBeUndefined();
    cache.put('b'.repeat(64), measurement());
    expect(fs.readdirSync(dir)).toEqual([`${HASH}.json`]);
    expect(warnings).toEqual([`the measurement cache is not used: ${dir} is writable by others (mode 777). Images are measured without it. `
      + `Fix: 'chmod 700 ${dir}' if it is yours, else remove it, or set CDK_CONTAINER_FUNCTION_CACHE_DIR to a directory of your own.`]);
  });

  test('a cache directory that is a link is not used', () => {
    const real = path.join(work, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.symlinkSync(real, dir);
    cache.put(HASH, measurement());
    expect(fs.readdirSync(real)).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining(`${dir} is a symbolic link, not a directory`)]);
  });

  (asRoot ? test : test.skip)('a cache directory of another user is not used (needs root to chown)', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(entry(), JSON.stringify(measurement()));
    fs.chownSync(dir, OTHER_UID, OTHER_UID);
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`${dir} belongs to uid ${OTHER_UID}, not to you (uid 0)`)]);
  });

  (asRoot ? test : test.skip)('a record of another user is a miss (needs root to chown)', () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(entry(), JSON.stringify(measurement()));
    fs.chownSync(entry(), OTHER_UID, OTHER_UID);
    expect(cache.get(HASH)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`ignored: it belongs to uid ${OTHER_UID}, not to you`)]);
  });

  test('an asset hash that could leave the directory is refused', () => {
    expect(() => cache.get('../x')).toThrow("'../x' is not an asset hash");
  });
});

describe('measurementCacheDirectory', () => {
  const saved = { ...process.env };
  afterEach(() => { process.env = { ...saved }; });

  test('CDK_CONTAINER_FUNCTION_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
    process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR = 'rel/dir';
    process.env.XDG_CACHE_HOME = '/xdg';
    expect(measurementCacheDirectory()).toBe(path.resolve('rel/dir'));
    delete process.env.CDK_CONTAINER_FUNCTION_CACHE_DIR;
    expect(measurementCacheDirectory()).toBe('/xdg/cdk-container-function/measure');
    delete process.env.XDG_CACHE_HOME;
    expect(measurementCacheDirectory()).toBe(path.join(os.homedir(), '.cache', 'cdk-container-function', 'measure'));
  });
});
