import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, ContainerImageChecks } from '../../lib';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

test('container-images.json names the tag a ContainerFunction deploys (its copy tag), not the asset repository tag', () => {
  const repo = TempGitRepo.create(functionFiles());
  const app = new App();
  const stack = new Stack(app, 'S');
  const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
  ContainerImageChecks.applyTo(app);
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'container-images.json'), 'utf-8'));
  const row = report.images.find((image: any) => image.functions.includes('S/Fn'));
  expect(row.tag).toBe(fn.imageTag);
  expect(row.tag).toBe(`${repo.head().slice(0, 12)}-${fn.imageAsset!.assetHash}`);
  expect(row.assetHash).toBe(fn.imageAsset!.assetHash);
  repo.remove();
});
