import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sourceDir } from './support';
import { LambdaBaseImage, SourceBuildSecret } from '../../lib/dockerfile';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';
import { tempDir } from '../support/temp-dir';

// A staged fromSource context holds only what lies under the source directory's real path. Symlinks are never followed:
// links inside are kept as links, links to outside, loops and dangling links fail with the construct path, the file and the fix.

const OPTIONS = { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' };
const APP = { 'app.py': 'def lambda_handler(e, c):\n    return 1\n' };

function outsideDir(files: { [rel: string]: string }): string {
  return sourceDir(files);
}

/** Every file under a directory with its content, links shown as `-> target`. */
function tree(dir: string, rel = ''): { [rel: string]: string } {
  const out: { [rel: string]: string } = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    const abs = path.join(dir, r);
    if (e.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(abs)}`;
    else if (e.isDirectory()) Object.assign(out, tree(dir, r));
    else out[r] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

function stagingError(src: string, options: object = OPTIONS): string {
  try {
    void stageSourceImage('S/Fn', src, options as any).directory;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('staging did not fail');
}

afterEach(() => jest.restoreAllMocks());
/** Points os.tmpdir() at an empty directory of this test's own, so other test files staging in parallel do not interfere. */
function privateTmpdir(): string {
  const dir = tempDir('ccf-unit-tmp-');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jest.spyOn(require('os') as typeof os, 'tmpdir').mockReturnValue(dir);
  return dir;
}

describe('symlinks in a fromSource directory', () => {
  test('a link to a secret file outside is refused, and the secret is in no staged file', () => {
    const secrets = outsideDir({ 'pip-index-url': 'https://user:hunter2-SECRET@pypi.example.com/simple' });
    const src = sourceDir(APP);
    fs.symlinkSync(path.join(secrets, 'pip-index-url'), path.join(src, 'config.txt'));
    const message = stagingError(src, { ...OPTIONS, buildSecrets: [SourceBuildSecret.pipIndexUrl(path.join(secrets, 'pip-index-url'))] });
    expect(message).toMatch(/^S\/Fn: /);
    expect(message).toContain('/config.txt is a symlink to');
    expect(message).toContain('outside the source directory');
    expect(message).toContain("add 'config.txt' to the exclude option");
    expect(message).not.toContain('hunter2');
  });

  test('a directory link to a tree outside is refused (not copied)', () => {
    const shared = outsideDir({ 'shared/util.py': 'X = 1\n', 'shared/private.key': 'KEY' });
    const src = sourceDir(APP);
    fs.symlinkSync(path.join(shared, 'shared'), path.join(src, 'shared'));
    const message = stagingError(src);
    expect(message).toMatch(/^S\/Fn: .*\/shared is a symlink to .*, outside the source directory/);
    expect(message).toContain('Copy the file into the directory');
  });

  test('an excluded link to outside is left out, not refused', () => {
    const secrets = outsideDir({ token: 'SECRET' });
    const src = sourceDir(APP);
    fs.symlinkSync(path.join(secrets, 'token'), path.join(src, 'token'));
    const staged = stageSourceImage('S/Fn', src, { ...OPTIONS, exclude: ['token'] });
    expect(tree(staged.directory)).not.toHaveProperty('token');
  });

  test('a source directory reached through a link is fine: links are judged by real paths', () => {
    const real = sourceDir({ ...APP, 'lib/util.py': 'X = 1\n' });
    fs.symlinkSync('lib/util.py', path.join(real, 'util.py'));
    const viaLink = path.join(tempDir('ccf-unit-link-'), 'src');
    fs.symlinkSync(real, viaLink);
    const staged = stageSourceImage('S/Fn', viaLink, OPTIONS);
    expect(tree(staged.directory)['util.py']).toBe('-> lib/util.py');
  });

  test('links inside stay links, relative, so they resolve in the image; absolute ones are made relative', () => {
    const src = sourceDir({ ...APP, 'lib/util.py': 'X = 1\n', 'data/a.json': '{}' });
    fs.symlinkSync('lib/util.py', path.join(src, 'util.py'));
    fs.symlinkSync(path.join(src, 'data'), path.join(src, 'lib/data'));
    fs.symlinkSync('..', path.join(src, 'lib/up')); // a loop for a walker that follows links; a plain link here
    const staged = stageSourceImage('S/Fn', src, OPTIONS);
    const files = tree(staged.directory);
    expect(files['util.py']).toBe('-> lib/util.py');
    expect(files['lib/data']).toBe('-> ../data');
    expect(files['lib/up']).toBe('-> ..');
    expect(fs.readFileSync(path.join(staged.directory, 'util.py'), 'utf8')).toBe('X = 1\n');
  });

  test('a link to an excluded file would dangle in the image: refused', () => {
    const src = sourceDir({ ...APP, '.env': 'TOKEN=abc' });
    fs.symlinkSync('.env', path.join(src, 'settings.txt'));
    const message = stagingError(src);
    expect(message).toMatch(/^S\/Fn: .*\/settings\.txt is a symlink to \.env, which is excluded from the build context/);
    expect(message).toContain("Add 'settings.txt' to the exclude option too");
  });

  test('a secret reached by another path is compared by its real path', () => {
    const src = sourceDir({ ...APP, 'pip.conf': 'index-url = https://u:p@h/simple' });
    const elsewhere = tempDir('ccf-unit-secret-');
    fs.symlinkSync(path.join(src, 'pip.conf'), path.join(elsewhere, 'pip.conf'));
    expect(() => stageSourceImage('S/Fn', src, { ...OPTIONS, buildSecrets: [SourceBuildSecret.pipIndexUrl(path.join(elsewhere, 'pip.conf'))] }))
      .toThrow(/^S\/Fn: build secret "pip-index-url" .* is inside the source directory/);
  });

  test('a symlink loop names the construct path, the file and the fix', () => {
    const src = sourceDir(APP);
    fs.symlinkSync('b', path.join(src, 'a'));
    fs.symlinkSync('a', path.join(src, 'b'));
    const message = stagingError(src);
    expect(message).toMatch(/^S\/Fn: .*\/a is a symlink loop \(-> b\)\. Remove the link, or add 'a' to the exclude option\.$/);
  });

  test('a dangling link names the construct path, the file and the fix', () => {
    const src = sourceDir(APP);
    fs.symlinkSync('missing/file.py', path.join(src, 'gone.py'));
    const message = stagingError(src);
    expect(message).toMatch(/^S\/Fn: .*\/gone\.py is a dangling symlink: its target missing\/file\.py does not exist\. /);
    expect(message).toContain("add 'gone.py' to the exclude option");
  });

  test('a failed staging leaves no directory behind', () => {
    const src = sourceDir(APP);
    fs.symlinkSync('nowhere', path.join(src, 'x'));
    const tmp = privateTmpdir();
    stagingError(src);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
