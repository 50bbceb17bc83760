// `serve --watch` killed with SIGKILL after a content-only rebuild (no chance to clean up): the next run removes the
// image and the build-context copy it left, as it removes its containers. Real engine, the CLI as users run it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliProcess, startCli, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { loggingDockerClient } from './support/docker-log';
import { freePort } from './support/registry';
import { ensureStandIns } from './support/standins';
import { OWNER_LABEL } from '../../lib/local/runtime/owner';
import { tempDir } from '../support/temp-dir';

jest.setTimeout(10 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const handler = (version: string) => `'use strict';\nexports.handler = async () => ({ version: '${version}' });\n`;
const APP = `const path = require('path');
const { App, Stack, aws_lambda: lambda } = require('aws-cdk-lib');
const app = new App();
new lambda.DockerImageFunction(new Stack(app, 'Kill'), 'Fn', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'fn'), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
});
app.synth();
`;

describeWithDocker('serve --watch after SIGKILL', () => {
  const clis: CliProcess[] = [];
  let log: ReturnType<typeof loggingDockerClient>;

  afterAll(async () => {
    for (const c of clis) await c.stop();
    for (const call of log?.calls() ?? []) {
      const tag = /^build .*--tag (\S+)/.exec(call)?.[1];
      if (tag) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    }
  });

  test('the next run removes the killed run\'s content-only image and its context copy', async () => {
    const { nodeTag } = await ensureStandIns();
    const project = tempDir('ccf-watch-kill-');
    log = loggingDockerClient(tempDir('ccf-watch-kill-docker-'));
    fs.mkdirSync(path.join(project, 'fn'));
    fs.writeFileSync(path.join(project, 'fn', 'Dockerfile'), 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n');
    fs.writeFileSync(path.join(project, 'fn', 'index.js'), handler('one'));
    fs.writeFileSync(path.join(project, 'app.js'), APP);
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    const env = { NODE_PATH: path.join(ROOT, 'node_modules'), CCF_WATCH_TEST_BASE: nodeTag, CDK_DOCKER: log.client, DOCKER_BUILDKIT: '1' };
    const serve = async () => {
      const port = await freePort();
      const c = startCli(['serve', '--watch', '--port', String(port)], project, env, 5 * 60_000);
      clis.push(c);
      const ok = await waitFor(() => (c.stderr().includes('Lambda Invoke API at') ? true : c.child.exitCode !== null ? false : undefined), 'serve', 300_000);
      if (!ok) throw new Error(`serve exited:\n${c.stderr()}`);
      return { c, port };
    };

    const first = await serve();
    fs.writeFileSync(path.join(project, 'fn', 'index.js'), handler('two'));
    // Copied into the waiting environment, then its image built behind it (and a new waiting environment started from it).
    await waitFor(() => (first.c.stderr().includes('watch: Kill/Fn image built in') ? true : undefined), 'the content-only build');
    const r = await fetch(`http://127.0.0.1:${first.port}/2015-03-31/functions/Kill%2FFn/invocations`, { method: 'POST', body: '{}' });
    expect(await r.json()).toEqual({ version: 'two' });
    const pid = first.c.child.pid!;
    const image = `cdk-container-function-watch:${pid}-1`;
    const copies = () => fs.readdirSync(os.tmpdir()).filter(n => n.startsWith(`ccf-watch-${pid}-`));
    expect(copies()).toHaveLength(1);
    first.c.child.kill('SIGKILL');
    await first.c.done;
    expect((await docker(['image', 'inspect', image], { allowFailure: true })).code).toBe(0);

    const second = await serve();
    expect(second.c.stderr()).toContain(`watch: removed 1 image(s) left by an earlier run that did not exit cleanly: ${image}`);
    const containers = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${pid}`, '--format', '{{.Names}}']);
    expect(containers.stdout.trim()).toBe('');
    expect((await docker(['image', 'inspect', image], { allowFailure: true })).code).not.toBe(0);
    expect(copies()).toEqual([]);
    expect(await second.c.stop()).toEqual({ code: 0, signal: null });
  });
});
