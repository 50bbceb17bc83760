/**
 * ContainerFunction from a Dockerfile, proven with a real engine: the assets the construct synthesizes are built the way
 * CDK's publishing (cdk-assets) builds them, by the package's own builder (lib/assembly/build-image.ts, which takes every
 * flag from the asset manifest, field for field as cdk-assets does), so the test never chooses the platform itself. An
 * arm64 function on this x86_64 host proves the platform comes from the function's architecture, not from the host's
 * default; the x86_64 one answers through the Lambda Runtime API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage } from '../../lib';
import { removeAssetImages } from './support/asset-variant';
import { buildImageAsset, readApp } from '../../lib/assembly';
import { TempGitRepo } from '../support/git-repo';
import { DOCKER, describeWithDocker, docker, invoke, removeImage } from './support/docker';
import { ensureAwsBase } from './support/provision';
import { ensureStandIns } from './support/standins';

jest.setTimeout(30 * 60_000);

const AWS_NODE_BASE = 'public.ecr.aws/lambda/nodejs:22';

describeWithDocker('fromDockerfile: the synthesized assets build as cdk-assets builds them, for the function\'s architecture', () => {
  const built: string[] = [];
  let repo: TempGitRepo;
  let outdir: string;
  const saved = process.env.CDK_DOCKER;

  beforeAll(async () => {
    const bases = await ensureStandIns();
    // The AWS base as the engine has it, else pulled, else the stand-in under its name (until the suite ends), so the
    // Dockerfile is unchanged.
    ensureAwsBase(AWS_NODE_BASE, bases.nodeTag);
    // The builder honours CDK_DOCKER as cdk-assets does; point it at the client the tests use.
    process.env.CDK_DOCKER = DOCKER;
    repo = TempGitRepo.create({
      'fn/Dockerfile': `FROM ${AWS_NODE_BASE}\nCOPY index.js \${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n`,
      'fn/index.js': 'exports.handler = async (event) => ({ greeting: `hello ${event.name}`, arch: process.arch });\n',
      'fn/.dockerignore': 'notes.md\n',
      'fn/notes.md': 'not part of the image\n',
      // No RUN step and no base image: an arm64 image builds on an x86_64 host without emulation.
      'arm/Dockerfile': 'FROM scratch\nCOPY index.js /var/task/index.js\nCMD ["index.handler"]\n',
      'arm/index.js': 'exports.handler = async () => ({});\n',
    });
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-integ-out-'));
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.CDK_DOCKER; else process.env.CDK_DOCKER = saved;
    for (const tag of built) await removeImage(tag);
    repo?.remove();
    if (outdir) await removeAssetImages(outdir);
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('x86_64 and arm64 functions: each asset builds an image for its architecture, not the host\'s; the x86_64 handler answers', async () => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Integ');
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
    const arm = new ContainerFunction(stack, 'Arm', { image: ContainerImage.fromDockerfile(repo.path('arm')), architecture: lambda.Architecture.ARM_64 });
    const assembly = app.synth();

    // The function's own metadata names the staged asset directory (what SAM reads); .dockerignore applied at staging.
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Integ.template.json'), 'utf-8'));
    const metadata = template.Resources[stack.getLogicalId(fn.node.defaultChild as any)].Metadata;
    expect(fs.existsSync(path.join(assembly.directory, metadata['aws:asset:path'], 'notes.md'))).toBe(false);

    // Build every image asset of the assembly as cdk-assets would, then ask the engine what it built.
    const assets = readApp(assembly.directory).imageAssets;
    const platformOf = async (construct: ContainerFunction) => {
      const asset = assets.find(a => a.id === construct.imageAsset!.assetHash)!;
      const { image } = await buildImageAsset(asset, { rebuild: true });
      built.push(image);
      const inspect = await docker(['image', 'inspect', image, '--format', '{{.Os}}/{{.Architecture}}']);
      return { image, platform: inspect.stdout.trim() };
    };
    const x86 = await platformOf(fn);
    const arm64 = await platformOf(arm);
    expect(x86.platform).toBe('linux/amd64');
    expect(arm64.platform).toBe('linux/arm64');
    // Whatever the host, one of the two is not its default platform, so the manifest's platform (set by the construct
    // from the architecture) is what decided.

    const result = await invoke(x86.image, { name: 'container' });
    expect(result).toMatchObject({ kind: 'response', body: { greeting: 'hello container', arch: 'x64' } });
  });
});
