/**
 * LambdaBaseImage.custom() for an "alternative base image" (a plain Node.js image with no Lambda
 * runtime client), on a real engine: the generated Dockerfile compiles the real aws-lambda-ric in
 * its own stage, the final image runs it as the entrypoint, and its toolchain stays behind.
 */
import { build, describeWithDocker, invoke, removeImage, shell } from './support/docker';
import { HOST_CA_BUNDLE, ensureStandIns } from './support/standins';
import { copyFixture } from './support/workspace';
import { BaseImageFamily, LambdaBaseImage, SourceBuildSecret } from '../../lib/dockerfile';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';

jest.setTimeout(30 * 60_000);

describeWithDocker('custom base + runtime interface client (Node.js) on a real engine', () => {
  const tag = `ccf-integ/custom-ric:${process.pid}`;
  let dockerfile: string;

  beforeAll(async () => {
    const bases = await ensureStandIns();
    const staged = stageSourceImage('IntegStack/CustomFn', copyFixture('node-plain'), {
      base: LambdaBaseImage.custom(bases.nodePlainTag, { family: BaseImageFamily.NODEJS }),
      handler: 'index.handler',
      buildSecrets: [SourceBuildSecret.caBundle(HOST_CA_BUNDLE)], // npm's registry, for aws-lambda-ric
    });
    dockerfile = staged.dockerfile;
    await build({ context: staged.directory, file: staged.file, tag, secrets: staged.buildSecrets });
  });

  afterAll(() => removeImage(tag));

  test('the generated Dockerfile installs aws-lambda-ric in a stage and makes it the entrypoint', () => {
    expect(dockerfile).toMatch(/AS ric\n/);
    expect(dockerfile).toContain('npm install --omit=dev --no-audit --no-fund --no-package-lock aws-lambda-ric@3.3.0');
    expect(dockerfile).toContain('ENTRYPOINT ["node","/opt/aws-lambda-ric/node_modules/aws-lambda-ric/bin/index.mjs"]');
  });

  test('the function answers through the real runtime client, from the task root', async () => {
    const r = await invoke(tag, { hello: 'custom' });
    expect(r.kind).toBe('response');
    expect(r.body).toMatchObject({ echo: { hello: 'custom' }, taskRoot: '/var/task', cwd: '/var/task', functionName: 'ccf-integ' });
  });

  test('the runtime client\'s build toolchain is not in the final image', async () => {
    const out = await shell(tag, 'for t in gcc g++ cc make cmake autoconf libtool; do command -v $t >/dev/null && echo "has $t"; done; true');
    expect(out.trim()).toBe('');
  });
});
