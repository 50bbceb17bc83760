import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Size, Stack, aws_ecr as ecr, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { S3EventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ContainerFunction, ContainerFunctionProps, ContainerImage, ImageRepository, ImageTag } from '../lib';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from './support/git-repo';
import { imageFactsOf, isPushRestricted } from '../lib/image/image-facts';

withoutCiShaVariables();

let repo: TempGitRepo;
let sha: string;
beforeAll(() => {
  repo = TempGitRepo.create({ ...functionFiles('fn'), ...functionFiles('other', 'def handler(e, c):\n    return 2\n') });
  sha = repo.head().slice(0, 12);
});
afterAll(() => repo.remove());

function setup(props: Partial<ContainerFunctionProps> = {}, context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), ...props });
  return { app, stack, fn, template: () => Template.fromStack(stack) };
}

function dockerImageSources(app: App, stackName = 'S') {
  const assembly = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, `${stackName}.assets.json`), 'utf-8'));
  return Object.values(manifest.dockerImages ?? {}).map((i: any) => i.source);
}

describe('defaults', () => {
  test('explicit x86_64, 1024 MB, 30 s, image package, own log group with one month retention', () => {
    const { template } = setup();
    const t = template();
    t.hasResourceProperties('AWS::Lambda::Function', {
      PackageType: 'Image',
      Architectures: ['x86_64'],
      MemorySize: 1024,
      Timeout: 30,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^FnLogGroup') } },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.resourceCountIs('Custom::LogRetention', 0);
  });

  test('the image is built for linux/amd64 and copied as amd64', () => {
    const { app, template } = setup();
    template().hasResourceProperties('Custom::CDKECRDeployment', { ImageArch: 'amd64' });
    expect(dockerImageSources(app)).toEqual([expect.objectContaining({ platform: 'linux/amd64' })]);
  });

  test('records image facts for the checks', () => {
    const { fn } = setup({ maxImageSize: Size.mebibytes(300) });
    expect(imageFactsOf(fn)).toMatchObject({
      maxImageSizeBytes: 300 * 1024 * 1024,
      dockerfilePath: repo.path('fn', 'Dockerfile'),
      contextDirectory: repo.path('fn'),
      platform: 'linux/amd64',
      imageTag: fn.imageTag,
      immutableTag: true,
      imageAsset: fn.imageAsset,
    });
    expect(fn.imageTag).toBe(`${sha}-${fn.imageAsset!.assetHash}`);
    expect(fn.maxImageSize.toBytes()).toBe(300 * 1024 * 1024);
    expect(setup().fn.maxImageSize.toGibibytes()).toBe(10);
  });
});

describe('options', () => {
  test('arm64: built for linux/arm64 and copied as arm64', () => {
    const { app, template } = setup({ architecture: lambda.Architecture.ARM_64 });
    const t = template();
    t.hasResourceProperties('AWS::Lambda::Function', { Architectures: ['arm64'] });
    t.hasResourceProperties('Custom::CDKECRDeployment', { ImageArch: 'arm64' });
    expect(dockerImageSources(app)).toEqual([expect.objectContaining({ platform: 'linux/arm64' })]);
  });

  test('memory, timeout, log retention, cmd, entrypoint, working directory', () => {
    const { template, fn } = setup({
      memorySize: 2048,
      timeout: Duration.minutes(5),
      logRetention: logs.RetentionDays.ONE_WEEK,
      image: ContainerImage.fromDockerfile(repo.path('fn'), { cmd: ['other.handler'], entrypoint: ['/entry'], workingDirectory: '/w' }),
    });
    const t = template();
    t.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Timeout: 300,
      ImageConfig: { Command: ['other.handler'], EntryPoint: ['/entry'], WorkingDirectory: '/w' },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(fn.logGroup.node.path).toBe('S/Fn/LogGroup');
  });

  test('a given log group is used and none is created', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const logGroup = new logs.LogGroup(stack, 'Mine');
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), logGroup });
    // Yours, and the image copier's; none under the function.
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 2);
    expect(fn.node.findAll().filter(c => c instanceof logs.CfnLogGroup)).toEqual([]);
    expect(fn.logGroup).toBe(logGroup);
  });

  test('build options reach the asset', () => {
    const { app } = setup({
      image: ContainerImage.fromDockerfile(repo.path('fn'), { buildArgs: { MODE: 'prod' }, target: 'runtime', buildSecrets: { npmrc: 'src=.npmrc' }, cacheDisabled: true }),
    });
    expect(dockerImageSources(app)).toEqual([expect.objectContaining({
      dockerBuildArgs: { MODE: 'prod' }, dockerBuildTarget: 'runtime', dockerBuildSecrets: { npmrc: 'src=.npmrc' }, cacheDisabled: true,
    })]);
  });

  test('aws:asset metadata on the function, as CDK adds it, so sam local invoke can build the image', () => {
    const { template } = setup({}, { 'aws:cdk:enable-asset-metadata': true });
    template().hasResource('AWS::Lambda::Function', {
      Properties: Match.objectLike({ PackageType: 'Image' }),
      Metadata: Match.objectLike({
        'aws:asset:path': Match.stringLikeRegexp('^asset\\.[0-9a-f]{64}$'),
        'aws:asset:dockerfile-path': 'Dockerfile',
        'aws:asset:property': 'Code.ImageUri',
      }),
    });
  });
});

describe('usable wherever an IFunction is', () => {
  test('grants, event sources, metrics, aliases, URLs', () => {
    const { stack, fn, template } = setup();
    const bucket = new s3.Bucket(stack, 'Bucket');
    bucket.grantRead(fn);
    fn.addEventSource(new S3EventSource(bucket, { events: [s3.EventType.OBJECT_CREATED] }));
    fn.grantInvoke(new iam.ServicePrincipal('events.amazonaws.com'));
    fn.addAlias('live');
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    expect(fn.metricErrors().metricName).toBe('Errors');
    const f: lambda.IFunction = fn;
    expect(f.architecture).toBe(lambda.Architecture.X86_64);
    const t = template();
    t.resourceCountIs('AWS::Lambda::Alias', 1);
    t.resourceCountIs('AWS::Lambda::Url', 1);
    t.resourceCountIs('Custom::S3BucketNotifications', 1);
  });
});
