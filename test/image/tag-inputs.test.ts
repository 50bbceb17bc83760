/**
 * Which files decide a gitSha() tag: the build context as Docker sees it (.dockerignore, exclude, the Dockerfile that
 * is always sent), read literally, per context options. Real temporary repositories.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, IgnoreMode, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, DockerfileImageOptions, ImageTag } from '../../lib';
import { GitReader, GitUnreadableError } from '../../lib/image/git';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

let repo: TempGitRepo;
afterEach(() => repo?.remove());

/** Builds one function per entry in one app (so they share git reads), returning their tags. */
function tags(...functions: Array<{ dir?: string; options?: DockerfileImageOptions; tag?: ImageTag; context?: Record<string, string> }>): string[] {
  const app = new App({ context: functions[0]?.context });
  const stack = new Stack(app, 'S');
  return functions.map(({ dir = 'fn', options, tag }, i) =>
    new ContainerFunction(stack, `Fn${i}`, { image: ContainerImage.fromDockerfile(repo.path(dir), options), tag }).imageTag);
}
const shaOf = (tag: string) => tag.split('-')[0];
const isDirty = (tag: string) => tag.split('-')[1] === 'dirty';

test('a directory partly ignored by .dockerignore: a commit to its ignored file keeps the tag, one to its kept file moves it', () => {
  repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': 'data/skip.txt\n', 'fn/data/skip.txt': '1', 'fn/data/keep.txt': '1' });
  const inputs = repo.head();
  repo.write({ 'fn/data/skip.txt': '2' });
  repo.commit('ignored file only');
  expect(tags({}).map(shaOf)).toEqual([inputs.slice(0, 12)]);
  repo.write({ 'fn/data/keep.txt': '2' });
  const kept = repo.commit('kept file');
  expect(tags({}).map(shaOf)).toEqual([kept.slice(0, 12)]);
});

test('a whitelist .dockerignore that hides the Dockerfile: Docker sends it anyway, so its commits and edits count', () => {
  repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': '*\n!app.py\n' });
  repo.write({ 'fn/Dockerfile': 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}\nCMD ["app.other"]\n' });
  const [dirty] = tags({});
  expect(isDirty(dirty)).toBe(true);
  const changed = repo.commit('Dockerfile only');
  const [clean] = tags({});
  expect([shaOf(clean), isDirty(clean)]).toEqual([changed.slice(0, 12), false]);
});

test('exclude reaches the tag and the asset: an excluded file changes neither; the same directory without it is dirty', () => {
  repo = TempGitRepo.create({ ...functionFiles(), 'fn/notes.txt': 'tracked notes' });
  const inputs = repo.head();
  repo.write({ 'fn/notes.txt': 'edited notes', 'fn/scratch.txt': 'untracked' });
  const app = new App();
  const stack = new Stack(app, 'S');
  const excluded = new ContainerFunction(stack, 'Excluded', { image: ContainerImage.fromDockerfile(repo.path('fn'), { exclude: ['notes.txt', 'scratch.txt'] }) });
  const plain = new ContainerFunction(stack, 'Plain', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
  expect(excluded.imageTag).toBe(`${inputs.slice(0, 12)}-${excluded.imageAsset!.assetHash}`);
  expect(isDirty(plain.imageTag)).toBe(true);
  // Same order the other way round: the first function's options must not decide the second's state.
  expect(tags({}, { options: { exclude: ['notes.txt', 'scratch.txt'] } }).map(isDirty)).toEqual([true, false]);
  // The excluded files are not in the asset: editing them again leaves its hash alone.
  repo.write({ 'fn/notes.txt': 'edited again', 'fn/scratch.txt': 'again' });
  const again = new ContainerFunction(new Stack(new App(), 'T'), 'Excluded', { image: ContainerImage.fromDockerfile(repo.path('fn'), { exclude: ['notes.txt', 'scratch.txt'] }) });
  expect(again.imageAsset!.assetHash).toBe(excluded.imageAsset!.assetHash);
});

test('ignoreMode and file are part of a context\'s state too', () => {
  repo = TempGitRepo.create({ ...functionFiles(), 'fn/Dockerfile.other': 'FROM public.ecr.aws/lambda/python:3.12\nCMD ["app.handler"]\n' });
  repo.write({ 'fn/sub/x.log': 'untracked log' });
  // '*.log' matches sub/x.log in GLOB mode (any depth) but not in DOCKER mode (top level only).
  expect(tags({ options: { exclude: ['*.log'], ignoreMode: IgnoreMode.GLOB } }, { options: { exclude: ['*.log'] } }).map(isDirty)).toEqual([false, true]);
  // A .dockerignore that ignores every Dockerfile but the one being built: an edit to the other is not an input.
  repo.write({ 'fn/.dockerignore': 'Dockerfile*\n' });
  repo.commit('dockerignore');
  repo.write({ 'fn/Dockerfile.other': 'FROM public.ecr.aws/lambda/python:3.12\nCMD ["app.other"]\n' });
  expect(tags({}, { options: { file: 'Dockerfile.other' } }).map(isDirty)).toEqual([false, true]);
});

test.each([['fn[1]', 'fn1'], ['fn*', 'fn-other']])('a context path with glob characters is read literally: %s is not %s', (dir, sibling) => {
  repo = TempGitRepo.create({ ...functionFiles(dir), [`${sibling}/other.txt`]: '1' });
  const inputs = repo.head();
  repo.write({ [`${sibling}/other.txt`]: '2' });
  repo.commit('the sibling only');
  expect(tags({ dir }).map(shaOf)).toEqual([inputs.slice(0, 12)]);
});

test('a new directory whose only files .dockerignore excludes keeps the tag clean (untracked directories are not collapsed)', () => {
  repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': '**/*.tmp\n' });
  repo.write({ 'fn/cache/a.tmp': 'x', 'fn/cache/deeper/b.tmp': 'y' });
  expect(tags({}).map(isDirty)).toEqual([false]);
  repo.write({ 'fn/cache/c.py': 'sent' });
  expect(tags({}).map(isDirty)).toEqual([true]);
});

test.each([
  ['a non-hex CDK context value', undefined, { 'cdk-container-function:gitSha': 'abcdef0123456789xyz' }, /git SHA 'abcdef0123456789xyz' from context 'cdk-container-function:gitSha' is not hexadecimal/],
  ['a non-hex gitSha({ sha })', ImageTag.gitSha({ sha: '0123456789abcdef-main' }), undefined, /git SHA '0123456789abcdef-main' from ImageTag.gitSha\(\{ sha \}\) is not hexadecimal/],
  ['a SHA with a newline', ImageTag.gitSha({ sha: 'abcdef0123456789\nabc' }), undefined, /is not hexadecimal/],
])('outside a checkout, %s is refused with the construct path and the fix', (_, tag, context, message) => {
  repo = TempGitRepo.create();
  fs.rmSync(repo.path('.git'), { recursive: true });
  repo.write(functionFiles());
  expect(() => tags({ tag, context })).toThrow(message);
  expect(() => tags({ tag, context })).toThrow(/^S\/Fn0: [\s\S]* Pass a commit SHA of 7 to 64 hex characters/);
});

describe('GitReader.headSha', () => {
  test('a full hex SHA; undefined without a commit; an error (never an empty SHA) when git cannot run', () => {
    repo = TempGitRepo.create(functionFiles());
    expect(new GitReader().headSha(repo.root)).toBe(repo.head());
    const empty = TempGitRepo.create();
    try {
      expect(new GitReader().headSha(empty.root)).toBeUndefined();
    } finally {
      empty.remove();
    }
    const savedPath = process.env.PATH;
    const noGit = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-no-git-'));
    process.env.PATH = noGit;
    try {
      const reader = new GitReader();
      expect(() => reader.headSha(repo.root)).toThrow(GitUnreadableError);
      expect(() => reader.headSha(repo.root)).toThrow(/git is not installed or not on the PATH/);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(noGit, { recursive: true, force: true });
    }
  });
});
