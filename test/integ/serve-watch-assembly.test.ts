// `serve --watch --app <assembly directory>`: nothing to synthesize, so the assembly is watched; a source edit alone
// does nothing, and the user's own `cdk synth` (here: the app run as the CDK CLI runs it) is served.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startCli, waitFor, CliProcess } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { loggingDockerClient } from './support/docker-log';
import { freePort } from './support/registry';
import { ensureStandIns } from './support/standins';
import { tempDir } from '../support/temp-dir';

jest.setTimeout(10 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const handler = (version: string) => `'use strict';\nexports.handler = async () => ({ version: '${version}' });\n`;
const APP = `const path = require('path');
const { App, Stack, aws_lambda: lambda } = require('aws-cdk-lib');
const app = new App();
new lambda.DockerImageFunction(new Stack(app, 'Asm'), 'Fn', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'fn'), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
});
app.synth();
`;

describeWithDocker('serve --watch on an assembly directory', () => {
  let cli: CliProcess | undefined;
  let log: ReturnType<typeof loggingDockerClient>;

  afterAll(async () => {
    await cli?.stop();
    for (const call of log?.calls() ?? []) {
      const tag = /^build .*--tag (\S+)/.exec(call)?.[1];
      if (tag) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    }
  });

  test('a source edit alone does nothing; a new synth into the directory is served', async () => {
    const { nodeTag } = await ensureStandIns();
    const project = tempDir('ccf-watch-asm-');
    log = loggingDockerClient(tempDir('ccf-watch-asm-docker-'));
    fs.mkdirSync(path.join(project, 'fn'));
    fs.writeFileSync(path.join(project, 'fn', 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n');
    fs.writeFileSync(path.join(project, 'fn', 'index.js'), handler('one'));
    fs.writeFileSync(path.join(project, 'app.js'), APP);
    const env = { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), CCF_WATCH_TEST_BASE: nodeTag };
    const synth = () => {
      const r = spawnSync(process.execPath, ['app.js'], { cwd: project, env: { ...env, CDK_OUTDIR: path.join(project, 'out') }, encoding: 'utf8' });
      expect(r.status).toBe(0);
    };
    synth();
    const port = await freePort();
    cli = startCli(['serve', '--watch', '--app', 'out', '--port', String(port)], project, { ...env, CDK_DOCKER: log.client, DOCKER_BUILDKIT: '1' }, 5 * 60_000);
    const c = cli;
    const ok = await waitFor(() => (c.stderr().includes('Lambda Invoke API at') ? true : c.child.exitCode !== null ? false : undefined), 'serve', 300_000);
    if (!ok) throw new Error(`serve exited:\n${c.stderr()}`);
    expect(c.stderr()).toContain('watch: out is an assembly directory: watching it (run cdk synth to serve an edit)');
    const version = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Asm%2FFn/invocations`, { method: 'POST', body: '{}' });
      return (await r.json() as { version: string }).version;
    };
    expect(await version()).toBe('one');

    fs.writeFileSync(path.join(project, 'fn', 'index.js'), handler('two'));
    await new Promise(r => setTimeout(r, 2000));
    expect(c.stderr()).not.toMatch(/watch: Asm\/Fn rebuilt/);
    expect(await version()).toBe('one');

    synth();
    await waitFor(() => (c.stderr().match(/^watch: Asm\/Fn rebuilt in [\d.]+ s \(out\/manifest\.json changed; assembly read [\d.]+ s\)$/m) ? true : undefined), 'the rebuild');
    expect(await version()).toBe('two');
    expect(await c.stop()).toEqual({ code: 0, signal: null });
  });
});
