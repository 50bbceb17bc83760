import * as fs from 'fs';
import * as path from 'path';
import { AspectPriority, Aspects, CfnParameter, CfnResource, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { Level, newStack, Reported, tempDir } from './helpers';
import { ContainerImageChecks, ContainerImageChecksProps } from '../../lib/checks';
import { recordImageFacts, markPushRestricted } from '../../lib/image/image-facts';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const GOOD_DOCKERFILE = 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n';

function functionDir(extra: Record<string, string | number> = {}, dockerfile = GOOD_DOCKERFILE): string {
  return tempDir({ 'Dockerfile': dockerfile, 'app.py': 'def handler(e, c):\n  return 1\n', ...extra });
}

interface Case {
  readonly name: string;
  /** Builds the scenario; returns the construct to suppress on. */
  readonly build: (stack: Stack) => IConstruct;
  readonly props?: ContainerImageChecksProps;
}

interface RuleCases {
  readonly id: string;
  readonly level: Level;
  readonly compliant: Case[];
  readonly nonCompliant: Array<Case & { readonly mentions?: string; readonly path: string }>;
}

const ecrFunction = (stack: Stack, code: lambda.DockerImageCode, id = 'Fn') => new lambda.DockerImageFunction(stack, id, { code });

const CASES: RuleCases[] = [
  {
    id: 'CCF001',
    level: 'warning',
    compliant: [
      { name: 'fromEcr by digest', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(new ecr.Repository(s, 'Repo'), { tagOrDigest: DIGEST })) },
      { name: 'fromEcr by version tag', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'app'), { tagOrDigest: 'v1.4.2' })) },
      { name: 'fromImageAsset (content hash tag)', build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir())) },
      {
        name: 'ContainerFunction facts: immutable tag',
        build: s => {
          const fn = ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'lib'), { tagOrDigest: 'latest' }));
          recordImageFacts(fn, { immutableTag: true, imageTag: 'git-abc1234' });
          return fn;
        },
      },
      {
        name: 'image URI from a parameter (unknown at synth)',
        build: s => new lambda.CfnFunction(s, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', code: { imageUri: new CfnParameter(s, 'Uri').valueAsString } }),
      },
      {
        name: 'zip function',
        build: s => new lambda.Function(s, 'Zip', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: lambda.Code.fromInline('def handler(e, c): pass') }),
      },
    ],
    nonCompliant: [
      { name: 'fromEcr without tagOrDigest', path: '/Stack/Fn', mentions: "from repository Stack/Repo:latest uses the mutable tag 'latest'", build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(new ecr.Repository(s, 'Repo'))) },
      {
        name: 'CfnFunction with :latest',
        path: '/Stack/Cfn',
        mentions: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest',
        build: s => new lambda.CfnFunction(s, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', code: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest' } }),
      },
      {
        name: 'CfnFunction without a tag',
        path: '/Stack/Cfn',
        mentions: 'has no tag',
        build: s => new lambda.CfnFunction(s, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', code: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app' } }),
      },
    ],
  },
  {
    id: 'CCF002',
    level: 'warning',
    compliant: [
      { name: 'IMMUTABLE repository', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(new ecr.Repository(s, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE }), { tagOrDigest: 'v1' })) },
      { name: 'digest reference', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(new ecr.Repository(s, 'Repo'), { tagOrDigest: DIGEST })) },
      { name: 'imported repository', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'x'), { tagOrDigest: 'v1' })) },
      {
        name: 'push-restricted library repository',
        build: s => {
          const repo = new ecr.Repository(s, 'Repo');
          markPushRestricted(repo);
          return ecrFunction(s, lambda.DockerImageCode.fromEcr(repo, { tagOrDigest: 'git-abc1234' }));
        },
      },
    ],
    nonCompliant: [
      { name: 'MUTABLE repository', path: '/Stack/Fn', mentions: 'ECR repository Stack/Repo whose tag mutability is MUTABLE', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(new ecr.Repository(s, 'Repo'), { tagOrDigest: 'v1' })) },
      {
        name: 'CfnRepository referenced by a CfnFunction',
        path: '/Stack/Cfn',
        mentions: 'Stack/Repo',
        build: s => {
          const repo = new ecr.CfnRepository(s, 'Repo', { imageTagMutability: 'MUTABLE' });
          return new lambda.CfnFunction(s, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', code: { imageUri: `${repo.attrRepositoryUri}:v1` } });
        },
      },
    ],
  },
  {
    id: 'CCF003',
    level: 'info',
    compliant: [
      { name: 'scan on push', build: s => new ecr.Repository(s, 'Repo', { imageScanOnPush: true }) },
      { name: 'CfnRepository scan on push', build: s => new ecr.CfnRepository(s, 'Repo', { imageScanningConfiguration: { scanOnPush: true } }) },
      {
        name: 'registry-wide scan on push for every repository',
        build: s => {
          new ecr.CfnRegistryScanningConfiguration(s, 'Scanning', { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] });
          return new ecr.Repository(s, 'Repo');
        },
      },
      {
        name: 'registry-wide continuous scanning matching the repository name',
        build: s => {
          new ecr.CfnRegistryScanningConfiguration(s, 'Scanning', { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'team-*', filterType: 'WILDCARD' }] }] });
          return new ecr.Repository(s, 'Repo', { repositoryName: 'team-api' });
        },
      },
    ],
    nonCompliant: [
      { name: 'Repository defaults', path: '/Stack/Repo', mentions: 'Stack/Repo does not scan', build: s => new ecr.Repository(s, 'Repo') },
      { name: 'CfnRepository defaults', path: '/Stack/Repo', build: s => new ecr.CfnRepository(s, 'Repo', {}) },
      {
        name: 'registry-wide scanning for other repositories only',
        path: '/Stack/Repo',
        build: s => {
          new ecr.CfnRegistryScanningConfiguration(s, 'Scanning', { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'other-*', filterType: 'WILDCARD' }] }] });
          return new ecr.Repository(s, 'Repo', { repositoryName: 'team-api' });
        },
      },
    ],
  },
  {
    id: 'CCF004',
    level: 'info',
    compliant: [
      { name: 'lifecycle rule', build: s => new ecr.Repository(s, 'Repo', { lifecycleRules: [{ maxImageCount: 10 }] }) },
      { name: 'CfnRepository lifecycle policy', build: s => new ecr.CfnRepository(s, 'Repo', { lifecyclePolicy: { lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }] }) } }) },
    ],
    nonCompliant: [
      { name: 'Repository defaults', path: '/Stack/Repo', mentions: 'has no lifecycle policy', build: s => new ecr.Repository(s, 'Repo') },
    ],
  },
  {
    id: 'CCF010',
    level: 'warning',
    compliant: [
      { name: 'under the default budget', props: { defaultMaxImageSize: Size.mebibytes(1) }, build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir())) },
      {
        name: 'big file excluded by .dockerignore',
        props: { defaultMaxImageSize: Size.mebibytes(1) },
        build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({ 'data.bin': 'x'.repeat(3 * 1024 * 1024), '.dockerignore': 'data.bin\n' }, GOOD_DOCKERFILE + 'COPY . /opt/\n'))),
      },
      {
        name: 'big file excluded by exclude',
        props: { defaultMaxImageSize: Size.mebibytes(1) },
        build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({ 'data.bin': 'x'.repeat(3 * 1024 * 1024) }, GOOD_DOCKERFILE + 'COPY . /opt/\n'), { exclude: ['data.bin'] })),
      },
      {
        name: 'big file never copied',
        props: { defaultMaxImageSize: Size.mebibytes(1) },
        build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({ 'data.bin': 'x'.repeat(3 * 1024 * 1024) }))),
      },
      {
        name: 'over a budget at the Lambda limit (CCF011 reports it)',
        build: s => {
          const dir = functionDir({ 'data/huge.bin': 11 * 1024 * 1024 * 1024 }, GOOD_DOCKERFILE + 'COPY data /opt/data\n');
          const fn = ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'lib'), { tagOrDigest: 'git-1' }));
          recordImageFacts(fn, { maxImageSizeBytes: 10 * 1024 * 1024 * 1024, contextDirectory: dir, dockerfilePath: path.join(dir, 'Dockerfile'), immutableTag: true });
          return fn;
        },
      },
      { name: 'no budget', build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({ 'data.bin': 'x'.repeat(3 * 1024 * 1024) }, GOOD_DOCKERFILE + 'COPY . /opt/\n'))) },
    ],
    nonCompliant: [
      {
        name: 'over defaultMaxImageSize',
        path: '/Stack/Fn',
        mentions: 'image estimated ≥ 3 MiB is over its budget of 1 MiB',
        props: { defaultMaxImageSize: Size.mebibytes(1) },
        build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({ 'data.bin': 'x'.repeat(3 * 1024 * 1024) }, GOOD_DOCKERFILE + 'COPY . /opt/\n'))),
      },
      {
        name: 'over the maxImageSize of recorded facts',
        path: '/Stack/Fn',
        mentions: 'estimated ≥ 2 MiB is over its budget of 1 MiB',
        build: s => {
          const dir = functionDir({ 'model/weights.bin': 2 * 1024 * 1024 }, GOOD_DOCKERFILE + 'COPY model/ /opt/model/\n');
          const fn = ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'lib'), { tagOrDigest: 'git-1' }));
          recordImageFacts(fn, { maxImageSizeBytes: 1024 * 1024, contextDirectory: dir, dockerfilePath: path.join(dir, 'Dockerfile'), immutableTag: true });
          return fn;
        },
      },
    ],
  },
  {
    id: 'CCF011',
    level: 'error',
    compliant: [
      { name: 'small image', build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir())) },
    ],
    nonCompliant: [
      {
        name: 'context over 10 GB (facts, unstaged context)',
        path: '/Stack/Fn',
        mentions: "estimated ≥ 11 GiB is over Lambda's 10 GiB limit",
        build: s => {
          const dir = functionDir({ 'data/huge.bin': 11 * 1024 * 1024 * 1024 }, GOOD_DOCKERFILE + 'COPY data /opt/data\n');
          const fn = ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'lib'), { tagOrDigest: 'git-1' }));
          recordImageFacts(fn, { contextDirectory: dir, dockerfilePath: path.join(dir, 'Dockerfile'), immutableTag: true });
          return fn;
        },
      },
    ],
  },
  {
    id: 'CCF020',
    level: 'error',
    compliant: [
      { name: 'arm64 asset for an arm64 function', build: s => new lambda.DockerImageFunction(s, 'Fn', { architecture: lambda.Architecture.ARM_64, code: lambda.DockerImageCode.fromImageAsset(functionDir(), { platform: ecrAssets.Platform.LINUX_ARM64 }) }) },
      { name: 'FROM --platform=$BUILDPLATFORM', build: s => new lambda.DockerImageFunction(s, 'Fn', { architecture: lambda.Architecture.ARM_64, code: lambda.DockerImageCode.fromImageAsset(functionDir({}, 'FROM --platform=$BUILDPLATFORM public.ecr.aws/lambda/python:3.12\nCMD ["app.handler"]\n')) }) },
    ],
    nonCompliant: [
      {
        name: 'amd64 asset for an arm64 function',
        path: '/Stack/Fn',
        mentions: 'built for linux/amd64 but the function architecture is arm64',
        build: s => new lambda.DockerImageFunction(s, 'Fn', { architecture: lambda.Architecture.ARM_64, code: lambda.DockerImageCode.fromImageAsset(functionDir(), { platform: ecrAssets.Platform.LINUX_AMD64 }) }),
      },
      {
        name: 'FROM --platform constant contradicts',
        path: '/Stack/Fn',
        mentions: ':1: final stage FROM --platform=linux/amd64 contradicts the function architecture arm64',
        build: s => new lambda.DockerImageFunction(s, 'Fn', { architecture: lambda.Architecture.ARM_64, code: lambda.DockerImageCode.fromImageAsset(functionDir({}, 'FROM --platform=linux/amd64 public.ecr.aws/lambda/python:3.12\nCMD ["app.handler"]\n')) }),
      },
      {
        name: 'facts platform contradicts',
        path: '/Stack/Fn',
        mentions: 'linux/arm64',
        build: s => {
          const fn = ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'lib'), { tagOrDigest: 'git-1' }));
          recordImageFacts(fn, { platform: 'linux/arm64', immutableTag: true });
          return fn;
        },
      },
    ],
  },
  {
    id: 'CCF021',
    level: 'warning',
    compliant: [
      { name: 'DockerImageFunction with an architecture (CDK sets the platform)', build: s => new lambda.DockerImageFunction(s, 'Fn', { architecture: lambda.Architecture.X86_64, code: lambda.DockerImageCode.fromImageAsset(functionDir()) }) },
      { name: 'FROM --platform constant pins it', build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir({}, 'FROM --platform=linux/amd64 public.ecr.aws/lambda/python:3.12\nCMD ["app.handler"]\n'))) },
      { name: 'fromEcr', build: s => ecrFunction(s, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(s, 'R', 'x'), { tagOrDigest: 'v1' })) },
    ],
    nonCompliant: [
      { name: 'DockerImageFunction asset without architecture or platform', path: '/Stack/Fn', mentions: 'while the function is x86_64', build: s => ecrFunction(s, lambda.DockerImageCode.fromImageAsset(functionDir())) },
      {
        name: 'CfnFunction from a DockerImageAsset without platform',
        path: '/Stack/Cfn',
        mentions: 'image asset has no platform',
        build: s => {
          const asset = new ecrAssets.DockerImageAsset(s, 'Image', { directory: functionDir() });
          return new lambda.CfnFunction(s, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', architectures: ['arm64'], code: { imageUri: asset.imageUri } });
        },
      },
    ],
  },
];

function run(build: (stack: Stack) => IConstruct, props: ContainerImageChecksProps = {}, suppress?: string) {
  const { stack } = newStack();
  const target = build(stack);
  if (suppress) ContainerImageChecks.suppress(target, suppress, 'accepted in this test on purpose');
  ContainerImageChecks.applyTo(stack.node.root, props);
  return { stack, target, reported: Reported.of(stack) };
}

describe.each(CASES.map(c => [c.id, c] as const))('%s', (id, cases) => {
  test.each(cases.compliant.map(c => [c.name, c] as const))('compliant: %s', (_name, c) => {
    const { reported } = run(c.build, c.props);
    expect(reported.paths(id)).toEqual([]);
  });

  test.each(cases.nonCompliant.map(c => [c.name, c] as const))('non-compliant: %s', (_name, c) => {
    const { reported } = run(c.build, c.props);
    const found = reported.messages(cases.level, id);
    expect(found.length).toBeGreaterThan(0);
    expect(reported.paths(id)).toContain(c.path);
    if (c.mentions) expect(found.join('\n')).toContain(c.mentions);
  });

  test('suppressed: no finding, reason in the template, no unused-suppression info', () => {
    const c = cases.nonCompliant[0];
    const { stack, target, reported } = run(c.build, c.props, id);
    expect(reported.paths(id)).toEqual([]);
    expect(reported.messages('info', 'CCF901')).toEqual([]);
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Metadata?: Record<string, any> }>;
    const targetResources = target.node.findAll().filter(CfnResource.isCfnResource).map(r => resources[stack.getLogicalId(r)]).filter(r => r);
    expect(targetResources.length).toBeGreaterThan(0);
    for (const resource of targetResources) {
      expect(resource.Metadata?.['cdk-container-function']).toEqual({ suppressions: [{ id, reason: 'accepted in this test on purpose' }] });
    }
  });
});

test('the Aspect added without a priority runs, and raises itself to READONLY', () => {
  const { stack } = newStack();
  ecrFunction(stack, lambda.DockerImageCode.fromEcr(new ecr.Repository(stack, 'Repo')));
  const checks = new ContainerImageChecks();
  Aspects.of(stack).add(checks);
  expect(Reported.of(stack).ids()).toEqual(['CCF001', 'CCF002', 'CCF003', 'CCF004']);
  expect(Aspects.of(stack).applied.find(a => a.aspect === checks)?.priority).toBe(AspectPriority.READONLY);
});

test('runs after a mutating Aspect applied lower in the tree', () => {
  const { stack } = newStack();
  new ecr.Repository(stack, 'Repo');
  ContainerImageChecks.applyTo(stack.node.root);
  // A mutating Aspect on the stack turns on scan on push for every repository.
  Aspects.of(stack).add({
    visit: node => {
      if (node instanceof ecr.CfnRepository) node.imageScanningConfiguration = { scanOnPush: true };
    },
  }, { priority: AspectPriority.MUTATING });
  expect(Reported.of(stack).ids()).toEqual(['CCF004']);
});

test('CDK cmd on the image code or in recorded facts satisfies CCF106; generated Dockerfiles are checked too', () => {
  const { stack } = newStack();
  const noCmd = 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\n';
  new lambda.DockerImageFunction(stack, 'WithCmd', { architecture: lambda.Architecture.X86_64, code: lambda.DockerImageCode.fromImageAsset(functionDir({}, noCmd), { cmd: ['app.handler'] }) });
  const generated = ecrFunction(stack, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'R', 'lib'), { tagOrDigest: 'git-1' }), 'Generated');
  recordImageFacts(generated, { dockerfileText: noCmd + 'RUN pip install flask\n', immutableTag: true, platform: 'linux/amd64' });
  const factsCmd = ecrFunction(stack, lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, 'R2', 'lib'), { tagOrDigest: 'git-1' }), 'FactsCmd');
  recordImageFacts(factsCmd, { dockerfileText: noCmd, cmd: ['app.handler'], immutableTag: true });
  ContainerImageChecks.applyTo(stack);
  const reported = Reported.of(stack);
  expect(reported.paths('CCF106')).toEqual(['/Stack/Generated']);
  expect(reported.messages('warning', 'CCF103')).toEqual([expect.stringMatching(/^CCF103 Dockerfile \(generated\):3: /)]);
});

test('directories are read, never written', () => {
  const dir = functionDir();
  const before = fs.readdirSync(dir).sort();
  const { stack } = newStack();
  ecrFunction(stack, lambda.DockerImageCode.fromImageAsset(dir));
  ContainerImageChecks.applyTo(stack);
  Reported.of(stack);
  expect(fs.readdirSync(dir).sort()).toEqual(before);
});
