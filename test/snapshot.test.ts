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

test('the serializer masks asset hashes, git SHAs and dirty suffixes, and nothing else', () => {
  const asset = 'a1'.repeat(32);
  expect(maskHashes(`asset.${asset}`)).toBe('asset.[ASSET_HASH]');
  expect(maskHashes('fn-3f2a1b9c4d5e')).toBe('fn-[GIT_SHA]');
  expect(maskHashes('fn-3f2a1b9c4d5e-dirty-0a1b2c3d')).toBe('fn-[GIT_SHA]-dirty-[HASH]');
  expect(maskHashes('FnCopyImagefn3f2a1b9c4d5eCustomResourceD6981D4E')).toBe('FnCopyImagefn[GIT_SHA]CustomResource[ID_HASH]');
  expect(maskHashes('FnTagGuardfn3f2a1b9c4d5e12D73B0A')).toBe('FnTagGuardfn[GIT_SHA][ID_HASH]');
  expect(maskHashes('ProcessorServiceRole1234ABCD and 2048 and deadbeef-words')).toBe('ProcessorServiceRole1234ABCD and 2048 and deadbeef-words');
});
