// `serve --watch`'s waiting environments against the real engine, through the CLI: a Node.js function whose Dockerfile
// ends in the handler's COPY (AWS's documented form), on the Node.js stand-in with the real aws-lambda-ric, called with
// Node's fetch. A handler edit is copied into a held container of the last image and answers before any `docker build`;
// the image is built behind it and new environments run it; an edit a build would do more for is built as before.
import * as fs from 'fs';
import { CliProcess, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { freePort } from './support/registry';
import { WatchProject, dockerImageFunctionApp } from './support/watch-project';
import { OWNER_LABEL } from '../../lib/local/runtime/owner';

jest.setTimeout(15 * 60_000);

// Waits `ms` before answering, so concurrent requests need a second environment.
const handler = (version: string) => `'use strict';
exports.handler = async (event) => {
  await new Promise(r => setTimeout(r, event.ms ?? 0));
  return { version: '${version}', mode: (require('fs').statSync(__filename).mode & 0o777).toString(8), uid: require('fs').statSync(__filename).uid };
};
`;
const DOCKERFILE = 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}\nCMD ["index.handler"]\n';

describeWithDocker('serve --watch: an edit copied into a waiting environment', () => {
  let project: WatchProject;
  let cli: CliProcess;
  let port: number;
  const write = (file: string, text: string) => project.write(file, text);
  const log = { calls: () => project.log.calls() };

  beforeAll(async () => {
    project = await WatchProject.create('ccf-watch-standby', {
      'fn/Dockerfile': DOCKERFILE,
      'fn/index.js': handler('one'),
      'app.js': dockerImageFunctionApp('Standby', [{ id: 'Fn', dir: 'fn' }]),
      'cdk.json': JSON.stringify({ app: 'node app.js' }),
    });
    fs.chmodSync(project.path('fn/index.js'), 0o644);
    port = await freePort();
    cli = await project.start(['serve', '--watch', '--port', String(port)]);
  });

  afterAll(async () => {
    // Waiting environments included: none is left.
    expect(await project?.cleanUp()).toEqual([]);
  });

  const invoke = async (event: object = {}) => {
    const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Standby%2FFn/invocations`, { method: 'POST', body: JSON.stringify(event) });
    expect(r.status).toBe(200);
    return await r.json() as { version: string; mode: string; uid: number };
  };
  const heldRuns = () => log.calls().filter(c => /^run --rm -i /.test(c));
  const watchLines = () => cli.stderr().split('\n').filter(l => /^watch: Standby\/Fn (rebuilt|updated|image built)|FAILED/.test(l));
  const nextWatchLine = (before: number, label: string) => waitFor(() => watchLines()[before], label, 300_000);

  test('a handler edit answers from the waiting environment before any build; the image is built behind it and serves new environments', async () => {
    expect((await invoke()).version).toBe('one');
    // The waiting environment: started held (-i, the runtime behind a shell that waits for one line).
    await waitFor(() => (heldRuns().length === 1 ? true : undefined), 'the waiting environment', 60_000);
    expect(heldRuns()[0]).toMatch(/--entrypoint \/bin\/sh \S+ -c read -r _ \|\| exit 0; exec "\$@" <\/dev\/null ccf-held \/lambda-entrypoint\.sh index\.handler$/);

    const callsBefore = log.calls().length;
    const lines = watchLines().length;
    write('fn/index.js', handler('two'));
    fs.chmodSync(project.path('fn/index.js'), 0o755);
    const updated = await nextWatchLine(lines, 'the update');
    expect(updated).toMatch(/^watch: Standby\/Fn updated in [\d.]+ s \(fn\/index\.js changed; copied into a waiting environment, the image builds behind it\)$/);
    // As COPY writes it: root's, with the source's mode.
    expect(await invoke()).toEqual({ version: 'two', mode: '755', uid: 0 });
    const calls = log.calls().slice(callsBefore);
    const copied = calls.findIndex(c => /^cp -a - ccf-local-\S+:\/$/.test(c));
    const built = calls.findIndex(c => c.startsWith('build '));
    expect(copied).toBeGreaterThanOrEqual(0);
    expect(built).toBeGreaterThan(copied);

    // The image, built behind it: two requests at once need a second environment, which runs it.
    expect(await nextWatchLine(lines + 1, 'the image build')).toMatch(/^watch: Standby\/Fn image built in [\d.]+ s \(fn\/index\.js changed\)$/);
    const tag = /--tag (\S+)/.exec(calls[built])![1];
    const both = await Promise.all([invoke({ ms: 1500 }), invoke({ ms: 1500 })]);
    expect(both.map(b => b.version)).toEqual(['two', 'two']);
    expect(log.calls().filter(c => c.startsWith('run --rm --name ') && c.split(' ').includes(tag))).toHaveLength(1);

    // A new waiting environment, of the built image, takes the next edit.
    await waitFor(() => (heldRuns().length === 2 ? true : undefined), 'the next waiting environment', 60_000);
    expect(heldRuns()[1]).toContain(` ${tag} -c `);
    write('fn/index.js', handler('three'));
    expect(await nextWatchLine(lines + 2, 'the second update')).toMatch(/^watch: Standby\/Fn updated in /);
    expect((await invoke()).version).toBe('three');
  });

  test('an edit a build does more for (the Dockerfile) is built, and the line says why', async () => {
    await nextWatchLine(3, 'the second image build');
    await waitFor(() => (heldRuns().length === 3 ? true : undefined), 'the third waiting environment', 60_000);
    const lines = watchLines().length;
    write('fn/Dockerfile', `${DOCKERFILE}ENV MARK=four\n`);
    const line = await nextWatchLine(lines, 'the build');
    expect(line).toMatch(/^watch: Standby\/Fn rebuilt in [\d.]+ s \(fn\/Dockerfile changed; contents only, no synth; built: the Dockerfile changed\)$/);
    expect((await invoke()).version).toBe('three');
  });

  test('at exit, every image serve built is gone, untagged ones included (an adopted environment kept its old image until it went)', async () => {
    const pid = cli.child.pid!;
    expect(await cli.stop()).toEqual({ code: 0, signal: null });
    const images = await docker(['image', 'ls', '-a', '--quiet', '--filter', `label=${OWNER_LABEL}=${pid}`]);
    expect(images.stdout.trim()).toBe('');
  });
});
