// `serve --watch` against the real engine, through the CLI as users run it: a project with an app command in
// cdk.json and two functions, each a Dockerfile directory (one with a .dockerignore), on the Node.js stand-in with the
// real aws-lambda-ric, called with Node's fetch through the Invoke API. Every Docker call the server makes goes through
// a logging client (CDK_DOCKER), so the test sees what is built and inspected, and removes every image it built.
import { CliProcess, waitFor } from './support/cli-process';
import { describeWithDocker, docker } from './support/docker';
import { freePort } from './support/registry';
import { WatchProject, versionHandler as handler } from './support/watch-project';

jest.setTimeout(15 * 60_000);

// The sleep after the COPY makes every rebuild last a while, so requests surely arrive during one.
const DOCKERFILE = 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nRUN sleep 2\nCMD ["index.handler"]\n';
const app = (functions: string[]) => `const path = require('path');
const { App, Stack, aws_lambda: lambda } = require('aws-cdk-lib');
const app = new App();
const stack = new Stack(app, 'Watch');
for (const name of ${JSON.stringify(functions)}) {
  new lambda.DockerImageFunction(stack, name, {
    code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'functions', name.toLowerCase()), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
  });
}
app.synth();
`;

describeWithDocker('serve --watch', () => {
  let project: WatchProject;
  let cli: CliProcess | undefined;
  let port: number;
  let log: WatchProject['log'];
  const write = (file: string, text: string) => project.write(file, text);

  beforeAll(async () => {
    project = await WatchProject.create('ccf-watch', {
      ...Object.fromEntries([['greeter', 'one'], ['other', 'other-one'], ['added', 'added-one']].flatMap(([name, version]) => [
        [`functions/${name}/Dockerfile`, DOCKERFILE], [`functions/${name}/index.js`, handler(version)],
      ])),
      'functions/greeter/.dockerignore': 'notes.md\n',
      'functions/greeter/notes.md': 'first notes\n',
      'app.js': app(['Greeter', 'Other']),
      'cdk.json': JSON.stringify({ app: 'node app.js' }),
    });
    log = project.log;
    port = await freePort();
    cli = await project.start(['serve', '--watch', '--port', String(port)]);
  });

  afterAll(async () => {
    // Every image the server built (its --tag) removed, and no container of its own left.
    expect(await project?.cleanUp()).toEqual([]);
  });

  const invoke = async (fn: string): Promise<{ status: number; version?: string }> => {
    const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Watch%2F${fn}/invocations`, { method: 'POST', body: '{}' });
    const body = await r.text();
    return { status: r.status, version: r.status === 200 ? (JSON.parse(body) as { version: string }).version : body };
  };
  const version = async (fn: string) => {
    const r = await invoke(fn);
    expect(r.status).toBe(200);
    return r.version;
  };
  const watchLines = () => cli!.stderr().split('\n').filter(l => /^watch: \S+ (rebuilt|added|removed|reloaded)|FAILED|no served function changed/.test(l));
  const nextWatchLine = (before: number, label: string) =>
    waitFor(() => (watchLines().length > before ? watchLines()[before] : undefined), label, 300_000);

  test('watches the user\'s build contexts (not cdk.out\'s copies) and the app source', () => {
    const err = cli!.stderr();
    expect(err).toContain('watch: build context functions/greeter (Watch/Greeter; .dockerignore and exclude honoured)');
    expect(err).toContain('watch: build context functions/other (Watch/Other;');
    expect(err).toMatch(/watch: app source \. \(everything but the assembly, dependencies and dot files\)/);
  });

  test('warm requests make no Docker call: no image is rebuilt or inspected per request', async () => {
    expect(await version('Greeter')).toBe('one');
    expect(await version('Other')).toBe('other-one');
    const before = log.calls().length;
    for (let i = 0; i < 10; i++) {
      expect(await version('Greeter')).toBe('one');
      expect(await version('Other')).toBe('other-one');
    }
    expect(log.calls().slice(before)).toEqual([]);
  });

  test('a handler edit: only its image is rebuilt, and from the rebuild\'s end no answer comes from the old code', async () => {
    expect(await version('Greeter')).toBe('one');
    // Warm, so calling it below starts nothing.
    expect(await version('Other')).toBe('other-one');
    const lines = watchLines().length;
    const callsBefore = log.calls().length;
    // Callers keep invoking, before, during and after the rebuild.
    const answers: { sent: number; received: number; version?: string; status: number }[] = [];
    let stop = false;
    const caller = async () => {
      while (!stop) {
        const sent = Date.now();
        const r = await invoke('Greeter');
        answers.push({ sent, received: Date.now(), ...r });
      }
    };
    // One caller of the other function, which the edit does not touch.
    const otherAnswers: { received: number; version?: string }[] = [];
    const otherCaller = async () => {
      while (!stop) otherAnswers.push({ ...await invoke('Other'), received: Date.now() });
    };
    const callers = [caller(), caller(), caller(), otherCaller()];
    await new Promise(r => setTimeout(r, 300));
    write('functions/greeter/index.js', handler('two'));
    const edited = Date.now();
    const line = await nextWatchLine(lines, 'the rebuild line');
    // A content-only edit: no synth, the image rebuilt from its last context with the edited file.
    expect(line).toMatch(/^watch: Watch\/Greeter rebuilt in [\d.]+ s \(functions\/greeter\/index\.js changed; contents only, no synth\)$/);
    const end = cli!.lineTimes().find(l => l.line === line)!.at;
    await new Promise(r => setTimeout(r, 1000));
    stop = true;
    await Promise.all(callers);
    expect(answers.every(a => a.status === 200)).toBe(true);
    expect(answers.filter(a => a.received < edited).map(a => a.version)).toContain('one');
    // Every answer received after the rebuild line: new code. (Requests that waited for the rebuild are among them.)
    const after = answers.filter(a => a.received >= end);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter(a => a.version !== 'two')).toEqual([]);
    // Requests waited for the rebuild (sent well before its end, answered after it), and got the new code.
    const waited = answers.filter(a => a.sent < end - 500 && a.received >= end - 100);
    expect(waited.length).toBeGreaterThan(0);
    expect(waited.filter(a => a.version !== 'two')).toEqual([]);
    // The other function's requests were not held: answered while Greeter's image was being built (its RUN sleeps 2 s).
    const during = otherAnswers.filter(a => a.received > edited + 500 && a.received < end - 500);
    expect(during.length).toBeGreaterThan(0);
    expect(otherAnswers.filter(a => a.version !== 'other-one')).toEqual([]);
    // One build, of Greeter's new asset; Other's image was neither built nor inspected.
    const calls = log.calls().slice(callsBefore);
    const builds = calls.filter(c => c.startsWith('build '));
    expect(builds).toHaveLength(1);
    const otherTag = /--tag (\S+)/.exec(log.calls().find(c => c.startsWith('build ') && c.includes('other')) ?? '')?.[1];
    if (otherTag) expect(calls.filter(c => c.includes(otherTag))).toEqual([]);
    const newTag = /--tag (\S+)/.exec(builds[0])![1];
    expect(newTag).toBe(`cdk-container-function-watch:${cli!.child.pid}-1`);
    // The new image only, read once for running it.
    expect(calls.filter(c => c.startsWith('image inspect'))).toEqual([expect.stringMatching(new RegExp(` ${newTag}$`))]);
    expect(await version('Other')).toBe('other-one');
  });

  test('an edit to a .dockerignore\'d file does nothing: no line, no Docker call', async () => {
    const lines = watchLines().length;
    const calls = log.calls().length;
    write('functions/greeter/notes.md', 'second notes\n');
    await new Promise(r => setTimeout(r, 3000));
    expect(watchLines()).toHaveLength(lines);
    expect(log.calls().slice(calls)).toEqual([]);
    expect(await version('Greeter')).toBe('two');
  });

  test('a failed build prints Docker\'s error and keeps the last good image serving; the next edit retries', async () => {
    let lines = watchLines().length;
    write('functions/greeter/index.js', handler('three'));
    write('functions/greeter/Dockerfile', `${DOCKERFILE}RUN echo broken-step-of-the-test && exit 7\n`);
    const failed = await nextWatchLine(lines, 'the failed build');
    expect(failed).toMatch(/^watch: Watch\/Greeter: build FAILED after [\d.]+ s \(.*functions\/greeter\/Dockerfile.*\); still serving the last good image; the next edit retries:$/);
    expect(cli!.stderr()).toMatch(/exit 7/);
    expect(await version('Greeter')).toBe('two');
    lines = watchLines().length;
    write('functions/greeter/Dockerfile', DOCKERFILE);
    expect(await nextWatchLine(lines, 'the retried build')).toMatch(/^watch: Watch\/Greeter rebuilt in /);
    expect(await version('Greeter')).toBe('three');
  });

  test('an app source edit re-synthesizes: a new function appears, a removed one goes', async () => {
    let lines = watchLines().length;
    expect((await invoke('Added')).status).toBe(404);
    write('app.js', app(['Greeter', 'Other', 'Added']));
    await waitFor(() => (watchLines().slice(lines).some(l => l.includes('Watch/Added added')) ? true : undefined), 'the added function', 300_000);
    // Greeter, last built from its edited contents, is back on its asset image (what cdk deploy publishes).
    expect(watchLines().slice(lines)).toEqual([
      expect.stringMatching(/^watch: Watch\/Greeter rebuilt in [\d.]+ s \(app\.js changed; synth [\d.]+ s\)$/),
      expect.stringMatching(/^watch: Watch\/Added added in [\d.]+ s \(app\.js changed; synth [\d.]+ s\)$/),
    ]);
    expect(cli!.stderr()).toContain('watch: build context functions/added');
    expect(await version('Added')).toBe('added-one');
    // Its context is watched from now on.
    lines = watchLines().length;
    write('functions/added/index.js', handler('added-two'));
    expect(await nextWatchLine(lines, 'the added function rebuilt')).toMatch(/^watch: Watch\/Added rebuilt in /);
    expect(await version('Added')).toBe('added-two');
    lines = watchLines().length;
    write('app.js', app(['Greeter', 'Added']));
    await waitFor(() => (watchLines().slice(lines).some(l => l.includes('Watch/Other removed')) ? true : undefined), 'the removed function', 300_000);
    expect(watchLines().slice(lines)).toEqual([
      expect.stringMatching(/^watch: Watch\/Added rebuilt in [\d.]+ s \(app\.js changed; synth [\d.]+ s\)$/),
      'watch: Watch/Other removed (app.js changed)',
    ]);
    expect((await invoke('Other')).status).toBe(404);
    expect(await version('Greeter')).toBe('three');
  });

  test('Ctrl+C removes every container and the images of content-only rebuilds, and exits 0', async () => {
    const r = await cli!.stop();
    expect(r).toEqual({ code: 0, signal: null });
    const left = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'cdk-container-function-watch']);
    expect(left.stdout.split('\n').filter(t => t.endsWith(`:${cli!.child.pid}-1`) || t.includes(`:${cli!.child.pid}-`))).toEqual([]);
  });
});
