// `serve --watch` killed with SIGKILL after a content-only rebuild (no chance to clean up): the next run removes the
// image and the build-context copy it left, as it removes its containers. Real engine, the CLI as users run it.
import * as fs from 'fs';
import * as os from 'os';
import { waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { freePort } from './support/registry';
import { HANDLER_DOCKERFILE, WatchProject, dockerImageFunctionApp, versionHandler } from './support/watch-project';
import { OWNER_LABEL } from '../../lib/local/runtime/owner';

jest.setTimeout(10 * 60_000);

describeWithDocker('serve --watch after SIGKILL', () => {
  let project: WatchProject | undefined;

  afterAll(async () => {
    await project?.cleanUp();
  });

  test('the next run removes the killed run\'s content-only image and its context copy', async () => {
    const p = project = await WatchProject.create('ccf-watch-kill', {
      'fn/Dockerfile': HANDLER_DOCKERFILE,
      'fn/index.js': versionHandler('one'),
      'app.js': dockerImageFunctionApp('Kill', [{ id: 'Fn', dir: 'fn' }]),
      'cdk.json': JSON.stringify({ app: 'node app.js' }),
    });
    const serve = async () => {
      const port = await freePort();
      return { c: await p.start(['serve', '--watch', '--port', String(port)], 'Lambda Invoke API at', 5 * 60_000), port };
    };

    const first = await serve();
    p.write('fn/index.js', versionHandler('two'));
    // Copied into the waiting environment, then its image built behind it (and a new waiting environment started from it).
    await waitFor(() => (first.c.stderr().includes('watch: Kill/Fn image built in') ? true : undefined), 'the content-only build');
    const r = await fetch(`http://127.0.0.1:${first.port}/2015-03-31/functions/Kill%2FFn/invocations`, { method: 'POST', body: '{}' });
    expect(await r.json()).toEqual({ version: 'two' });
    const pid = first.c.child.pid!;
    const image = `cdk-container-function-watch:${pid}-1`;
    const copies = () => fs.readdirSync(os.tmpdir()).filter(n => n.startsWith(`ccf-watch-${pid}-`));
    expect(copies()).toHaveLength(1);
    const containersOf = async (owner: number) => (await docker(['ps', '-a', '--no-trunc', '--filter', `label=${OWNER_LABEL}=${owner}`, '--format', '{{.Names}} {{.Command}}']))
      .stdout.split('\n').filter(Boolean);
    await waitFor(async () => ((await containersOf(pid)).some(c => c.includes('ccf-held')) ? true : undefined), 'the new waiting environment', 60_000);
    first.c.child.kill('SIGKILL');
    await first.c.done;
    // The waiting environment ends by itself (its stdin closed with the process), before any next run sweeps.
    await waitFor(async () => ((await containersOf(pid)).some(c => c.includes('ccf-held')) ? undefined : true), 'the waiting environment to end', 30_000);
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
