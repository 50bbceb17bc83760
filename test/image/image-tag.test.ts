import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { App, Stack, aws_ecr as ecr } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { gitSpawnCount } from '../../lib/image/git';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

function build(repo: TempGitRepo, tag?: ImageTag, context?: Record<string, string>, dir = 'fn') {
  const app = new App({ context });
  const stack = new Stack(app, 'S');
  return new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path(dir)), tag });
}

/** `<sha12>-<asset hash>`: what a clean gitSha() tag must be. */
const cleanTag = (fn: ContainerFunction, commit: string) => `${commit.slice(0, 12)}-${fn.imageAsset!.assetHash}`;

describe('ImageTag.gitSha against real git repositories', () => {
  let repo: TempGitRepo;
  afterEach(() => repo?.remove());

  test('clean checkout: the last commit that changed the context, then the full asset hash', () => {
    repo = TempGitRepo.create(functionFiles());
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, repo.head()));
    expect(fn.imageAsset!.assetHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a commit outside the context keeps the tag: it names the commit that last changed the inputs', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'README.md': 'docs' });
    const inputsCommit = repo.head();
    repo.write({ 'README.md': 'more docs' });
    const docsCommit = repo.commit('docs only');
    const fn = build(repo);
    expect(docsCommit).not.toBe(inputsCommit);
    expect(fn.imageTag).toBe(cleanTag(fn, inputsCommit));
  });

  test('a commit that only touches a file .dockerignore excludes keeps the tag', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': 'tests/\n*.md\n', 'fn/tests/test_app.py': 'x', 'fn/NOTES.md': 'a' });
    const inputsCommit = repo.head();
    repo.write({ 'fn/tests/test_app.py': 'y', 'fn/NOTES.md': 'b' });
    repo.commit('tests and notes only');
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, inputsCommit));
  });

  test('a commit that changes the .dockerignore itself is a change of the inputs', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': 'tests/\n' });
    repo.write({ 'fn/.dockerignore': 'tests/\n*.md\n' });
    const changed = repo.commit('ignore markdown');
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, changed));
  });

  test('a commit that changes an input moves the tag to that commit', () => {
    repo = TempGitRepo.create(functionFiles());
    const before = build(repo);
    repo.write({ 'fn/app.py': 'def handler(event, context):\n    return 2\n' });
    const changed = repo.commit('change');
    const after = build(repo);
    expect(after.imageTag).toBe(cleanTag(after, changed));
    expect(after.imageAsset!.assetHash).not.toBe(before.imageAsset!.assetHash);
  });

  test('deleting a tracked input in a commit moves the tag to that commit', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'fn/extra.py': 'x = 1\n' });
    repo.git('rm', '-q', 'fn/extra.py');
    const deleted = repo.commit('delete');
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, deleted));
  });

  test('length option keeps that many characters of the SHA', () => {
    repo = TempGitRepo.create(functionFiles());
    const seven = build(repo, ImageTag.gitSha({ length: 7 }));
    expect(seven.imageTag).toBe(`${repo.head().slice(0, 7)}-${seven.imageAsset!.assetHash}`);
    const forty = build(repo, ImageTag.gitSha({ length: 40 }));
    expect(forty.imageTag).toBe(`${repo.head()}-${forty.imageAsset!.assetHash}`);
    expect(forty.imageTag.length).toBe(105);
  });

  test('modified file in the context: -dirty- before the asset hash of what is on disk', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/app.py': 'def handler(event, context):\n    return 2\n' });
    const fn = build(repo);
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-dirty-${fn.imageAsset!.assetHash}`);
  });

  test('untracked file in the context makes it dirty', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/extra.py': 'x = 1\n' });
    expect(build(repo).imageTag).toMatch(/^[0-9a-f]{12}-dirty-[0-9a-f]{64}$/);
  });

  test('a rename inside the context that is staged but not committed makes it dirty (both paths listed)', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.git('mv', 'fn/app.py', 'fn/main.py');
    expect(() => build(repo, ImageTag.gitSha({ allowDirty: false }))).toThrow(/\(fn\/app\.py, fn\/main\.py\) and allowDirty is false/);
  });

  test('a context inside a git-ignored directory is dirty as a whole', () => {
    repo = TempGitRepo.create({ '.gitignore': 'build/\n', 'README.md': 'x' });
    repo.write(functionFiles('build/fn'));
    expect(() => build(repo, ImageTag.gitSha({ allowDirty: false }), undefined, 'build/fn')).toThrow(/\(build\/fn\/\) and allowDirty is false/);
    // No commit ever touched it: the newest commit names it, with the dirty mark.
    const fn = build(repo, undefined, undefined, 'build/fn');
    expect(fn.imageTag).toBe(`${repo.head().slice(0, 12)}-dirty-${fn.imageAsset!.assetHash}`);
  });

  test('changes outside the context, or excluded by .dockerignore, keep the tag clean', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': 'notes.txt\n', 'README.md': 'x' });
    repo.write({ 'README.md': 'changed', 'other/new.txt': 'new', 'fn/notes.txt': 'scratch' });
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, repo.head()));
  });

  test('git-ignored files that Docker would send are not pinned by the commit: dirty', () => {
    repo = TempGitRepo.create({ ...functionFiles(), '.gitignore': 'dist/\n' });
    repo.write({ 'fn/dist/bundle.js': 'built locally' });
    expect(build(repo).imageTag).toMatch(/^[0-9a-f]{12}-dirty-[0-9a-f]{64}$/);
  });

  test('git-ignored files excluded by .dockerignore keep the tag clean', () => {
    repo = TempGitRepo.create({ ...functionFiles(), '.gitignore': 'dist/\n', 'fn/.dockerignore': 'dist\n' });
    repo.write({ 'fn/dist/bundle.js': 'built locally' });
    expect(build(repo).imageTag).toMatch(/^[0-9a-f]{12}-[0-9a-f]{64}$/);
  });

  test('allowDirty: false turns a dirty context into an error that lists the paths', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/app.py': 'changed' });
    expect(() => build(repo, ImageTag.gitSha({ allowDirty: false })))
      .toThrow(/^S\/Fn: the build context .* has changes the commit does not pin \(fn\/app\.py\) and allowDirty is false\. Commit/);
  });

  test('detached HEAD uses the checked-out history', () => {
    repo = TempGitRepo.create(functionFiles());
    const first = repo.head();
    repo.write({ 'fn/app.py': 'v2' });
    repo.commit('second');
    repo.git('checkout', '-q', '--detach', first);
    const fn = build(repo);
    expect(fn.imageTag).toBe(cleanTag(fn, first));
  });

  test('not a git checkout and no SHA: an error saying how to pass one', () => {
    repo = TempGitRepo.create();
    fs.rmSync(repo.path('.git'), { recursive: true });
    repo.write(functionFiles());
    expect(() => build(repo)).toThrow(/not in a git checkout and no SHA was given\. Pass one with 'cdk synth -c cdk-container-function:gitSha=<sha>'/);
  });

  test('a repository without commits: an error naming the fix', () => {
    repo = TempGitRepo.create();
    repo.write(functionFiles());
    expect(() => build(repo)).toThrow(/cannot read the git SHA .* Make a first commit/);
  });

  test('inside a git checkout, git decides: CI variables and the context do not move the tag', () => {
    repo = TempGitRepo.create(functionFiles());
    process.env.GITHUB_SHA = 'abcdef0123456789abcdef0123456789abcdef01';
    const fn = build(repo, undefined, { 'cdk-container-function:gitSha': '2222222222aaaaaaaaaa' });
    expect(fn.imageTag).toBe(cleanTag(fn, repo.head()));
  });

  test('outside a git checkout: the context wins over CI variables, GITHUB_SHA is consulted first, and gitSha({ sha }) wins over all', () => {
    repo = TempGitRepo.create();
    fs.rmSync(repo.path('.git'), { recursive: true });
    repo.write(functionFiles());
    process.env.GITHUB_SHA = 'ABCDEF0123456789abcdef0123456789abcdef01';
    process.env.CODEBUILD_RESOLVED_SOURCE_VERSION = '1111111111111111111111111111111111111111';
    expect(build(repo).imageTag).toMatch(/^abcdef012345-[0-9a-f]{64}$/);
    expect(build(repo, undefined, { 'cdk-container-function:gitSha': '2222222222aaaaaaaaaa' }).imageTag).toMatch(/^2222222222aa-[0-9a-f]{64}$/);
    expect(build(repo, ImageTag.gitSha({ sha: '3333333333bbbbbbbbbb' }), { 'cdk-container-function:gitSha': '2222222222aaaaaaaaaa' }).imageTag)
      .toMatch(/^3333333333bb-[0-9a-f]{64}$/);
  });

  test('git runs once per distinct build context plus two reads per repository, never per function', () => {
    repo = TempGitRepo.create({ ...functionFiles('a'), ...functionFiles('b'), ...functionFiles('c') });
    const app = new App();
    const stack = new Stack(app, 'S');
    const before = gitSpawnCount();
    for (let i = 0; i < 30; i++) {
      new ContainerFunction(stack, `Fn${i}`, { image: ContainerImage.fromDockerfile(repo.path(['a', 'b', 'c'][i % 3])) });
    }
    // git status + git ls-files for the repository, then git log -1 for each of the 3 contexts.
    expect(gitSpawnCount() - before).toBe(2 + 3);
  });

  test('a shallow clone warns (once per stack) that every deploy would move every tag, and names the fix', () => {
    const origin = TempGitRepo.create(functionFiles());
    origin.write({ 'README.md': 'later' });
    origin.commit('later');
    repo = TempGitRepo.create();
    fs.rmSync(repo.root, { recursive: true, force: true });
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.root}`, repo.root]);
    const app = new App();
    const stack = new Stack(app, 'S');
    new ContainerFunction(stack, 'A', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
    new ContainerFunction(stack, 'B', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('shallow git checkout'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/S');
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/fetch-depth: 0.*\[ack: cdk-container-function:ShallowCheckout\]/);
    origin.remove();
  });

  test('a full clone does not warn', () => {
    repo = TempGitRepo.create(functionFiles());
    const fn = build(repo);
    expect(Annotations.fromStack(Stack.of(fn)).findWarning('*', Match.stringLikeRegexp('shallow'))).toHaveLength(0);
  });
});

describe('ImageTag.of', () => {
  let repo: TempGitRepo;
  beforeAll(() => { repo = TempGitRepo.create(functionFiles()); });
  afterAll(() => repo.remove());

  function withVersion(version: string) {
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ecr.Repository(stack, 'Repo');
    return new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), tag: ImageTag.of(version), repository });
  }

  test('the version, then the full asset hash', () => {
    const fn = withVersion('1.2.3');
    expect(fn.imageTag).toBe(`1.2.3-${fn.imageAsset!.assetHash}`);
  });

  test('a 63-character version gives a 128-character tag, ECR\'s limit', () => {
    expect(withVersion('v'.repeat(63)).imageTag).toHaveLength(128);
  });

  test('a longer version is refused at synth with the limit, not at deploy', () => {
    expect(() => withVersion('v'.repeat(64))).toThrow(/^S\/Fn: ImageTag\.of\(\) version is 64 characters, but the tag adds '-<64-hex asset hash>' and ECR allows 128\. Use a version of at most 63 characters\.$/);
    expect(() => withVersion('v'.repeat(128))).toThrow(/version is 128 characters/);
  });
});
