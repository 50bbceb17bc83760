// `api --watch` against the real engine, through the CLI: an HTTP API of a CDK app (app command in cdk.json) whose
// routes run Dockerfile functions on the Node.js stand-in with the real aws-lambda-ric, called with Node's fetch. A
// handler edit is served by the next request (callers running throughout see no old answer after the rebuild's line);
// an app edit adds a route and its function, and removes them again.
import { CliProcess, waitFor } from './support/cli-process';
import { describeWithDocker } from './support/docker';
import { freePort } from './support/registry';
import { HANDLER_DOCKERFILE, WatchProject } from './support/watch-project';

jest.setTimeout(15 * 60_000);

const handler = (body: string) => `'use strict';\nexports.handler = async () => ({ statusCode: 200, body: '${body}' });\n`;
const app = (routes: string[], urls: string[] = []) => `const path = require('path');
const { App, Stack, aws_lambda: lambda, aws_apigatewayv2: apigw, aws_apigatewayv2_integrations: integrations } = require('aws-cdk-lib');
const app = new App();
const stack = new Stack(app, 'Watch');
const api = new apigw.HttpApi(stack, 'Http');
for (const name of ${JSON.stringify(routes)}) {
  const fn = new lambda.DockerImageFunction(stack, name, {
    code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'functions', name.toLowerCase()), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
  });
  const integration = new integrations.HttpLambdaIntegration(name + 'Integration', fn);
  api.addRoutes({ path: '/' + name.toLowerCase(), methods: [apigw.HttpMethod.GET], integration });
}
for (const name of ${JSON.stringify(urls)}) {
  new lambda.DockerImageFunction(stack, name, {
    code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'functions', name.toLowerCase()), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),
  }).addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
}
app.synth();
`;

describeWithDocker('api --watch', () => {
  let project: WatchProject;
  let cli: CliProcess | undefined;
  let port: number;
  const write = (file: string, text: string) => project.write(file, text);

  beforeAll(async () => {
    project = await WatchProject.create('ccf-api-watch', {
      ...Object.fromEntries([['hello', 'hello-one'], ['bye', 'bye-one'], ['url', 'url-one']].flatMap(([name, body]) => [
        [`functions/${name}/Dockerfile`, HANDLER_DOCKERFILE], [`functions/${name}/index.js`, handler(body)],
      ])),
      'app.js': app(['Hello']),
      'cdk.json': JSON.stringify({ app: 'node app.js' }),
    });
    port = await freePort();
    cli = await project.start(['api', '--watch', '--port', String(port)], 'Ctrl+C stops');
  });

  afterAll(async () => {
    expect(await project?.cleanUp()).toEqual([]);
  });

  const get = async (p: string) => {
    const r = await fetch(`http://127.0.0.1:${port}${p}`);
    return { status: r.status, body: await r.text() };
  };
  const watchLines = () => cli!.stderr().split('\n').filter(l => /^watch: (\S+ (rebuilt|updated|added|removed)|route |.*FAILED)/.test(l));
  const nextWatchLines = (before: number, count: number, label: string) =>
    waitFor(() => (watchLines().length >= before + count ? watchLines().slice(before) : undefined), label, 300_000);

  test('a handler edit: the route serves the new code, and after the rebuild\'s line no answer comes from the old', async () => {
    expect(await get('/hello')).toEqual({ status: 200, body: 'hello-one' });
    const lines = watchLines().length;
    const answers: { received: number; body: string; status: number }[] = [];
    let stop = false;
    const caller = async () => {
      while (!stop) {
        const r = await get('/hello');
        answers.push({ received: Date.now(), ...r });
      }
    };
    const callers = [caller(), caller()];
    await new Promise(r => setTimeout(r, 300));
    write('functions/hello/index.js', handler('hello-two'));
    const [line] = await nextWatchLines(lines, 1, 'the rebuild line');
    // The Dockerfile ends in the handler's COPY: the edit is copied into the waiting environment, its image built behind it.
    expect(line).toMatch(/^watch: Watch\/Hello updated in [\d.]+ s \(functions\/hello\/index\.js changed; copied into a waiting environment, the image builds behind it\)$/);
    const end = cli!.lineTimes().find(l => l.line === line)!.at;
    await new Promise(r => setTimeout(r, 1000));
    stop = true;
    await Promise.all(callers);
    expect(answers.every(a => a.status === 200)).toBe(true);
    expect(answers.map(a => a.body)).toContain('hello-one');
    const after = answers.filter(a => a.received >= end);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter(a => a.body !== 'hello-two')).toEqual([]);
  });

  test('an app edit adds a route and its function; another removes them', async () => {
    let lines = watchLines().length;
    expect((await get('/bye')).status).toBe(404);
    write('app.js', app(['Hello', 'Bye']));
    const added = await nextWatchLines(lines, 3, 'the added route');
    expect(added).toEqual([
      // Hello, last built from its edited contents, is back on its asset image.
      expect.stringMatching(/^watch: Watch\/Hello rebuilt in [\d.]+ s \(app\.js changed; synth [\d.]+ s\)$/),
      expect.stringMatching(/^watch: Watch\/Bye added in [\d.]+ s \(app\.js changed; synth [\d.]+ s\)$/),
      `watch: route added: GET http://127.0.0.1:${port}/bye → Watch/Bye`,
    ]);
    expect(await get('/bye')).toEqual({ status: 200, body: 'bye-one' });
    expect(await get('/hello')).toEqual({ status: 200, body: 'hello-two' });
    lines = watchLines().length;
    write('app.js', app(['Hello']));
    expect(await nextWatchLines(lines, 2, 'the removed route')).toEqual([
      'watch: Watch/Bye removed (app.js changed)',
      `watch: route gone: GET http://127.0.0.1:${port}/bye`,
    ]);
    expect(await get('/bye')).toEqual({ status: 404, body: '{"message":"Not Found"}' });
  });

  test('an app edit adds a Function URL: a front door of its own on the next free port; removed, it stops listening', async () => {
    let lines = watchLines().length;
    write('app.js', app(['Hello'], ['Url']));
    const added = await nextWatchLines(lines, 2, 'the added URL');
    expect(added[0]).toMatch(/^watch: Watch\/Url added in /);
    const url = /^watch: route added: ANY (http:\/\/127\.0\.0\.1:(\d+))\S* → Watch\/Url$/.exec(added[1]);
    expect(url).not.toBeNull();
    expect(Number(url![2])).toBeGreaterThan(port);
    const r = await fetch(`${url![1]}/anything`);
    expect([r.status, await r.text()]).toEqual([200, 'url-one']);
    lines = watchLines().length;
    write('app.js', app(['Hello']));
    await nextWatchLines(lines, 2, 'the removed URL');
    await expect(fetch(`${url![1]}/anything`)).rejects.toThrow();
    expect(await get('/hello')).toEqual({ status: 200, body: 'hello-two' });
  });

  test('Ctrl+C removes every container and exits 0', async () => {
    expect(await cli!.stop()).toEqual({ code: 0, signal: null });
  });
});
