/**
 * ContainerImage.fromSource through ContainerFunction, on a real engine: the asset the construct
 * synthesizes (generated Dockerfile for the AWS base NODEJS_22, unchanged) builds exactly as
 * cdk-assets builds it — platform and build secrets from the asset manifest — and answers through
 * the Runtime API. Without a registry, the Node.js stand-in answers to the AWS base image's name (support/provision.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, LambdaBaseImage, SourceBuildSecret } from '../../lib';
import { removeAssetImages } from './support/asset-variant';
import { TempGitRepo } from '../support/git-repo';
import { describeWithDocker, docker, invoke, removeImage } from './support/docker';
import { ensureAwsBase } from './support/provision';
import { HOST_CA_BUNDLE, ensureStandIns } from './support/standins';

jest.setTimeout(30 * 60_000);

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'node-typescript', 'function');

function exampleFiles(dir: string, prefix: string, rel = ''): { [p: string]: string } {
  const out: { [p: string]: string } = {};
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, exampleFiles(dir, prefix, r));
    else out[`${prefix}/${r}`] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

describeWithDocker('fromSource: the synthesized asset builds like cdk-assets builds it and answers', () => {
  const tag = `ccf-integ/from-source-asset:${process.pid}`;
  let repo: TempGitRepo;
  let outdir: string;

  beforeAll(async () => {
    const bases = await ensureStandIns();
    // The AWS base as the engine has it, else pulled, else the stand-in under its name (until the suite ends).
    ensureAwsBase(LambdaBaseImage.NODEJS_22.image, bases.nodeTag);
    repo = TempGitRepo.create(exampleFiles(EXAMPLE, 'fn'));
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-integ-out-'));
  });

  afterAll(async () => {
    await removeImage(tag);
    repo?.remove();
    if (outdir) await removeAssetImages(outdir);
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('the node-typescript example on NODEJS_22: generated Dockerfile, secrets from the manifest, handler answers', async () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Integ');
    new ContainerFunction(stack, 'Fn', {
      image: ContainerImage.fromSource(repo.path('fn'), {
        base: LambdaBaseImage.NODEJS_22,
        handler: 'index.handler',
        buildCommand: 'npm run build',
        buildOutput: 'dist',
        // Only needed on this machine (npm's registry behind the host's CA bundle); it also proves
        // the manifest carries build secrets to whoever builds the asset.
        buildSecrets: [SourceBuildSecret.caBundle(HOST_CA_BUNDLE)],
      }),
    });
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Integ.assets.json'), 'utf-8'));
    const [source] = Object.values(manifest.dockerImages).map((i: any) => i.source);
    expect(source.dockerBuildSecrets).toEqual({ 'ca-bundle': `src=${HOST_CA_BUNDLE}` });
    const context = path.join(assembly.directory, source.directory);
    expect(fs.readFileSync(path.join(context, source.dockerFile ?? 'Dockerfile'), 'utf8')).toContain(`FROM ${LambdaBaseImage.NODEJS_22.image} AS runtime`);
    expect(fs.existsSync(path.join(repo.path('fn'), 'Dockerfile'))).toBe(false);

    const args = ['build', '--tag', tag, '--platform', source.platform, '--file', path.join(context, source.dockerFile ?? 'Dockerfile')];
    for (const [id, value] of Object.entries(source.dockerBuildSecrets as { [id: string]: string })) args.push('--secret', `id=${id},${value}`);
    await docker([...args, context]);

    const result = await invoke(tag, { name: 'Ada', language: 'fr' });
    expect(result.kind).toBe('response');
    expect(result.body).toMatchObject({ message: 'Bonjour, Ada!' });
    expect((await invoke(tag, { name: '' })).kind).toBe('error'); // zod (a production dependency) is there and validates
  });
});
