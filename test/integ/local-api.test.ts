// `api` as users run it (its own process) against an app with every front door (test/fixtures/apps/
// http-apis): an HTTP API (2.0 routes, a 1.0 route, a Lambda authorizer, a JWT authorizer, CORS), a
// LambdaRestApi, a REST API with nested resources, a binary media type and a TOKEN authorizer, a Function
// URL with CORS and a streaming Function URL. Functions run in real containers, on the real aws-lambda-ric
// (its streamifyResponse for streaming) and the Python stand-in's client. Clients nobody here wrote: curl,
// Node's fetch, and Debian's Chromium for CORS as a browser enforces it. Bad requests get API Gateway's
// answers and the server keeps serving; Ctrl+C leaves no container behind.
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { App } from 'aws-cdk-lib';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { chromium } from 'playwright-core';
import { describeWithDocker, docker } from './support/docker';
import { ensureStandIns } from './support/standins';
import { RouteRow } from '../../lib/local/http/route-table';
import { OWNER_LABEL } from '../../lib/local/runtime/sandbox';
import { httpApisStack } from '../fixtures/apps/http-apis/stack';

jest.setTimeout(20 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const ISSUER = 'https://issuer.example.com';
const AUDIENCE = 'local-tests';

const run = promisify(execFile);

/** curl's view of a request: status line, headers and body (binary safe). */
async function curl(args: string[]): Promise<{ status: number; headers: string; body: Buffer }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-curl-'));
  try {
    const out = path.join(dir, 'body');
    const hdr = path.join(dir, 'headers');
    await run('curl', ['-s', '-o', out, '-D', hdr, ...args]);
    const headers = fs.readFileSync(hdr, 'utf8');
    // The last status line: an interim `100 Continue` may come first.
    const statuses = [...headers.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map(m => Number(m[1]));
    return { status: statuses[statuses.length - 1], headers, body: fs.readFileSync(out) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeWithDocker('api: local HTTP front doors (real containers, curl, fetch, Chromium)', () => {
  let outdir: string;
  let child: ChildProcess;
  let stderr = '';
  let exited: Promise<number | null>;
  let rows: RouteRow[];
  let page: http.Server;
  let pageOrigin: string;
  let signToken: (claims: object) => Promise<string>;
  const imagesBefore = new Set<string>();

  const httpApi = () => new URL(rows.find(r => r.api === 'HttpApis/Http')!.url).origin;
  const restFiles = () => `${new URL(rows.find(r => r.api === 'HttpApis/Files')!.url).origin}/v1`;
  const restProxy = () => `${new URL(rows.find(r => r.api === 'HttpApis/Proxy')!.url).origin}/prod`;
  const echoUrl = () => new URL(rows.find(r => r.api === 'HttpApis/Echo/FunctionUrl')!.url).origin;
  const streamUrl = () => new URL(rows.find(r => r.api === 'HttpApis/Stream/FunctionUrl')!.url).origin;

  beforeAll(async () => {
    const { nodeTag, pythonTag } = await ensureStandIns();
    for (const line of (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n')) imagesBefore.add(line);
    // The page's origin: another port of this machine, allowed by the app's CORS settings.
    page = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>'));
    await new Promise<void>(r => page.listen(0, '127.0.0.1', () => r()));
    pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;

    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-api-app-'));
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    httpApisStack(app, { nodeBase: nodeTag, pythonBase: pythonTag, allowedOrigin: pageOrigin, issuer: ISSUER, audience: AUDIENCE });
    app.synth();

    const { publicKey, privateKey } = await generateKeyPair('RS256');
    fs.writeFileSync(path.join(outdir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }));
    signToken = claims => new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt().setExpirationTime('10m').sign(privateKey);

    const routesFile = path.join(outdir, 'routes.json');
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'),
      'api', '--app', outdir, '--port', '0', '--routes', routesFile, '--jwks', path.join(outdir, 'jwks.json')], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
    });
    child.stderr!.on('data', d => { stderr += d; });
    child.stdout!.resume();
    exited = new Promise(r => child.on('close', code => r(code)));
    const until = Date.now() + 15 * 60_000;
    while (!stderr.includes('Ctrl+C stops')) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`api did not start:\n${stderr}`);
      await new Promise(r => setTimeout(r, 200));
    }
    rows = JSON.parse(fs.readFileSync(routesFile, 'utf8'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) { child.kill('SIGINT'); await exited; }
    await new Promise(r => page?.close(r));
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
    // The images this run built (cdkasset-<hash>), not the ones that were there before.
    const now = (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout.split('\n');
    const built = now.filter(t => t.startsWith('cdkasset-') && !imagesBefore.has(t));
    if (built.length) await docker(['rmi', ...built], { allowFailure: true });
  });

  test('the route table: every servable route with its URL, function, payload version and auth; the rest refused with why', () => {
    const row = (api: string, method: string, p: string) => rows.find(r => r.api === `HttpApis/${api}` && r.method === method && r.path === p);
    expect(row('Http', 'GET', '/items/{id}')).toMatchObject({ kind: 'http', function: 'HttpApis/Echo', payloadVersion: '2.0', auth: 'NONE', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/items\/\{id\}$/) });
    expect(row('Http', 'GET', '/v1/items/{id}')).toMatchObject({ payloadVersion: '1.0' });
    expect(row('Http', 'GET', '/private')).toMatchObject({ auth: 'LAMBDA REQUEST Simple' });
    expect(row('Http', 'GET', '/jwt')).toMatchObject({ auth: `JWT ${ISSUER} scopes items/read` });
    expect(row('Proxy', 'ANY', '/{proxy+}')).toMatchObject({ kind: 'rest', url: expect.stringMatching(/\/prod\/\{proxy\+\}$/) });
    expect(row('Files', 'GET', '/files/{folder}/{name}')).toMatchObject({ kind: 'rest', url: expect.stringMatching(/\/v1\/files\/\{folder\}\/\{name\}$/) });
    expect(row('Stream/FunctionUrl', 'ANY', '$default')).toMatchObject({ kind: 'url', auth: 'NONE (streaming)', function: 'HttpApis/Stream' });
    expect(Object.keys(rows[0]).sort()).toEqual(['api', 'auth', 'function', 'kind', 'method', 'path', 'payloadVersion', 'url']);
    expect(stderr).toMatch(/Not served:\n(.*\n)*  HttpApis\/Http GET \/zip: HttpApis\/Zip is not a container-image function/);
    expect(stderr).toContain('HttpApis/Http GET /elsewhere: its integration type is HTTP_PROXY');
    expect(stderr).toContain('HttpApis/Http GET /iam: its AWS_IAM authorization is not emulated');
  });

  test('HTTP API 2.0 (curl): the event as API Gateway sends it, cookies and headers back', async () => {
    const r = await curl([`${httpApi()}/items/42?tag=a&tag=b`, '-H', 'X-Multi: one', '-H', 'X-Multi: two', '-b', 'c1=v1; c2=v2']);
    expect(r.status).toBe(200);
    expect(r.headers).toMatch(/^set-cookie: session=abc; Path=\/\r$/im);
    expect(r.headers).toMatch(/^set-cookie: theme=dark\r$/im);
    const e = JSON.parse(r.body.toString());
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/42',
      rawQueryString: 'tag=a&tag=b',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { tag: 'a,b' },
      pathParameters: { id: '42' },
      isBase64Encoded: false,
      requestContext: { routeKey: 'GET /items/{id}', stage: '$default', http: { method: 'GET', path: '/items/42', sourceIp: '127.0.0.1', userAgent: expect.stringMatching(/^curl\//) } },
    });
    expect(e.headers['x-multi']).toBe('one,two');
    expect(e.headers.cookie).toBeUndefined();
  });

  test('HTTP API 1.0 route and the Python stand-in behind a 2.0 route (fetch)', async () => {
    const v1: any = await (await fetch(`${httpApi()}/v1/items/7?a=1&a=2`)).json();
    expect(v1).toMatchObject({ version: '1.0', resource: '/v1/items/{id}', path: '/v1/items/7', httpMethod: 'GET', pathParameters: { id: '7' }, multiValueQueryStringParameters: { a: ['1', '2'] }, queryStringParameters: { a: '2' } });
    const py = await fetch(`${httpApi()}/py/9`);
    expect(py.status).toBe(200);
    expect(py.headers.get('content-type')).toBe('application/json');
    expect(await py.json()).toMatchObject({ python: true, echo: { routeKey: 'GET /py/{id}', pathParameters: { id: '9' } } });
  });

  test('LambdaRestApi (fetch): ANY /{proxy+} on stage prod with its variables; POST bodies', async () => {
    const r = await fetch(`${restProxy()}/a/b?x=1`, { method: 'PUT', body: '{"k":1}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({
      resource: '/{proxy+}',
      path: '/a/b',
      httpMethod: 'PUT',
      pathParameters: { proxy: 'a/b' },
      stageVariables: { color: 'blue' },
      body: '{"k":1}',
      isBase64Encoded: false,
      requestContext: { stage: 'prod', path: '/prod/a/b', resourcePath: '/{proxy+}' },
    });
    expect(((await (await fetch(`${restProxy()}/`)).json()) as any).resource).toBe('/');
  });

  test('REST API: nested resources, binary responses as bytes for image/png, binary uploads base64', async () => {
    const nested: any = await (await fetch(`${restFiles()}/files/docs/readme.txt`)).json();
    expect(nested).toMatchObject({ resource: '/files/{folder}/{name}', pathParameters: { folder: 'docs', name: 'readme.txt' } });
    const png = await curl([`${restFiles()}/files/docs/logo.png`, '-H', 'Accept: image/png']);
    expect(png.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]));
    const asText = await curl([`${restFiles()}/files/docs/logo.png`, '-H', 'Accept: text/plain']);
    expect(asText.body.toString()).toBe(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]).toString('base64'));
    const up = await fetch(`${restFiles()}/upload`, { method: 'POST', body: Buffer.from([0, 255, 1]), headers: { 'content-type': 'image/png' } });
    expect(await up.json()).toMatchObject({ body: 'AP8B', isBase64Encoded: true });
  });

  test('Lambda authorizers: REST TOKEN allow/deny/Unauthorized, HTTP API simple responses, JWT with --jwks', async () => {
    const allowed: any = await (await fetch(`${restFiles()}/secret`, { headers: { authorization: 'allow' } })).json();
    expect(allowed.requestContext.authorizer).toEqual({ user: 'alice', tier: 3, principalId: 'alice', integrationLatency: 0 });
    const deny = await fetch(`${restFiles()}/secret`, { headers: { authorization: 'deny' } });
    expect([deny.status, await deny.text()]).toEqual([403, '{"Message":"User is not authorized to access this resource with an explicit deny"}']);
    expect((await fetch(`${restFiles()}/secret`, { headers: { authorization: 'unauthorized' } })).status).toBe(401);
    expect((await fetch(`${restFiles()}/secret`)).status).toBe(401);
    expect((await fetch(`${restFiles()}/secret`, { headers: { authorization: 'other' } })).status).toBe(500);

    const simple: any = await (await fetch(`${httpApi()}/private`, { headers: { authorization: 'letmein' } })).json();
    expect(simple.requestContext.authorizer).toEqual({ lambda: { user: 'bob', routeArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:\d{12}:[a-z0-9]{10}\/\$default\/GET\/private$/) } });
    expect((await fetch(`${httpApi()}/private`, { headers: { authorization: 'nope' } })).status).toBe(403);

    const good = await signToken({ iss: ISSUER, aud: AUDIENCE, sub: 'u1', scope: 'items/read' });
    const jwt: any = await (await fetch(`${httpApi()}/jwt`, { headers: { authorization: `Bearer ${good}` } })).json();
    expect(jwt.requestContext.authorizer.jwt).toMatchObject({ claims: { sub: 'u1', iss: ISSUER }, scopes: ['items/read'] });
    const noScope = await signToken({ iss: ISSUER, aud: AUDIENCE, scope: 'other' });
    expect((await fetch(`${httpApi()}/jwt`, { headers: { authorization: `Bearer ${noScope}` } })).status).toBe(403);
    expect((await fetch(`${httpApi()}/jwt`, { headers: { authorization: 'Bearer x.y.z' } })).status).toBe(401);
  });

  test('Function URL with CORS (fetch): the 2.0 event with routeKey $default, CORS headers for the allowed origin', async () => {
    const r = await fetch(`${echoUrl()}/any/path?q=1`, { method: 'POST', body: 'hi', headers: { 'origin': pageOrigin, 'content-type': 'text/plain' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(pageOrigin);
    expect(await r.json()).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/any/path', body: 'hi', requestContext: { accountId: 'anonymous', stage: '$default' } });
  });

  test('streaming Function URL: the first bytes arrive while the function still runs (awslambda.streamifyResponse)', async () => {
    const started = Date.now();
    const r = await fetch(`${streamUrl()}/`);
    expect([r.status, r.headers.get('x-streamed'), r.headers.get('set-cookie')]).toEqual([201, 'yes', 's=1']);
    const reader = r.body!.getReader();
    let text = '';
    let firstAt = 0;
    for (let c = await reader.read(); !c.done; c = await reader.read()) {
      if (!firstAt) firstAt = Date.now();
      text += Buffer.from(c.value).toString();
    }
    const endAt = Date.now();
    const [first, second] = text.trim().split('\n').map(l => Number(l.split(' ')[1]));
    expect(text).toMatch(/^first \d+\nsecond \d+\n$/);
    // The function wrote its second line 1.5 s after the first; the client had the first line before then.
    expect(second - first).toBeGreaterThanOrEqual(1400);
    expect(firstAt).toBeLessThan(second);
    expect(endAt).toBeGreaterThanOrEqual(second);
    expect(firstAt).toBeGreaterThanOrEqual(started);
  });

  test('bad requests get API Gateway\'s answers, and the server keeps serving', async () => {
    const answers: [string, number, string][] = [];
    const add = async (label: string, res: Promise<Response>) => { const r = await res; answers.push([label, r.status, await r.text()]); };
    await add('HTTP API unknown route', fetch(`${httpApi()}/`));
    await add('HTTP API DELETE / (no route, no $default)', fetch(`${httpApi()}/`, { method: 'DELETE' }));
    await add('REST unknown route', fetch(`${restFiles()}/nope`));
    await add('REST wrong method', fetch(`${restFiles()}/plain`, { method: 'POST' }));
    await add('REST without the stage', fetch(`${new URL(restFiles()).origin}/plain`));
    await add('HTTP API malformed base64', fetch(`${httpApi()}/bad-base64`));
    await add('HTTP API header HTTP cannot carry', fetch(`${httpApi()}/bad-header`));
    await add('HTTP API function error', fetch(`${httpApi()}/throws`));
    await add('REST function error', fetch(`${restFiles()}/throws`));
    await add('REST not a proxy response', fetch(`${restFiles()}/plain`));
    await add('HTTP API bare string (inferred)', fetch(`${httpApi()}/plain`));
    await add('REST integration timeout (1 s)', fetch(`${restFiles()}/slow`));
    expect(answers).toEqual([
      ['HTTP API unknown route', 404, '{"message":"Not Found"}'],
      ['HTTP API DELETE / (no route, no $default)', 404, '{"message":"Not Found"}'],
      ['REST unknown route', 403, '{"message":"Missing Authentication Token"}'],
      ['REST wrong method', 403, '{"message":"Missing Authentication Token"}'],
      ['REST without the stage', 403, '{"message":"Missing Authentication Token"}'],
      ['HTTP API malformed base64', 500, '{"message":"Internal Server Error"}'],
      ['HTTP API header HTTP cannot carry', 500, '{"message":"Internal Server Error"}'],
      ['HTTP API function error', 500, '{"message":"Internal Server Error"}'],
      ['REST function error', 502, '{"message":"Internal server error"}'],
      ['REST not a proxy response', 502, '{"message":"Internal server error"}'],
      ['HTTP API bare string (inferred)', 200, '"hello"'],
      ['REST integration timeout (1 s)', 504, '{"message":"Endpoint request timed out"}'],
    ]);
    // A method GET /infer does not take falls to ANY /{proxy+}, by API Gateway's precedence.
    const other: any = await (await fetch(`${httpApi()}/infer`, { method: 'DELETE' })).json();
    expect([other.routeKey, other.pathParameters]).toEqual(['ANY /{proxy+}', { proxy: 'infer' }]);
    // Huge bodies: over API Gateway's 10 MB, and over Lambda's 6 MB behind a Function URL (curl, from a file).
    const big = path.join(outdir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 120));
    const tooBig = await curl(['-X', 'POST', '--data-binary', `@${big}`, '-H', 'content-type: text/plain', `${httpApi()}/items`]);
    expect([tooBig.status, tooBig.body.toString()]).toEqual([413, '{"message":"Request Entity Too Large"}']);
    fs.writeFileSync(big, Buffer.alloc(7 * 1024 * 1024, 120));
    const urlTooBig = await curl(['-X', 'POST', '--data-binary', `@${big}`, echoUrl()]);
    expect([urlTooBig.status, urlTooBig.body.toString()]).toEqual([413, 'Request Entity Too Large']);
    // Still serving, with the warm containers.
    const after = await fetch(`${httpApi()}/items/1`);
    expect(after.status).toBe(200);
    expect(stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB/);
  });

  test('a real browser (Chromium): a page on another origin reads a CORS route and a denied route\'s 403; a route without CORS fails', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const p = await browser.newPage();
      await p.goto(`${pageOrigin}/`);
      const outcome = (url: string, init: object = {}) => p.evaluate(async ([u, i]) => {
        try {
          const r = await fetch(u as string, i as RequestInit);
          return { status: r.status, body: await r.text(), exposed: r.headers.get('x-echo') };
        } catch (e) {
          return { error: String(e) };
        }
      }, [url, init] as const);
      // HTTP API with CorsConfiguration: a preflighted POST from the allowed origin.
      const allowed = await outcome(`${httpApi()}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":"browser"}' });
      expect(allowed).toMatchObject({ status: 200, exposed: 'yes' });
      expect(JSON.parse((allowed as { body: string }).body)).toMatchObject({ body: '{"from":"browser"}', routeKey: 'POST /items' });
      // A route whose authorizer denies: the 403 carries CORS headers, so the page can read it (SAM sends none).
      expect(await outcome(`${httpApi()}/private`, { headers: { authorization: 'nope' } })).toMatchObject({ status: 403, body: '{"message":"Forbidden"}' });
      // REST: the OPTIONS MOCK preflight, then the function's answer (it sends no CORS header itself): the browser refuses it.
      expect(await outcome(`${restFiles()}/upload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).toMatchObject({ error: expect.stringMatching(/Failed to fetch/) });
      // A REST error carries its gateway response's CORS header: readable.
      expect(await outcome(`${restFiles()}/nope`)).toMatchObject({ status: 403, body: '{"message":"Missing Authentication Token"}' });
      // The LambdaRestApi has no CORS at all: denied by the browser.
      expect(await outcome(`${restProxy()}/x`)).toMatchObject({ error: expect.stringMatching(/Failed to fetch/) });
      // The Function URL's Cors allows this origin.
      expect(await outcome(`${echoUrl()}/`)).toMatchObject({ status: 200 });
    } finally {
      await browser.close();
    }
  });

  test('Ctrl+C removes every container and ends the process', async () => {
    const pid = child.pid;
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const left = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${pid}`, '--format', '{{.Names}}']);
    expect(left.stdout.trim()).toBe('');
  });
});
