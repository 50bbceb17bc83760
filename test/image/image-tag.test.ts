import * as fs from 'fs';
import { App, Stack, aws_ecr as ecr } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { gitSpawnCount } from '../../lib/image/git';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

function build(repo: TempGitRepo, tag?: ImageTag, context?: Record<string, string>, dir = 'fn') {
  const app = new App({ context });
  const stack = new Stack(app, 'S');
  return new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path(dir)), tag });
}

describe('ImageTag.gitSha against real git repositories', () => {
  let repo: TempGitRepo;
  afterEach(() => repo?.remove());

  test('clean checkout: tag is the first 12 characters of HEAD, prefixed with the function name in the shared repository', () => {
    repo = TempGitRepo.create(functionFiles());
    const fn = build(repo);
    expect(fn.imageTag).toBe(`fn-${repo.head().slice(0, 12)}`);
  });

  test('length option keeps that many characters', () => {
    repo = TempGitRepo.create(functionFiles());
    expect(build(repo, ImageTag.gitSha({ length: 7 })).imageTag).toBe(`fn-${repo.head().slice(0, 7)}`);
    expect(build(repo, ImageTag.gitSha({ length: 40 })).imageTag).toBe(`fn-${repo.head()}`);
  });

  test('modified file in the context: dirty suffix with the asset hash', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/app.py': 'def handler(event, context):\n    return 2\n' });
    const fn = build(repo);
    expect(fn.imageTag).toBe(`fn-${repo.head().slice(0, 12)}-dirty-${fn.imageAsset!.assetHash.slice(0, 8)}`);
  });

  test('untracked file in the context makes it dirty', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/extra.py': 'x = 1\n' });
    expect(build(repo).imageTag).toMatch(/-dirty-[0-9a-f]{8}$/);
  });

  test('changes outside the context, or excluded by .dockerignore, keep the tag clean', () => {
    repo = TempGitRepo.create({ ...functionFiles(), 'fn/.dockerignore': 'notes.txt\n', 'README.md': 'x' });
    repo.write({ 'README.md': 'changed', 'other/new.txt': 'new', 'fn/notes.txt': 'scratch' });
    expect(build(repo).imageTag).toBe(`fn-${repo.head().slice(0, 12)}`);
  });

  test('git-ignored files that Docker would send are not pinned by the commit: dirty', () => {
    repo = TempGitRepo.create({ ...functionFiles(), '.gitignore': 'dist/\n' });
    repo.write({ 'fn/dist/bundle.js': 'built locally' });
    expect(build(repo).imageTag).toMatch(/-dirty-[0-9a-f]{8}$/);
  });

  test('git-ignored files excluded by .dockerignore keep the tag clean', () => {
    repo = TempGitRepo.create({ ...functionFiles(), '.gitignore': 'dist/\n', 'fn/.dockerignore': 'dist\n' });
    repo.write({ 'fn/dist/bundle.js': 'built locally' });
    expect(build(repo).imageTag).toBe(`fn-${repo.head().slice(0, 12)}`);
  });

  test('allowDirty: false turns a dirty context into an error that lists the paths', () => {
    repo = TempGitRepo.create(functionFiles());
    repo.write({ 'fn/app.py': 'changed' });
    expect(() => build(repo, ImageTag.gitSha({ allowDirty: false })))
      .toThrow(/^S\/Fn: the build context .* has changes the commit does not pin \(fn\/app\.py\) and allowDirty is false\. Commit/);
  });

  test('detached HEAD uses the checked-out commit', () => {
    repo = TempGitRepo.create(functionFiles());
    const first = repo.head();
    repo.write({ 'fn/app.py': 'v2' });
    repo.commit('second');
    repo.git('checkout', '-q', '--detach', first);
    expect(build(repo).imageTag).toBe(`fn-${first.slice(0, 12)}`);
  });

  test('not a git checkout and no SHA: an error saying how to pass one', () => {
    repo = TempGitRepo.create();
    repo.git('init', '-q'); // keep the directory, drop the repository
    fs.rmSync(repo.path('.git'), { recursive: true });
    repo.write(functionFiles());
    expect(() => build(repo)).toThrow(/not in a git checkout and no SHA was given\. Pass one with 'cdk synth -c cdk-container-function:gitSha=<sha>'/);
  });

  test('a repository without commits: an error naming the fix', () => {
    repo = TempGitRepo.create();
    repo.write(functionFiles());
    expect(() => build(repo)).toThrow(/cannot read the git SHA .* Make a first commit/);
  });

  test('CI variable wins over git, and the context wins over CI', () => {
    repo = TempGitRepo.create(functionFiles());
    process.env.GITHUB_SHA = 'ABCDEF0123456789abcdef0123456789abcdef01';
    expect(build(repo).imageTag).toBe('fn-abcdef012345');
    process.env.CODEBUILD_RESOLVED_SOURCE_VERSION = '1111111111111111111111111111111111111111';
    expect(build(repo).imageTag).toBe('fn-abcdef012345'); // GITHUB_SHA is consulted first
    expect(build(repo, undefined, { 'cdk-container-function:gitSha': '2222222222aaaaaaaaaa' }).imageTag).toBe('fn-2222222222aa');
    expect(build(repo, ImageTag.gitSha({ sha: '3333333333bbbbbbbbbb' }), { 'cdk-container-function:gitSha': '2222222222aaaaaaaaaa' }).imageTag)
      .toBe('fn-3333333333bb');
  });

  test('a given SHA works outside any git checkout', () => {
    repo = TempGitRepo.create();
    fs.rmSync(repo.path('.git'), { recursive: true });
    repo.write(functionFiles());
    expect(build(repo, undefined, { 'cdk-container-function:gitSha': 'abcdef0123456789' }).imageTag).toBe('fn-abcdef012345');
  });

  test('git runs a bounded number of times per app, not per function', () => {
    repo = TempGitRepo.create({ ...functionFiles('a'), ...functionFiles('b') });
    const app = new App();
    const stack = new Stack(app, 'S');
    const before = gitSpawnCount();
    for (let i = 0; i < 20; i++) {
      new ContainerFunction(stack, `Fn${i}`, { image: ContainerImage.fromDockerfile(repo.path(i % 2 ? 'a' : 'b')) });
    }
    expect(gitSpawnCount() - before).toBe(2); // rev-parse HEAD + status, once for the repository
  });
});

describe('ImageTag.of', () => {
  test('uses the tag as given, in a repository the user passes', () => {
    const repo = TempGitRepo.create(functionFiles());
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ecr.Repository(stack, 'Repo');
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), tag: ImageTag.of('1.2.3'), repository });
    expect(fn.imageTag).toBe('1.2.3');
    repo.remove();
  });
});
