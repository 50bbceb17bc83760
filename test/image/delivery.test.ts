import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DockerBuildSecret, Stack, aws_ecr as ecr, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DockerImageName, ECRDeployment } from 'cdk-ecr-deployment';
import { ContainerFunction, ContainerFunctionProps, ContainerImage, ImageRepository, ImageTag } from '../../lib';
import { COPY_FUNCTION_MEMORY_MIB } from '../../lib/image/image-copier';
import { isPushRestricted } from '../../lib/image/image-facts';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

let repo: TempGitRepo;
let sha: string;
beforeAll(() => {
  repo = TempGitRepo.create({ ...functionFiles('fn'), ...functionFiles('other', 'def handler(e, c):\n    return 2\n') });
  sha = repo.head().slice(0, 12);
});
afterAll(() => repo.remove());

const fnProps = (dir = 'fn', more: Partial<ContainerFunctionProps> = {}): ContainerFunctionProps =>
  ({ image: ContainerImage.fromDockerfile(repo.path(dir)), ...more });

const only = (t: Template, type: string): [string, any] => {
  const found = Object.entries(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as [string, any];
};
const idOf = (t: Template, type: string) => only(t, type)[0];

/** What CDK's default synthesizer writes for an image asset's URI in an env-agnostic stack. */
const assetUri = (hash: string) => ({ 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-container-assets-\${AWS::AccountId}-\${AWS::Region}:${hash}` });
/** The URI parts of `repository.repositoryUriForTag(tag)` for a repository created in the stack. */
const repositoryUriParts = (repositoryId: string, tag: string) => [
  { 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': [repositoryId, 'Arn'] }] }] },
  '.dkr.ecr.',
  { 'Fn::Select': [3, { 'Fn::Split': [':', { 'Fn::GetAtt': [repositoryId, 'Arn'] }] }] },
  '.',
  { Ref: 'AWS::URLSuffix' },
  '/',
  { Ref: repositoryId },
  `:${tag}`,
];
const accountArn = (service: string, resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, resource]],
});

describe('the default delivery: asset → one copy per image → the stack\'s repository → the function', () => {
  let stack: Stack;
  let fn: ContainerFunction;
  let t: Template;
  beforeAll(() => {
    stack = new Stack(new App(), 'S');
    fn = new ContainerFunction(stack, 'Fn', fnProps());
    t = Template.fromStack(stack);
  });

  test('the copy reads exactly the asset\'s content-hash tag and writes exactly <sha>-<asset hash>, for amd64', () => {
    const hash = fn.imageAsset!.assetHash;
    const repositoryId = idOf(t, 'AWS::ECR::Repository');
    const [, copy] = only(t, 'Custom::CDKECRDeployment');
    expect(fn.imageTag).toBe(`${sha}-${hash}`);
    expect(copy.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^CustomCDKECRDeployment.*${COPY_FUNCTION_MEMORY_MIB}MiB`)), 'Arn'] },
      SrcImage: { 'Fn::Join': ['', ['docker://', assetUri(hash)]] },
      DestImage: { 'Fn::Join': ['', ['docker://', ...repositoryUriParts(repositoryId, `${sha}-${hash}`)]] },
      ImageArch: 'amd64',
    });
  });

  test('the function runs repository:tag, with the tag read once the copy exists, and waits for the copy; the copy waits for its role and policies', () => {
    const [copyId, copy] = only(t, 'Custom::CDKECRDeployment');
    const [, fnResource] = Object.entries(t.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0] as [string, any];
    // Fn::Select [0, [tag, Ref copy]] is the tag to CloudFormation; a hotswap that skipped the copy cannot resolve it.
    const uriParts = [...repositoryUriParts(idOf(t, 'AWS::ECR::Repository'), fn.imageTag).slice(0, -1), ':', { 'Fn::Select': [0, [fn.imageTag, { Ref: copyId }]] }];
    expect(fnResource.Properties.Code).toEqual({ ImageUri: { 'Fn::Join': ['', uriParts] } });
    expect(fnResource.DependsOn).toEqual(expect.arrayContaining([copyId]));
    const policies = Object.keys(t.findResources('AWS::IAM::Policy')).filter(id => id.startsWith('ContainerFunctionImageCopier'));
    const role = Object.keys(t.findResources('AWS::IAM::Role')).find(id => id.startsWith('ContainerFunctionImageCopier'))!;
    expect([...copy.DependsOn].sort()).toEqual([...policies, role].sort());
  });

  test('the repository: scan on push, MUTABLE, retained, and only untagged images expire', () => {
    const [, repository] = only(t, 'AWS::ECR::Repository');
    expect(repository.DeletionPolicy).toBe('Retain');
    expect(repository.Properties.ImageTagMutability).toBe('MUTABLE');
    expect(repository.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText)).toEqual({
      rules: [{
        rulePriority: 1,
        description: 'Expire untagged images (leftovers of interrupted copies). Tagged images are kept: deployed functions and rollbacks use them.',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 1, countUnit: 'days' },
        action: { type: 'expire' },
      }],
    });
  });

  test('the repository policy: exactly the push/delete deny for all but the copier role, and exactly Lambda pulls for this account', () => {
    const [, repository] = only(t, 'AWS::ECR::Repository');
    const [, role] = Object.entries(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ContainerFunctionImageCopier')) as [string, any];
    const copierRoleName = role.Properties.RoleName['Fn::Join'][1][0];
    expect(copierRoleName).toMatch(/^S-copier-[0-9a-f]{8}-$/);
    expect(repository.Properties.RepositoryPolicyText).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyImageCopiersPush',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage'],
          // Exactly the stack's copier role, by its fixed name (which holds the deploying region).
          Condition: {
            ArnNotEquals: {
              'aws:PrincipalArn': [{
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role/cdk-container-function/${copierRoleName}`, { Ref: 'AWS::Region' }]],
              }],
            },
          },
        },
        {
          Sid: 'LambdaPullsForThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Condition: { StringLike: { 'aws:sourceArn': accountArn('lambda', ':function:*') } },
        },
      ],
    });
    expect(isPushRestricted(fn.repository)).toBe(true);
  });

  test('the copier role: a fixed name under the copier path, assumed by Lambda, pulls only the asset repository, pushes only the destination', () => {
    const [roleId, role] = Object.entries(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ContainerFunctionImageCopier')) as [string, any];
    expect(role.Properties.Path).toBe('/cdk-container-function/');
    expect(role.Properties.RoleName).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/^S-copier-[0-9a-f]{8}-$/), { Ref: 'AWS::Region' }]] });
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const [, defaultPolicy] = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('CopyRoleDefaultPolicy')) as [string, any];
    expect(defaultPolicy.Properties.Roles).toEqual([{ Ref: roleId }]);
    expect(defaultPolicy.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':repository/',
            { 'Fn::Sub': 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}' }]],
        },
      },
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage',
          'ecr:CompleteLayerUpload', 'ecr:UploadLayerPart', 'ecr:InitiateLayerUpload', 'ecr:PutImage'],
        Resource: { 'Fn::GetAtt': [idOf(t, 'AWS::ECR::Repository'), 'Arn'] },
      },
    ]);
  });

  test('the copy function logs only to its own log group, kept one month, and runs as the copier role with its own memory size', () => {
    const [copyFnId, copyFn] = Object.entries(t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } }))[0] as [string, any];
    expect(copyFn.Properties.MemorySize).toBe(COPY_FUNCTION_MEMORY_MIB);
    expect(copyFn.Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ContainerFunctionImageCopierCopyRole/), 'Arn'] });
    const [, logs] = Object.entries(t.findResources('AWS::IAM::Policy')).find(([id]) => id.includes('CopyLogs')) as [string, any];
    expect(logs.Properties.PolicyDocument.Statement).toEqual([{
      Sid: 'OwnLogGroup',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [copyFn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
    }]);
    const logGroup = t.toJSON().Resources[copyFn.Properties.LoggingConfig.LogGroup.Ref];
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    expect(logGroup.Metadata?.['aws:cdk:path'] ?? copyFnId).toContain(copyFnId.replace(/[0-9A-F]{8}$/, ''));
  });

  test('no other policy anywhere grants ECR writes or wildcard logs', () => {
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    for (const statement of statements) {
      const actions = [statement.Action].flat() as string[];
      if (actions.some(a => a === 'ecr:PutImage')) expect(statement.Resource).toEqual({ 'Fn::GetAtt': [idOf(t, 'AWS::ECR::Repository'), 'Arn'] });
      if (statement.Resource === '*') expect(actions).toEqual(['ecr:GetAuthorizationToken']);
    }
  });
});

describe('one copy per distinct image and repository', () => {
  test('functions that share an image share its asset, tag and copy; a different image gets its own', () => {
    const stack = new Stack(new App(), 'S');
    const a = new ContainerFunction(stack, 'A', { ...fnProps(), cmd: ['app.handler'] } as ContainerFunctionProps);
    const b = new ContainerFunction(stack, 'B', fnProps('fn', { description: 'same image, other function' }));
    const c = new ContainerFunction(stack, 'C', fnProps('other'));
    expect(b.imageAsset).toBe(a.imageAsset);
    expect(b.imageTag).toBe(a.imageTag);
    expect(c.imageTag).not.toBe(a.imageTag);
    const t = Template.fromStack(stack);
    const copies = Object.values(t.findResources('Custom::CDKECRDeployment')) as any[];
    expect(copies).toHaveLength(2);
    expect(copies.map(copy => JSON.stringify(copy.Properties.DestImage).match(/:([0-9a-f]{12}-[0-9a-f]{64})"/)![1]).sort()).toEqual([a.imageTag, c.imageTag].sort());
  });

  test('100 functions on one image fit in one stack: 3 resources each plus a constant', () => {
    const stack = new Stack(new App(), 'S');
    for (let i = 0; i < 100; i++) new ContainerFunction(stack, `Fn${i}`, fnProps('fn', { description: `function ${i}` }));
    const resources = Template.fromStack(stack).toJSON().Resources;
    const count = Object.keys(resources).length;
    // Per function: role, function, log group. Per stack: repository, copier role + default policy + logs policy,
    // the copy function and its log group. Per image: one copy.
    expect(count).toBe(100 * 3 + 6 + 1);
    expect(count).toBeLessThanOrEqual(500);
  });

  test('a repository imported twice by name is one destination: one copy, one tag', () => {
    const stack = new Stack(new App(), 'S');
    const first = ecr.Repository.fromRepositoryName(stack, 'First', 'images');
    const second = ecr.Repository.fromRepositoryName(stack, 'Second', 'images');
    const a = new ContainerFunction(stack, 'A', fnProps('fn', { repository: first }));
    const b = new ContainerFunction(stack, 'B', fnProps('fn', { repository: second }));
    const c = new ContainerFunction(stack, 'C', fnProps('other', { repository: second }));
    expect(a.imageTag).toBe(b.imageTag);
    expect(c.imageTag).not.toBe(a.imageTag);
    Template.fromStack(stack).resourceCountIs('Custom::CDKECRDeployment', 2);
  });

  test('a passed repository with ImageTag.of(): <version>-<asset hash>; two images under one version stay apart', () => {
    const stack = new Stack(new App(), 'S');
    const repository = new ecr.Repository(stack, 'Plain');
    const a = new ContainerFunction(stack, 'A', fnProps('fn', { repository, tag: ImageTag.of('1.0') }));
    const b = new ContainerFunction(stack, 'B', fnProps('other', { repository, tag: ImageTag.of('1.0') }));
    expect(a.imageTag).toBe(`1.0-${a.imageAsset!.assetHash}`);
    expect(b.imageTag).toBe(`1.0-${b.imageAsset!.assetHash}`);
    expect(a.imageTag).not.toBe(b.imageTag);
    // A plain ecr.Repository gets the Lambda pull statement but no push restriction.
    const [, plain] = only(Template.fromStack(stack), 'AWS::ECR::Repository');
    expect(plain.Properties.RepositoryPolicyText.Statement.map((s: any) => s.Sid)).toEqual(['LambdaPullsForThisAccount']);
    expect(isPushRestricted(repository)).toBe(false);
  });

  test('the same image under two tags in one repository: one copy per tag, each to its own tag', () => {
    const stack = new Stack(new App(), 'S');
    const a = new ContainerFunction(stack, 'A', fnProps());
    const b = new ContainerFunction(stack, 'B', fnProps('fn', { tag: ImageTag.of('1.0') }));
    expect(b.imageAsset).toBe(a.imageAsset);
    const copies = Object.values(Template.fromStack(stack).findResources('Custom::CDKECRDeployment')) as any[];
    const destinations = copies.map(copy => JSON.stringify(copy.Properties.DestImage).match(/:([^"]+)"\]\]\}$/)![1]).sort();
    expect(destinations).toEqual([a.imageTag, b.imageTag].sort());
  });

  test('the same image in two repositories: one copy to each', () => {
    const stack = new Stack(new App(), 'S');
    new ContainerFunction(stack, 'A', fnProps());
    new ContainerFunction(stack, 'B', fnProps('fn', { repository: new ImageRepository(stack, 'Other') }));
    Template.fromStack(stack).resourceCountIs('Custom::CDKECRDeployment', 2);
  });
});

describe('an ImageRepository shared by two stacks', () => {
  test('both stacks deliver into it, the repository names each stack\'s copier role, and no stack references another\'s role', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const shared = new Stack(app, 'Shared', { env });
    const repository = new ImageRepository(shared, 'ServiceImages');
    const one = new Stack(app, 'One', { env });
    const two = new Stack(app, 'Two', { env });
    new ContainerFunction(one, 'Fn', fnProps('fn', { repository }));
    new ContainerFunction(two, 'Fn', fnProps('other', { repository }));
    const assembly = app.synth(); // a cross-stack cycle would throw here
    expect(assembly.getStackByName('Shared').dependencies.map(d => d.id).filter(id => id === 'One' || id === 'Two')).toEqual([]);
    const copierArns: string[] = [];
    for (const name of ['One', 'Two']) {
      const t = Template.fromJSON(assembly.getStackByName(name).template);
      const [roleId, role] = Object.entries(t.findResources('AWS::IAM::Role')).find(([id]) => id.startsWith('ContainerFunctionImageCopier')) as [string, any];
      expect(role.Properties.Path).toBe('/cdk-container-function/');
      expect(role.Properties.RoleName).toMatch(new RegExp(`^${name}-copier-[0-9a-f]{8}-eu-west-1$`));
      copierArns.push(`:iam::111111111111:role/cdk-container-function/${role.Properties.RoleName}`);
      const push = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) =>
        p.Properties.Roles.some((r: any) => r.Ref === roleId) ? p.Properties.PolicyDocument.Statement : [])
        .find((s: any) => [s.Action].flat().includes('ecr:PutImage'));
      expect(JSON.stringify(push.Resource)).toContain('Shared:ExportsOutputFnGetAttServiceImages');
      t.resourceCountIs('Custom::CDKECRDeployment', 1);
    }
    const sharedRepository = only(Template.fromJSON(assembly.getStackByName('Shared').template), 'AWS::ECR::Repository')[1];
    // Literal ARNs (only the partition is a parameter): no import of the other stacks' roles, so no cycle.
    expect(sharedRepository.Properties.RepositoryPolicyText.Statement[0].Condition)
      .toEqual({ ArnNotEquals: { 'aws:PrincipalArn': copierArns.map(arn => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, arn]] })) } });
  });
});

describe('a user\'s own ECRDeployment next to ours', () => {
  const src = new DockerImageName('source:1');
  const dest = new DockerImageName('dest:1');

  test('with its default memory size it keeps its own handler and role', () => {
    const stack = new Stack(new App(), 'S');
    const userRole = new iam.Role(stack, 'UserRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new ECRDeployment(stack, 'UserCopy', { src, dest, role: userRole });
    new ContainerFunction(stack, 'Fn', fnProps());
    const handlers = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } })) as any[];
    expect(handlers.map(h => [h.Properties.MemorySize, h.Properties.Role['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')]).sort())
      .toEqual([[COPY_FUNCTION_MEMORY_MIB, 'ContainerFunctionImageCopierCopyRole'], [512, 'UserRole']]);
  });

  test('with our memory size, created before ours: an error naming the fix', () => {
    const stack = new Stack(new App(), 'S');
    new ECRDeployment(stack, 'UserCopy', { src, dest, memoryLimit: COPY_FUNCTION_MEMORY_MIB });
    expect(() => new ContainerFunction(stack, 'Fn', fnProps()))
      .toThrow(`S/ContainerFunctionImageCopier: an ECRDeployment with memoryLimit ${COPY_FUNCTION_MEMORY_MIB} already exists in S`);
  });

  test('with our memory size, created after ours: synth fails naming the user\'s construct', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    new ContainerFunction(stack, 'Fn', fnProps());
    new ECRDeployment(stack, 'UserCopy', { src, dest, memoryLimit: COPY_FUNCTION_MEMORY_MIB });
    expect(() => app.synth()).toThrow(/S\/UserCopy: this ECRDeployment has memoryLimit 1792, the size cdk-container-function uses/);
  });
});

describe('regions and accounts', () => {
  const env = { account: '111111111111', region: 'eu-west-1' };

  test('a destination repository in another region is a synth error naming Lambda\'s rule', () => {
    const stack = new Stack(new App(), 'S', { env });
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Far', 'arn:aws:ecr:us-east-1:111111111111:repository/images');
    expect(() => new ContainerFunction(stack, 'Fn', fnProps('fn', { repository })))
      .toThrow(/^S\/Fn: the repository S\/Far is in region us-east-1, but the function is in eu-west-1, and Lambda pulls images only from the function's own region\. Use a repository in eu-west-1/);
    expect(stack.node.tryFindChild('Fn')).toBeUndefined();
  });

  test('a fromEcr repository in another region is a synth error', () => {
    const stack = new Stack(new App(), 'S', { env });
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Far', 'arn:aws:ecr:us-east-1:111111111111:repository/images');
    expect(() => new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromEcr(repository, { tagOrDigest: '1.0' }) }))
      .toThrow(/the fromEcr\(\) repository S\/Far is in region us-east-1, but the function is in eu-west-1/);
  });

  test('a repository in another account of the same region is allowed', () => {
    const stack = new Stack(new App(), 'S', { env });
    const repository = ecr.Repository.fromRepositoryArn(stack, 'Shared', 'arn:aws:ecr:eu-west-1:222222222222:repository/images');
    const fn = new ContainerFunction(stack, 'Fn', fnProps('fn', { repository }));
    expect(fn.imageUri).toContain('222222222222.dkr.ecr.eu-west-1.');
  });
});

describe('build inputs and identity', () => {
  test.each([
    ['a secret-looking name', { NPM_TOKEN: 'npm_abcdefghijklmnop' }, 'NPM_TOKEN'],
    ['a URL with a password', { PIP_INDEX_URL: 'https://user:hunter2@pypi.example.com/simple' }, 'PIP_INDEX_URL'],
    ['an AWS access key id', { KEYS: 'AKIAABCDEFGHIJKLMNOP' }, 'KEYS'],
  ])('credential-looking build args (%s) are refused at synth, without the Aspect, and nothing is written', (_what, buildArgs, name) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    expect(() => new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn'), { buildArgs }) }))
      .toThrow(new RegExp(`^S/Fn: build arg ${name} looks like credentials, .* Pass them as buildSecrets`));
    expect(stack.node.children).toHaveLength(0);
    const assembly = app.synth();
    const written = fs.readdirSync(assembly.directory).map(f => fs.statSync(path.join(assembly.directory, f)).isFile() ? fs.readFileSync(path.join(assembly.directory, f), 'utf-8') : '').join('\n');
    expect(written).not.toContain(Object.values(buildArgs)[0]);
  });

  test('the message never repeats the credential', () => {
    const stack = new Stack(new App(), 'S');
    let message = '';
    try {
      new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn'), { buildArgs: { PIP_INDEX_URL: 'https://user:hunter2@pypi.example.com/simple' } }) });
    } catch (e) { message = (e as Error).message; }
    expect(message).toContain('PIP_INDEX_URL');
    expect(message).not.toContain('hunter2');
  });

  test('where build secrets and the SSH agent live on this machine does not change the asset hash or the tag', () => {
    const secretDirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-secret-a-')), fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-secret-b-'))];
    const tags = secretDirs.map(dir => {
      fs.writeFileSync(path.join(dir, '.npmrc'), 'token');
      const stack = new Stack(new App(), 'S');
      return new ContainerFunction(stack, 'Fn', {
        image: ContainerImage.fromDockerfile(repo.path('fn'), {
          buildSecrets: { npmrc: DockerBuildSecret.fromSrc(path.join(dir, '.npmrc')) },
          buildSsh: `default=${dir}/agent.sock`,
        }),
      }).imageTag;
    });
    expect(tags[0]).toBe(tags[1]);
    secretDirs.forEach(d => fs.rmSync(d, { recursive: true, force: true }));
  });

  test('build args, target and platform do change it', () => {
    const tagOf = (more: Partial<ContainerFunctionProps>, options = {}) =>
      new ContainerFunction(new Stack(new App(), 'S'), 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn'), options), ...more }).imageTag;
    const base = tagOf({});
    expect(tagOf({}, { buildArgs: { MODE: 'prod' } })).not.toBe(base);
    expect(tagOf({}, { target: 'runtime' })).not.toBe(base);
    expect(tagOf({ architecture: lambda.Architecture.ARM_64 })).not.toBe(base);
  });
});

describe('other image sources', () => {
  test('ImageTag.assetHash(): CDK behaviour, content-hash tag in the bootstrap repository, no copy', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new ContainerFunction(stack, 'Fn', fnProps('fn', { tag: ImageTag.assetHash() }));
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::CDKECRDeployment', 0);
    t.resourceCountIs('AWS::ECR::Repository', 0);
    expect(fn.imageTag).toBe(fn.imageAsset!.assetHash);
    const [, fnResource] = Object.entries(t.findResources('AWS::Lambda::Function'))[0] as [string, any];
    expect(fnResource.Properties.Code).toEqual({ ImageUri: assetUri(fn.imageAsset!.assetHash) });
  });

  test('fromEcr with a digest: no build, no copy, the scoped pull statement on an in-app repository', () => {
    const stack = new Stack(new App(), 'S');
    const repository = new ecr.Repository(stack, 'Existing');
    const digest = `sha256:${'b'.repeat(64)}`;
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromEcr(repository, { tagOrDigest: digest, cmd: ['app.handler'] }) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::CDKECRDeployment', 0);
    const [, existing] = only(t, 'AWS::ECR::Repository');
    expect(existing.Properties.RepositoryPolicyText.Statement).toEqual([{
      Sid: 'LambdaPullsForThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { StringLike: { 'aws:sourceArn': accountArn('lambda', ':function:*') } },
    }]);
    expect(fn.imageTag).toBe(digest);
    expect(fn.imageAsset).toBeUndefined();
  });

  test('grantLambdaPull() returns the iam.Grant of the one pull statement, as CDK\'s grant* methods do', () => {
    const stack = new Stack(new App(), 'S');
    const images = new ImageRepository(stack, 'Images');
    const grant = images.grantLambdaPull();
    expect(grant).toBeInstanceOf(iam.Grant);
    expect(grant.success).toBe(true);
    expect(stack.resolve(grant.resourceStatements.map(s => s.toStatementJson()))).toEqual([{
      Sid: 'LambdaPullsForThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Condition: { StringLike: { 'aws:sourceArn': accountArn('lambda', ':function:*') } },
    }]);
    // Asked again (or by a function delivering into it), the repository keeps one statement and gives the same grant.
    expect(images.grantLambdaPull()).toBe(grant);
    new ContainerFunction(stack, 'Fn', fnProps('fn', { repository: images }));
    const statements = only(Template.fromStack(stack), 'AWS::ECR::Repository')[1].Properties.RepositoryPolicyText.Statement;
    expect(statements.filter((st: any) => st.Sid === 'LambdaPullsForThisAccount')).toHaveLength(1);
  });

  test('restricting pushes to the copiers is delivery plumbing, not a method of the public ImageRepository', () => {
    expect((ImageRepository.prototype as any).restrictPushesToCopiers).toBeUndefined();
  });

  test('ImageRepository({ immutableTags: true }) is IMMUTABLE', () => {
    const stack = new Stack(new App(), 'S');
    new ContainerFunction(stack, 'Fn', fnProps('fn', { repository: new ImageRepository(stack, 'Images', { immutableTags: true }) }));
    expect(only(Template.fromStack(stack), 'AWS::ECR::Repository')[1].Properties.ImageTagMutability).toBe('IMMUTABLE');
  });
});
