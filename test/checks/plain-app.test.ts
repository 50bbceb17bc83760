import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, Reported } from './helpers';
import { ContainerImageChecks } from '../../lib/checks';
import { DeprecatedLambdaBaseImageRule } from '../../lib/checks/rules/deprecated-lambda-base-image';

const fixture = (name: string) => path.join(__dirname, 'fixtures', name);

test('an app of plain aws-cdk-lib constructs gets the right findings on the right constructs', () => {
  const { app, stack } = newStack();
  new lambda.DockerImageFunction(stack, 'Naive', {
    code: lambda.DockerImageCode.fromImageAsset(fixture('seed-python-naive'), {
      buildArgs: { PIP_INDEX_URL: 'https://user:password@pypi.example.com/simple' },
    }),
  });
  const repo = new ecr.Repository(stack, 'Repo');
  new lambda.DockerImageFunction(stack, 'FromEcr', { code: lambda.DockerImageCode.fromEcr(repo) });
  const asset = new ecrAssets.DockerImageAsset(stack, 'Fixed', { directory: fixture('seed-python-fixed'), platform: ecrAssets.Platform.LINUX_AMD64 });
  new lambda.CfnFunction(stack, 'Raw', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', architectures: ['arm64'], code: { imageUri: asset.imageUri } });
  new ecrAssets.DockerImageAsset(stack, 'ForEcs', { directory: fixture('debian-generic') });

  const rules = [...ContainerImageChecks.defaultRules().filter(r => r.id !== 'CCF109'), new DeprecatedLambdaBaseImageRule({ asOf: new Date('2026-11-27') })];
  ContainerImageChecks.applyTo(app, { rules });
  const reported = Reported.of(stack);

  const byPath = new Map<string, string[]>();
  for (const id of reported.ids()) {
    for (const p of new Set(reported.paths(id))) byPath.set(p, [...(byPath.get(p) ?? []), id].sort());
  }
  expect(Object.fromEntries(byPath)).toEqual({
    '/Stack/Naive': ['CCF021', 'CCF102', 'CCF103', 'CCF104', 'CCF109'],
    '/Stack/FromEcr': ['CCF001', 'CCF002'],
    '/Stack/Repo': ['CCF003', 'CCF004'],
    '/Stack/Raw': ['CCF020'],
    '/Stack/ForEcs': ['CCF101', 'CCF105', 'CCF108'],
  });
  const [secret] = reported.messages('error', 'CCF102');
  expect(secret).toContain('build arg PIP_INDEX_URL=https://user:***@pypi.example.com/simple');
  expect(secret).toMatch(/seed-python-naive\/Dockerfile:4: /);
  // Every annotation of any level (the check must see them all, or it proves nothing).
  const everything = [...reported.annotations.findWarning('*', Match.anyValue()), ...reported.annotations.findError('*', Match.anyValue()),
    ...reported.annotations.findInfo('*', Match.anyValue())];
  expect(everything.length).toBeGreaterThanOrEqual(12);
  expect(JSON.stringify(everything)).not.toContain('password');
});
