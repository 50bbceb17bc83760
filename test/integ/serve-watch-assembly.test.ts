// `serve --watch --app <assembly directory>`: nothing to synthesize, so the assembly is watched; a source edit alone
// does nothing, and the user's own `cdk synth` (here: the app run as the CDK CLI runs it) is served.
import { spawnSync } from 'child_process';
import { waitFor } from './support/cli-process';
import { describeWithDocker } from './support/docker';
import { freePort } from './support/registry';
import { HANDLER_DOCKERFILE, WatchProject, dockerImageFunctionApp, versionHandler } from './support/watch-project';

jest.setTimeout(10 * 60_000);

describeWithDocker('serve --watch on an assembly directory', () => {
  let project: WatchProject | undefined;

  afterAll(async () => {
    expect(await project?.cleanUp()).toEqual([]);
  });

  test('a source edit alone does nothing; a new synth into the directory is served', async () => {
    const p = project = await WatchProject.create('ccf-watch-asm', {
      'fn/Dockerfile': HANDLER_DOCKERFILE,
      'fn/index.js': versionHandler('one'),
      'app.js': dockerImageFunctionApp('Asm', [{ id: 'Fn', dir: 'fn' }]),
    });
    const synth = () => {
      const r = spawnSync(process.execPath, ['app.js'], { cwd: p.directory, env: { ...process.env, ...p.env, CDK_OUTDIR: p.path('out') }, encoding: 'utf8' });
      expect(r.status).toBe(0);
    };
    synth();
    const port = await freePort();
    const c = await p.start(['serve', '--watch', '--app', 'out', '--port', String(port)], 'Lambda Invoke API at', 5 * 60_000);
    expect(c.stderr()).toContain('watch: out is an assembly directory: watching it (run cdk synth to serve an edit)');
    const version = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Asm%2FFn/invocations`, { method: 'POST', body: '{}' });
      return (await r.json() as { version: string }).version;
    };
    expect(await version()).toBe('one');

    p.write('fn/index.js', versionHandler('two'));
    await new Promise(r => setTimeout(r, 2000));
    expect(c.stderr()).not.toMatch(/watch: Asm\/Fn rebuilt/);
    expect(await version()).toBe('one');

    synth();
    await waitFor(() => (c.stderr().match(/^watch: Asm\/Fn rebuilt in [\d.]+ s \(out\/manifest\.json changed; assembly read [\d.]+ s\)$/m) ? true : undefined), 'the rebuild');
    expect(await version()).toBe('two');
    expect(await c.stop()).toEqual({ code: 0, signal: null });
  });
});
