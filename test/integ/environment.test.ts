/**
 * The `environment` option reaches the image config literally: quotes, `$`, `${...}`, backslashes
 * and spaces survive Dockerfile ENV quoting (checked with the real engine, not a parser's idea of it).
 */
import { build, describeWithDocker, docker, removeImage } from './support/docker';
import { ensureStandIns } from './support/standins';
import { copyFixture } from './support/workspace';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';

jest.setTimeout(30 * 60_000);

const ENVIRONMENT = {
  PLAIN: 'plain',
  QUOTES: 'say "hi" and \'bye\'',
  DOLLAR: 'cost $5, not ${PRICE} or $(date)',
  BACKSLASH: 'C:\\path\\ends\\',
  SPACES: '  padded  ',
  TAB: 'a\tb',
  EMPTY: '',
  UNICODE: 'naïve ✓',
};

describeWithDocker('environment option on a real engine', () => {
  const tag = `ccf-integ/environment:${process.pid}`;
  afterAll(() => removeImage(tag));

  test('every value arrives unchanged in the image config', async () => {
    const bases = await ensureStandIns();
    const staged = stageSourceImage('IntegStack/EnvFn', copyFixture('python-native'), {
      base: bases.python, handler: 'app.lambda_handler', systemPackages: ['gcc', 'libc6-dev', 'python3-dev'], environment: ENVIRONMENT,
    });
    await build({ context: staged.directory, file: staged.file, tag });
    const env: string[] = JSON.parse((await docker(['image', 'inspect', tag, '--format', '{{json .Config.Env}}'])).stdout);
    const got = Object.fromEntries(env.map(e => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    for (const [k, v] of Object.entries(ENVIRONMENT)) expect({ [k]: got[k] }).toEqual({ [k]: v });
  });
});
