/**
 * A tag names a commit that holds its content: links out of the context bring their targets' commits into the
 * last-commit computation, and a submodule's ignored files (which Docker sends) make the context dirty.
 * Real temporary repositories.
 */
import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

const repos: TempGitRepo[] = [];
afterEach(() => repos.splice(0).forEach(r => r.remove()));
function repository(files: Record<string, string> = {}): TempGitRepo {
  const repo = TempGitRepo.create(files);
  repos.push(repo);
  return repo;
}

function fn(repo: TempGitRepo, options: { exclude?: string[]; tag?: ImageTag } = {}): ContainerFunction {
  return new ContainerFunction(new Stack(new App(), 'S'), 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn'), { exclude: options.exclude }), tag: options.tag });
}

test('fn/lib.py -> ../shared/lib.py: a commit to shared/lib.py changes the asset and moves the tag to that commit', () => {
  const repo = repository({ ...functionFiles(), 'shared/lib.py': 'VERSION = 1\n', 'README.md': 'docs' });
  fs.symlinkSync('../shared/lib.py', repo.path('fn', 'lib.py'));
  const linked = repo.commit('link the shared library');
  const before = fn(repo);
  expect(before.imageTag).toBe(`${linked.slice(0, 12)}-${before.imageAsset!.assetHash}`);

  repo.write({ 'shared/lib.py': 'VERSION = 2\n' });
  const changed = repo.commit('shared library only');
  repo.write({ 'README.md': 'more docs' });
  repo.commit('docs only');
  const after = fn(repo);
  expect(after.imageAsset!.assetHash).not.toBe(before.imageAsset!.assetHash);
  expect(after.imageTag).toBe(`${changed.slice(0, 12)}-${after.imageAsset!.assetHash}`);
});

test('a linked directory: a commit under its target moves the tag', () => {
  const repo = repository({ ...functionFiles(), 'shared/pkg/a.py': '1' });
  fs.symlinkSync('../shared/pkg', repo.path('fn', 'pkg'));
  repo.commit('link');
  repo.write({ 'shared/pkg/b.py': 'new' });
  const changed = repo.commit('new module in the linked package');
  expect(fn(repo).imageTag.split('-')[0]).toBe(changed.slice(0, 12));
});

describe('submodules', () => {
  function withSubmodule(): TempGitRepo {
    const library = repository({ 'lib.py': 'x = 1\n', '.gitignore': '*.bin\n' });
    const repo = repository(functionFiles());
    repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'fn/vendor');
    repo.commit('vendor the library');
    return repo;
  }

  test('a clean submodule leaves the tag clean', () => {
    const repo = withSubmodule();
    expect(fn(repo).imageTag).toMatch(/^[0-9a-f]{12}-[0-9a-f]{64}$/);
  });

  test('a file the submodule ignores, which Docker sends, makes the tag dirty and fails allowDirty: false', () => {
    const repo = withSubmodule();
    repo.write({ 'fn/vendor/model.bin': 'weights' });
    expect(fn(repo).imageTag).toMatch(/^[0-9a-f]{12}-dirty-[0-9a-f]{64}$/);
    expect(() => fn(repo, { tag: ImageTag.gitSha({ allowDirty: false }) })).toThrow(/changes the commit does not pin \(fn\/vendor\/model\.bin\) and allowDirty is false/);
  });

  test('the same file excluded from the context keeps the tag clean', () => {
    const repo = withSubmodule();
    repo.write({ 'fn/vendor/model.bin': 'weights' });
    expect(fn(repo, { exclude: ['vendor/*.bin'] }).imageTag).toMatch(/^[0-9a-f]{12}-[0-9a-f]{64}$/);
  });
});
