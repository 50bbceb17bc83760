// `serve --watch --env-vars FILE` against the real engine, through the CLI: the overrides file is a dot file, which the
// app-source rules leave out, yet an edit to it reloads the function with the new variables (same image, no build).
import * as fs from 'fs';
import { waitFor } from './support/cli-process';
import { describeWithDocker } from './support/docker';
import { freePort } from './support/registry';
import { HANDLER_DOCKERFILE, WatchProject, dockerImageFunctionApp } from './support/watch-project';

jest.setTimeout(10 * 60_000);

describeWithDocker('serve --watch: the --env-vars file', () => {
  let project: WatchProject | undefined;

  afterAll(async () => {
    expect(await project?.cleanUp()).toEqual([]);
  });

  test('an edit to it reloads the function with the new values, without a build', async () => {
    project = await WatchProject.create('ccf-watch-env', {
      'fn/Dockerfile': HANDLER_DOCKERFILE,
      'fn/index.js': '\'use strict\';\nexports.handler = async () => ({ greeting: process.env.GREETING });\n',
      'app.js': dockerImageFunctionApp('Env', [{ id: 'Fn', dir: 'fn', props: 'environment: { GREETING: \'from the template\' },' }]),
      'cdk.json': JSON.stringify({ app: 'node app.js' }),
      '.env.json': JSON.stringify({ 'Env/Fn': { GREETING: 'first' } }),
    });
    const envFile = project.path('.env.json');
    const log = project.log;
    const port = await freePort();
    const c = await project.start(['serve', '--watch', '--port', String(port), '--env-vars', '.env.json']);
    const greeting = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Env%2FFn/invocations`, { method: 'POST', body: '{}' });
      return ((await r.json()) as { greeting: string }).greeting;
    };
    expect(await greeting()).toBe('first');

    const builds = () => log.calls().filter(call => call.startsWith('build ')).length;
    const buildsBefore = builds();
    fs.writeFileSync(envFile, JSON.stringify({ 'Env/Fn': { GREETING: 'second' } }));
    const line = await waitFor(() => c.stderr().split('\n').find(l => l.startsWith('watch: Env/Fn reloaded')), 'the reload', 120_000)
      .catch(e => { throw new Error(`${(e as Error).message}; serve said:\n${c.stderr()}`); });
    expect(line).toMatch(/^watch: Env\/Fn reloaded \(same image, new settings\) in [\d.]+ s \(\.env\.json changed; synth [\d.]+ s\)$/);
    expect(await greeting()).toBe('second');
    expect(builds()).toBe(buildsBefore);
  });
});
