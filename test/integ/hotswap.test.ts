/**
 * `cdk deploy --hotswap` (and `cdk watch`, which hotswaps) on an app of ContainerFunctions, driven through the CDK
 * CLI's own deploy and hotswap code (@aws-cdk/toolkit-lib `Toolkit.deploy`). AWS is stubbed with aws-sdk-client-mock;
 * the asset publishing is real: cdk-assets builds each image with Docker and pushes it to a local registry (Debian's
 * docker-registry), which the stubbed ECR names as the CDK asset repository. Two versions of one app, differing in
 * one function's code, are synthesized; the deployed stack is the first, the deploy is the second.
 */
/* eslint-disable import/no-extraneous-dependencies -- the @aws-sdk clients are the ones @aws-cdk/toolkit-lib itself
   depends on: the stubs must replace exactly the classes it calls, not a second copy of our own. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BaseCredentials, Toolkit } from '@aws-cdk/toolkit-lib';
import { CloudControlClient, GetResourceCommand } from '@aws-sdk/client-cloudcontrol';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, ListStackResourcesCommand, CreateChangeSetCommand, DescribeChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { GetBucketLocationCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
// The toolkit assumes the bootstrap roles through the SDK's credential providers, which use this client.
import { AssumeRoleCommand as ProviderAssumeRole, STSClient as ProviderSTSClient } from '@aws-sdk/nested-clients/sts';
import { App, Stack } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { docker } from './support/docker';
import { describeWithRegistryTools, startRegistry } from './support/registry';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { HOTSWAP_CONTEXT_KEY } from '../../lib/image/hotswap-delivery';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const ASSET_REPOSITORY = `cdk-hnb659fds-container-assets-${ACCOUNT}-${REGION}`;
const STACK = 'Hotswap';
const physicalName = (logicalId: string) => `fn-${logicalId}`;

interface Version {
  readonly dir: string;
  readonly template: any;
  /** Function logical id by construct id. */
  readonly functions: { [id: string]: string };
  /** Asset hash (its tag in the asset repository) by construct id. */
  readonly assetHashes: { [id: string]: string };
  /** The image URI each function's template names under copy delivery, as the toolkit would evaluate it. */
  readonly copyTags: { [id: string]: string };
}

describeWithRegistryTools('cdk deploy --hotswap / cdk watch on ContainerFunctions (toolkit-lib, stubbed AWS, real publishing)', () => {
  let work: string;
  let registry: { host: string; process: { kill(): boolean } };
  const mocks = {
    cfn: mockClient(CloudFormationClient),
    cloudControl: mockClient(CloudControlClient),
    lambda: mockClient(LambdaClient),
    ecr: mockClient(ECRClient),
    s3: mockClient(S3Client),
    ssm: mockClient(SSMClient),
    sts: mockClient(STSClient),
    providerSts: mockClient(ProviderSTSClient),
  };
  const savedEnv = { CDK_DOCKER: process.env.CDK_DOCKER, DOCKER_CONFIG: process.env.DOCKER_CONFIG, DOCKER_BUILDKIT: process.env.DOCKER_BUILDKIT };
  const localTags = new Set<string>();

  /** Function sources: `orders` and `reports`, each a Dockerfile directory. */
  function writeSources(root: string, reportsCode: string): void {
    for (const [name, code] of [['orders', 'exports.handler = async () => "orders v1";\n'], ['reports', reportsCode]]) {
      fs.mkdirSync(path.join(root, name), { recursive: true });
      fs.writeFileSync(path.join(root, name, 'index.js'), code);
      // FROM scratch: nothing to pull, so the real build is quick; the image only has to exist and differ.
      fs.writeFileSync(path.join(root, name, 'Dockerfile'), 'FROM scratch\nCOPY index.js /var/task/index.js\nCMD ["index.handler"]\n');
    }
  }

  function synth(name: string, reportsCode: string, developmentDelivery: boolean): Version {
    const src = path.join(work, `${name}-src`);
    writeSources(src, reportsCode);
    const outdir = path.join(work, `${name}.out`);
    const app = new App({ outdir, context: developmentDelivery ? { [HOTSWAP_CONTEXT_KEY]: 'true' } : {} });
    const stack = new Stack(app, STACK, { env: { account: ACCOUNT, region: REGION } });
    const fns = Object.fromEntries(['orders', 'reports'].map(id => [id, new ContainerFunction(stack, id, {
      image: ContainerImage.fromDockerfile(path.join(src, id)),
      tag: ImageTag.of('1.0.0'),
    })]));
    app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(outdir, `${STACK}.template.json`), 'utf-8'));
    const functions = Object.fromEntries(Object.entries(fns).map(([id, fn]) => [id, stack.getLogicalId(fn.node.defaultChild as any)]));
    const assetHashes = Object.fromEntries(Object.entries(fns).map(([id, fn]) => [id, fn.imageAsset!.assetHash]));
    const copyTags = Object.fromEntries(Object.entries(fns).map(([id, fn]) => [id, `1.0.0-${fn.imageAsset!.assetHash}`]));
    return { dir: outdir, template, functions, assetHashes, copyTags };
  }

  /** The stubbed account: the stack as last deployed, the asset repository in the local registry. */
  function stubAws(deployed: Version): void {
    Object.values(mocks).forEach(m => m.reset());
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/dev`, UserId: 'dev' });
    mocks.sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3_600_000) },
    });
    mocks.providerSts.on(ProviderAssumeRole).resolves({
      Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3_600_000) },
    });
    mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '30' } });
    mocks.cfn.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: STACK, StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK}/1`, StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }],
    });
    mocks.cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(deployed.template) });
    mocks.cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: Object.entries(deployed.template.Resources).map(([logicalId, r]: [string, any]) => ({
        LogicalResourceId: logicalId,
        PhysicalResourceId: physicalName(logicalId),
        ResourceType: r.Type,
        ResourceStatus: 'UPDATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      })),
    });
    // The toolkit reads attributes it cannot derive (the repository's Arn) through Cloud Control.
    mocks.cloudControl.on(GetResourceCommand).callsFake((input: any) => ({
      TypeName: input.TypeName,
      ResourceDescription: {
        Identifier: input.Identifier,
        Properties: JSON.stringify({ Arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${input.Identifier}`, RepositoryName: input.Identifier }),
      },
    }));
    // The template file asset is already in the staging bucket.
    mocks.s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: REGION });
    mocks.s3.on(ListObjectsV2Command).callsFake((input: any) => ({ Contents: [{ Key: input.Prefix }], KeyCount: 1 }));
    mocks.s3.on(HeadObjectCommand).resolves({});
    // The asset repository is the local registry: cdk-assets builds, logs in and pushes there for real.
    mocks.ecr.on(DescribeRepositoriesCommand).callsFake((input: any) => ({
      repositories: [{ repositoryName: input.repositoryNames[0], repositoryUri: `${registry.host}/${input.repositoryNames[0]}` }],
    }));
    mocks.ecr.on(DescribeImagesCommand).callsFake(async (input: any) => {
      const tag = input.imageIds[0].imageTag;
      if (await registryHas(input.repositoryName, tag)) return { imageDetails: [{ imageTags: [tag] }] };
      const e = new Error(`The image with imageId {imageTag:'${tag}'} does not exist`);
      e.name = 'ImageNotFoundException';
      throw e;
    });
    mocks.ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:local').toString('base64'), proxyEndpoint: `http://${registry.host}` }],
    });
    mocks.lambda.on(UpdateFunctionCodeCommand).resolves({});
    mocks.lambda.on(GetFunctionConfigurationCommand).resolves({ State: 'Active', LastUpdateStatus: 'Successful' });
    mocks.lambda.on(GetFunctionCommand).resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful' } });
    mocks.cfn.on(CreateChangeSetCommand).rejects(new Error('full deployment reached CreateChangeSet'));
    mocks.cfn.on(DescribeChangeSetCommand).rejects(new Error('full deployment reached DescribeChangeSet'));
  }

  async function registryHas(repository: string, tag: string): Promise<boolean> {
    const r = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    return r.status === 200;
  }

  async function hotswap(version: Version, fallback = false): Promise<{ messages: string[]; error?: Error }> {
    const messages: string[] = [];
    const toolkit = new Toolkit({
      ioHost: {
        notify: async msg => { messages.push(msg.message); },
        requestResponse: async msg => msg.defaultResponse,
      },
      sdkConfig: {
        baseCredentials: BaseCredentials.custom({
          provider: async () => ({ accessKeyId: 'AKIADEV', secretAccessKey: 'secret' }),
          region: REGION,
        }),
      },
    });
    const cx = await toolkit.fromAssemblyDirectory(version.dir);
    for (const hash of Object.values(version.assetHashes)) localTags.add(`cdkasset-${hash}`);
    try {
      await toolkit.deploy(cx, {
        deploymentMethod: fallback ? { method: 'hotswap', fallback: { method: 'change-set' } } : { method: 'hotswap' },
      });
      return { messages };
    } catch (e) {
      return { messages, error: e as Error };
    }
  }

  const updates = () => mocks.lambda.commandCalls(UpdateFunctionCodeCommand).map(c => c.args[0].input);
  const assetUri = (hash: string) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${ASSET_REPOSITORY}:${hash}`;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-hotswap-'));
    registry = await startRegistry(work);
    process.env.CDK_DOCKER = process.env.CCF_DOCKER ?? '/usr/bin/docker';
    process.env.DOCKER_BUILDKIT = '1';
    // docker login (run by cdk-assets) writes here, not to the user's ~/.docker.
    process.env.DOCKER_CONFIG = path.join(work, 'docker-config');
    fs.mkdirSync(process.env.DOCKER_CONFIG);
  }, 60_000);

  afterAll(async () => {
    for (const m of Object.values(mocks)) m.restore();
    registry?.process.kill();
    for (const tag of localTags) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    for (const ref of await localRefsOf(registry?.host)) await docker(['image', 'rm', '-f', ref], { allowFailure: true });
    for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  async function localRefsOf(host?: string): Promise<string[]> {
    if (!host) return [];
    const r = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { allowFailure: true });
    return r.stdout.split('\n').filter(ref => ref.startsWith(`${host}/`));
  }

  test('development delivery: exactly the edited function is updated, to the image the publishing just pushed', async () => {
    const v1 = synth('dev-v1', 'exports.handler = async () => "reports v1";\n', true);
    const v2 = synth('dev-v2', 'exports.handler = async () => "reports v2";\n', true);
    expect(v2.assetHashes.orders).toBe(v1.assetHashes.orders);
    expect(v2.assetHashes.reports).not.toBe(v1.assetHashes.reports);
    stubAws(v1);
    const newTag = v2.assetHashes.reports;
    expect(await registryHas(ASSET_REPOSITORY, newTag)).toBe(false);

    const { error, messages } = await hotswap(v2);

    expect(error).toBeUndefined();
    expect(updates()).toEqual([{ FunctionName: physicalName(v2.functions.reports), ImageUri: assetUri(newTag) }]);
    // The tag Lambda was given is the one cdk-assets pushed during this deploy, with the edited code in it.
    expect(await registryHas(ASSET_REPOSITORY, newTag)).toBe(true);
    const pushed = (await docker(['image', 'inspect', '--format', '{{.Id}}', `${registry.host}/${ASSET_REPOSITORY}:${newTag}`])).stdout.trim();
    expect(pushed).toBe((await docker(['image', 'inspect', '--format', '{{.Id}}', `cdkasset-${newTag}`])).stdout.trim());
    // The new copy is a custom resource creation, which hotswap skips; in this delivery the function does not need it.
    expect(messages.join('\n')).toMatch(/AWS::Lambda::Function 'fn-reports[0-9A-F]{8}' hotswapped!/);
  }, 300_000);

  test('default delivery: the hotswap stops with a message naming the copy it cannot resolve; no function is pointed anywhere', async () => {
    const v1 = synth('copy-v1', 'exports.handler = async () => "reports v1";\n', false);
    const v2 = synth('copy-v2', 'exports.handler = async () => "reports v2";\n', false);
    stubAws(v1);

    const { error, messages } = await hotswap(v2);

    expect(error).toBeUndefined();
    expect(updates()).toEqual([]);
    const text = messages.join('\n');
    expect(text).toMatch(/Could not perform a hotswap deployment, because the CloudFormation template could not be resolved: Parameter or resource 'ContainerFunctionImageCopierCopy100/);
    expect(mocks.cfn.commandCalls(CreateChangeSetCommand)).toHaveLength(0);
  }, 300_000);

  test('default delivery with --hotswap-fallback: a full CloudFormation deployment, no function pointed at an unpushed tag', async () => {
    const v1 = synth('fb-v1', 'exports.handler = async () => "reports v1";\n', false);
    const v2 = synth('fb-v2', 'exports.handler = async () => "reports v2";\n', false);
    stubAws(v1);

    const { error, messages } = await hotswap(v2, true);

    expect(updates()).toEqual([]);
    expect(messages.join('\n')).toMatch(/Falling back to doing a full deployment/);
    // The stub stops the full deployment at its first change-set call.
    expect(error?.message).toMatch(/full deployment reached (Create|Describe)ChangeSet/);
  }, 300_000);
});
