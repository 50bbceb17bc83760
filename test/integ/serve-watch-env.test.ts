// `serve --watch --env-vars FILE` against the real engine, through the CLI: the overrides file is a dot file, which the
// app-source rules leave out, yet an edit to it reloads the function with the new variables (same image, no build).
import * as fs from 'fs';
import * as path from 'path';
import { CliProcess, startCli, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { loggingDockerClient } from './support/docker-log';
import { freePort } from './support/registry';
import { ensureStandIns } from './support/standins';
import { tempDir } from '../support/temp-dir';

jest.setTimeout(10 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const APP = `const path = require('path');
const { App, Stack, aws_lambda: lambda } = require('aws-cdk-lib');
const app = new App();
const stack = new Stack(app, 'Env');
new lambda.DockerImageFunction(stack, 'Fn', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'fn'), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
  environment: { GREETING: 'from the template' },
});
app.synth();
`;

describeWithDocker('serve --watch: the --env-vars file', () => {
  let project: string;
  let cli: CliProcess | undefined;
  let log: ReturnType<typeof loggingDockerClient>;

  afterAll(async () => {
    await cli?.stop();
    for (const call of log?.calls() ?? []) {
      const tag = /^build .*--tag (\S+)/.exec(call)?.[1];
      if (tag) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    }
  });

  test('an edit to it reloads the function with the new values, without a build', async () => {
    const { nodeTag } = await ensureStandIns();
    project = tempDir('ccf-watch-env-');
    log = loggingDockerClient(tempDir('ccf-watch-env-docker-'));
    fs.mkdirSync(path.join(project, 'fn'));
    fs.writeFileSync(path.join(project, 'fn', 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n');
    fs.writeFileSync(path.join(project, 'fn', 'index.js'), '\'use strict\';\nexports.handler = async () => ({ greeting: process.env.GREETING });\n');
    fs.writeFileSync(path.join(project, 'app.js'), APP);
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    const envFile = path.join(project, '.env.json');
    fs.writeFileSync(envFile, JSON.stringify({ 'Env/Fn': { GREETING: 'first' } }));
    const port = await freePort();
    cli = startCli(['serve', '--watch', '--port', String(port), '--env-vars', '.env.json'], project, {
      NODE_PATH: path.join(ROOT, 'node_modules'), CCF_WATCH_TEST_BASE: nodeTag, CDK_DOCKER: log.client, DOCKER_BUILDKIT: '1',
    });
    const c = cli;
    const ok = await waitFor(() => (c.stderr().includes('Lambda Invoke API at') ? true : c.child.exitCode !== null ? false : undefined), 'serve', 300_000);
    if (!ok) throw new Error(`serve exited:\n${c.stderr()}`);
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
