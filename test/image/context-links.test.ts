import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage } from '../../lib';
import { contextIgnoreStrategy, readContextState } from '../../lib/image/context-state';
import { GitReader } from '../../lib/image/git';
import { TempGitRepo, withoutCiShaVariables } from '../support/git-repo';
import { tempDir } from '../support/temp-dir';

// DockerImageAsset follows links that leave the build context (CDK's default) and puts their targets into the image:
// editing a target must make the tag dirty, as editing a file of the context does.

withoutCiShaVariables();

const DOCKERFILE = 'FROM public.ecr.aws/lambda/python:3.12\nCOPY . ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n';
let repo: TempGitRepo;
beforeEach(() => {
  repo = TempGitRepo.create({ 'fn/Dockerfile': DOCKERFILE, 'fn/app.py': 'def handler(e, c):\n    return 1\n', 'shared/settings.json': '{"a":1}\n', 'shared/lib/util.py': 'X = 1\n' });
  fs.symlinkSync('../shared/settings.json', repo.path('fn/settings.json'));
  fs.symlinkSync('../shared/lib', repo.path('fn/lib'));
  repo.commit('links');
});
afterEach(() => repo.remove());

function dirtyPaths(): string[] {
  const context = repo.path('fn');
  return readContextState(new GitReader(), repo.root, context, contextIgnoreStrategy(context)).dirtyPaths;
}

test('a committed link to a clean target is clean', () => {
  expect(dirtyPaths()).toEqual([]);
});

test('editing the target of a file link makes the link dirty', () => {
  repo.write({ 'shared/settings.json': '{"a":2}\n' });
  expect(dirtyPaths()).toEqual(['fn/settings.json']);
});

test('a new file under the target of a directory link makes the link dirty', () => {
  repo.write({ 'shared/lib/extra.py': 'Y = 2\n' });
  expect(dirtyPaths()).toEqual(['fn/lib']);
});

test('a link to outside the repository is never clean: no commit pins its target', () => {
  const outside = tempDir('ccf-outside-');
  fs.writeFileSync(path.join(outside, 'data.txt'), 'x');
  fs.symlinkSync(path.join(outside, 'data.txt'), repo.path('fn/data.txt'));
  repo.commit('outside link');
  expect(dirtyPaths()).toEqual(['fn/data.txt']);
});

test('a link the .dockerignore excludes does not count', () => {
  repo.write({ 'fn/.dockerignore': 'settings.json\n' });
  repo.commit('ignore the link');
  repo.write({ 'shared/settings.json': '{"a":3}\n' });
  expect(dirtyPaths()).toEqual([]);
});

test('through ContainerFunction: the tag is dirty after the target changes', () => {
  const tagOf = () => new ContainerFunction(new Stack(new App(), 'S'), 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')) }).imageTag;
  expect(tagOf()).not.toMatch(/dirty/);
  repo.write({ 'shared/settings.json': '{"a":2}\n' });
  expect(tagOf()).toMatch(/dirty/);
});
