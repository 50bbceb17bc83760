import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage, ImageTag } from '../lib';
import { TempGitRepo, withoutCiShaVariables } from './support/git-repo';
import { maskHashes } from '../lib/testing/snapshot-serializer';

withoutCiShaVariables();

test('snapshot of a ContainerFunction stack (asset hashes and git SHAs masked by the shipped serializer)', () => {
  // The csv-processor function, committed to a fresh repository so the tag never depends on this checkout's state.
  const source = path.join(__dirname, '..', 'examples', 'csv-processor', 'function');
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(source)) files[`function/${name}`] = fs.readFileSync(path.join(source, name), 'utf-8');
  const repo = TempGitRepo.create(files);
  const app = new App();
  const stack = new Stack(app, 'Snapshot');
  new ContainerFunction(stack, 'Processor', { image: ContainerImage.fromDockerfile(repo.path('function')), tag: ImageTag.gitSha() });
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  repo.remove();
});

test('the serializer masks image tags, asset hashes and the id hashes that follow them, and nothing else', () => {
  const hash = 'a1'.repeat(32);
  expect(maskHashes(`asset.${hash}`)).toBe('asset.[ASSET_HASH]');
  expect(maskHashes(`:3f2a1b9c4d5e-${hash}`)).toBe(':[GIT_SHA]-[ASSET_HASH]');
  // An uncommitted edit must not break a user's snapshot: dirty and clean tags mask alike.
  expect(maskHashes(`:3f2a1b9c4d5e-dirty-${hash}`)).toBe(':[GIT_SHA]-[ASSET_HASH]');
  expect(maskHashes(`1.2.3-${hash}`)).toBe('1.2.3-[ASSET_HASH]');
  // Logical ids hold the tag without its dashes, clean or dirty, and an 8-hex path hash after it.
  expect(maskHashes(`ContainerFunctionImageCopierCopy3f2a1b9c4d5e${hash}CustomResource1A2B3C4D`)).toBe('ContainerFunctionImageCopierCopy[GIT_SHA][ASSET_HASH]CustomResource[ID_HASH]');
  expect(maskHashes(`ContainerFunctionImageCopierCopy3f2a1b9c4d5edirty${hash}CustomResource1A2B3C4D`)).toBe('ContainerFunctionImageCopierCopy[GIT_SHA][ASSET_HASH]CustomResource[ID_HASH]');
  expect(maskHashes(`ContainerFunctionImageCopierCopy123${hash}To0a1b2c3dCustomResource1A2B3C4D`)).toBe('ContainerFunctionImageCopierCopy123[ASSET_HASH]To0a1b2c3dCustomResource[ID_HASH]');
  // Fixed hex stays: cdk-ecr-deployment's handler id, role ids, numbers, words.
  for (const fixed of ['CustomCDKECRDeploymentbd07c930edb94112a20f03f096f536661792MiB1E1D6060', 'ProcessorServiceRole1234ABCD', '2048', 'deadbeef-words', 'abcdef0123456789']) {
    expect(maskHashes(fixed)).toBe(fixed);
  }
});

test('a dirty working copy gives the same snapshot text as the clean commit', () => {
  const repo = TempGitRepo.create({ 'function/Dockerfile': 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD ["app.handler"]\n', 'function/app.py': 'x = 1\n' });
  const synth = () => {
    const stack = new Stack(new App(), 'S');
    new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('function')) });
    return Template.fromStack(stack).toJSON();
  };
  const clean = synth();
  repo.write({ 'function/app.py': 'x = 2\n' });
  const dirty = synth();
  expect(JSON.stringify(dirty)).toContain('-dirty-');
  // What the serializer does to a snapshot: every key and every string goes through maskHashes.
  const mask = (value: unknown): unknown => typeof value === 'string' ? maskHashes(value)
    : Array.isArray(value) ? value.map(mask)
      : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [maskHashes(k), mask(v)])) : value;
  expect(mask(dirty)).toEqual(mask(clean));
  repo.remove();
});
