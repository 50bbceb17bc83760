/**
 * ContainerFunction from a Dockerfile, proven with a real engine: the asset the construct synthesizes
 * (the directory staged in cdk.out, named by the function's aws:asset metadata) builds with the exact
 * platform the function's architecture dictates, yields a single-platform image, and answers through
 * the Lambda Runtime API. This is what `cdk deploy` (cdk-assets) and `sam local invoke -t` build.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage } from '../../lib';
import { TempGitRepo } from '../support/git-repo';
import { describeWithDocker, docker, invoke, removeImage } from './support/docker';
import { ensureStandIns } from './support/standins';

jest.setTimeout(30 * 60_000);

const AWS_NODE_BASE = 'public.ecr.aws/lambda/nodejs:22';

describeWithDocker('fromDockerfile: the synthesized asset builds and runs on a real engine', () => {
  const tag = `ccf-integ/dockerfile-fn:${process.pid}`;
  let repo: TempGitRepo;
  let outdir: string;

  beforeAll(async () => {
    const bases = await ensureStandIns();
    // The stand-in answers to the AWS base image's own name, so the user's Dockerfile builds unchanged.
    await docker(['tag', bases.nodeTag, AWS_NODE_BASE]);
    repo = TempGitRepo.create({
      'fn/Dockerfile': `FROM ${AWS_NODE_BASE}\nCOPY index.js \${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n`,
      'fn/index.js': 'exports.handler = async (event) => ({ greeting: `hello ${event.name}`, arch: process.arch });\n',
      'fn/.dockerignore': 'notes.md\n',
      'fn/notes.md': 'not part of the image\n',
    });
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-integ-out-'));
  });

  afterAll(async () => {
    await removeImage(tag);
    repo?.remove();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('x86_64 function: asset built for linux/amd64, single-platform image, handler answers', async () => {
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'Integ');
    const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')) });
    const assembly = app.synth();

    // The function's own metadata names the staged asset directory and Dockerfile (what SAM reads).
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Integ.template.json'), 'utf-8'));
    const logicalId = stack.getLogicalId(fn.node.defaultChild as any);
    const metadata = template.Resources[logicalId].Metadata;
    const context = path.join(assembly.directory, metadata['aws:asset:path']);
    expect(fs.existsSync(path.join(context, 'notes.md'))).toBe(false); // .dockerignore applied at staging

    // The asset manifest carries the platform; build exactly as cdk-assets does.
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Integ.assets.json'), 'utf-8'));
    const [source] = Object.values(manifest.dockerImages).map((i: any) => i.source);
    expect(source.platform).toBe('linux/amd64');
    await docker(['build', '--tag', tag, '--platform', source.platform, '--file', path.join(context, metadata['aws:asset:dockerfile-path']), context]);

    const inspect = await docker(['image', 'inspect', tag, '--format', '{{.Os}}/{{.Architecture}}']);
    expect(inspect.stdout.trim()).toBe('linux/amd64');

    const result = await invoke(tag, { name: 'container' });
    expect(result).toMatchObject({ kind: 'response', body: { greeting: 'hello container', arch: 'x64' } });
  });
});
