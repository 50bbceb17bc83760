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

  test('one repository per stack: scan on push, lifecycle rules, retained, shared by all functions', () => {
    const { stack, template } = setup();
    new ContainerFunction(stack, 'Second', { image: ContainerImage.fromDockerfile(repo.path('other')) });
    const t = template();
    t.resourceCountIs('AWS::ECR::Repository', 1);
    t.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'MUTABLE',
      }),
    });
    const repository = Object.values(t.findResources('AWS::ECR::Repository'))[0] as any;
    const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: expect.objectContaining({ tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1 }) }),
      expect.objectContaining({ rulePriority: 2, selection: expect.objectContaining({ tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 50 }) }),
    ]);
  });

  test('only the copier role may push; Lambda of this account may pull', () => {
    const { fn, template } = setup();
    const t = template();
    const copierRole = Object.keys(t.findResources('AWS::IAM::Role')).find(id => id.includes('ImageCopierCopyRole'))!;
    t.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: Match.arrayWith(['ecr:PutImage', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage']),
            Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [copierRole, 'Arn'] } } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Condition: { StringLike: { 'aws:sourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    expect(isPushRestricted(fn.repository)).toBe(true);
  });

  test('the copier can push only to the destination repository (no wildcard push)', () => {
    const t = setup().template();
    const policies = t.findResources('AWS::IAM::Policy');
    const copierPolicy = Object.entries(policies).find(([id]) => id.includes('ImageCopierCopyRole'))![1] as any;
    for (const statement of copierPolicy.Properties.PolicyDocument.Statement) {
      const actions = [statement.Action].flat();
      if (actions.some((a: string) => ['ecr:PutImage', 'ecr:UploadLayerPart'].includes(a))) {
        expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ContainerFunctionImages/), 'Arn'] });
      }
      if (statement.Resource === '*') expect(actions).toEqual(['ecr:GetAuthorizationToken']);
    }
    const copyFunction = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } }))[0] as any;
    expect(copyFunction.Properties.Role['Fn::GetAtt'][0]).toMatch(/ImageCopierCopyRole/);
  });

  test('guard, then copy, then function: copy and guard carry the tag, the function runs repository:tag', () => {
    const { fn, template } = setup();
    const t = template();
    const guards = t.findResources('Custom::ImageTagGuard');
    const copies = t.findResources('Custom::CDKECRDeployment');
    expect(Object.keys(guards)).toEqual([expect.stringContaining(`TagGuardfn${sha}`)]);
    expect(Object.keys(copies)).toEqual([expect.stringContaining(`CopyImagefn${sha}`)]);
    const [guardId, guard] = Object.entries(guards)[0] as any;
    const [copyId, copy] = Object.entries(copies)[0] as any;
    expect(guard.Properties).toMatchObject({ DestinationTag: `fn-${sha}`, Architecture: 'amd64', SourceTag: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(copy.DependsOn).toEqual(expect.arrayContaining([guardId]));
    expect(JSON.stringify(copy.Properties.DestImage)).toContain(`:fn-${sha}`);
    const fnResource = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0] as any;
    expect(fnResource.DependsOn).toEqual(expect.arrayContaining([copyId]));
    expect(JSON.stringify(fnResource.Properties.Code.ImageUri)).toContain(`:fn-${sha}`);
    expect(fn.imageTag).toBe(`fn-${sha}`);
    expect(fn.imageAsset).toBeDefined();
  });

  test('records image facts for the checks', () => {
    const { fn } = setup({ maxImageSize: Size.mebibytes(300) });
    expect(imageFactsOf(fn)).toMatchObject({
      maxImageSizeBytes: 300 * 1024 * 1024,
      dockerfilePath: repo.path('fn', 'Dockerfile'),
      contextDirectory: repo.path('fn'),
      platform: 'linux/amd64',
      imageTag: `fn-${sha}`,
      immutableTag: true,
    });
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
    t.hasResourceProperties('Custom::ImageTagGuard', { Architecture: 'arm64' });
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
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
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

  test('ImageRepository options: max tagged images and IMMUTABLE', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ImageRepository(stack, 'Images', { maxTaggedImages: 20, immutableTags: true });
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), repository });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE', LifecyclePolicy: { LifecyclePolicyText: Match.stringLikeRegexp('"countNumber":20') } });
    expect(fn.imageTag).toBe(sha); // a repository of your own: the tag is exactly the version
    expect(fn.repository).toBe(repository);
  });

  test.each([0, -1, 2.5])('ImageRepository refuses maxTaggedImages %p, naming its path and the fix', count => {
    const stack = new Stack(new App(), 'S');
    expect(() => new ImageRepository(stack, 'Images', { maxTaggedImages: count }))
      .toThrow(`S/Images: maxTaggedImages ${count} must be a positive integer. Pass how many images to keep, e.g. 50.`);
  });

  test('a plain ecr.Repository gets the Lambda pull statement but no push restriction', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ecr.Repository(stack, 'Plain');
    new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), repository, tag: ImageTag.of('2.0.0') });
    const policy = Template.fromStack(stack).findResources('AWS::ECR::Repository');
    const statements = (Object.values(policy)[0] as any).Properties.RepositoryPolicyText.Statement;
    expect(statements.map((s: any) => s.Effect)).toEqual(['Allow']);
    expect(isPushRestricted(repository)).toBe(false);
  });

  test('two functions may not give one tag to two different images in a repository', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ecr.Repository(stack, 'Plain');
    new ContainerFunction(stack, 'A', { image: ContainerImage.fromDockerfile(repo.path('fn')), repository, tag: ImageTag.of('1.0') });
    new ContainerFunction(stack, 'Same', { image: ContainerImage.fromDockerfile(repo.path('fn')), repository, tag: ImageTag.of('1.0') });
    expect(() => new ContainerFunction(stack, 'B', { image: ContainerImage.fromDockerfile(repo.path('other')), repository, tag: ImageTag.of('1.0') }))
      .toThrow(/^S\/B: tag '1\.0' in S\/Plain already names the different image of S\/A\. Give each function its own repository/);
  });

  test('ImageTag.assetHash(): CDK behaviour, content-hash tag in the bootstrap repository, no copy', () => {
    const { template, fn } = setup({ tag: ImageTag.assetHash() });
    const t = template();
    t.resourceCountIs('Custom::CDKECRDeployment', 0);
    t.resourceCountIs('Custom::ImageTagGuard', 0);
    t.resourceCountIs('AWS::ECR::Repository', 0);
    expect(fn.imageTag).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(t.toJSON())).toContain('container-assets');
  });

  test('fromEcr with a digest: no build, no copy, scoped pull statement on an in-app repository', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const repository = new ecr.Repository(stack, 'Existing');
    const digest = `sha256:${'b'.repeat(64)}`;
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromEcr(repository, { tagOrDigest: digest, cmd: ['app.handler'] }) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::CDKECRDeployment', 0);
    expect(JSON.stringify(t.toJSON())).toContain(`@${digest}`);
    t.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } });
    expect(fn.imageTag).toBe(digest);
    expect(fn.imageAsset).toBeUndefined();
    expect(imageFactsOf(fn)?.immutableTag).toBe(false);
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
