// The front door's HTTP behaviour with Node's fetch as the client and functions stood in by JavaScript
// (the real containers are in test/integ/local-api.test.ts): gateway answers, limits, hostile input,
// CORS, streaming, and that the server keeps serving after each.
import { request } from 'http';
import { PassThrough } from 'stream';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { FrontDoor, hostAllowed, localApiId } from '../../../lib/local/http/front-door';
import { ApiInfo, HttpRoute, MockRoute } from '../../../lib/local/http/routes';
import { InvocationResult, InvokeOptions } from '../../../lib/local/runtime/sandbox';
import { FunctionPools } from '../../../lib/local/service/function-pools';
import { RebuildGate } from '../../../lib/local/watch/rebuild-gate';

type Handler = (event: any, opts: InvokeOptions) => Promise<{ payload: unknown; error?: boolean; raw?: Buffer }>;

/** Pools whose "functions" are JavaScript handlers by logical id. */
class FakePools {
  readonly events: any[] = [];
  constructor(private readonly handlers: { [logicalId: string]: Handler }) {}
  async invoke(fn: LocalFunction, payload: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const event = JSON.parse(payload.toString());
    this.events.push(event);
    const r = await this.handlers[fn.spec.logicalId](event, opts);
    const body = r.raw ?? Buffer.from(JSON.stringify(r.payload));
    return {
      requestId: opts.requestId ?? 'r',
      payload: body,
      functionError: r.error ? { errorType: 'Error', errorMessage: 'x' } : undefined,
      durationMs: 1,
      memoryMb: 128,
      logs: '',
      reusable: true,
    } as InvocationResult;
  }
}

const fakeFunction = (logicalId: string) => ({ spec: { stackName: 'S', logicalId, path: `S/${logicalId}` }, o: { region: 'us-east-1', account: '111122223333' } }) as unknown as LocalFunction;

const api = (o: Partial<ApiInfo>): ApiInfo => ({
  kind: 'http', stackName: 'S', logicalId: 'Api', path: 'S/Api', stage: '$default', stageVariables: {}, binaryMediaTypes: [], gatewayResponses: [], ...o,
});
const route = (a: ApiInfo, key: string, fn: string, o: Partial<HttpRoute> = {}): HttpRoute => {
  const [method, path] = key === '$default' ? ['ANY', '$default'] : key.split(' ');
  return { api: a, method, path, function: { stackName: 'S', logicalId: fn }, payloadVersion: a.kind === 'rest' ? '1.0' : '2.0', auth: { type: 'NONE' }, ...o };
};

async function door(a: ApiInfo, routes: HttpRoute[], handlers: { [id: string]: Handler }, mocks: MockRoute[] = []) {
  const pools = new FakePools(handlers);
  const functions = new Map(Object.keys(handlers).map(id => [`S/${id}`, fakeFunction(id)]));
  const logs: string[] = [];
  const d = new FrontDoor({ api: a, routes, mocks, functions, pools: pools as unknown as FunctionPools, log: t => logs.push(t) });
  const port = await d.listen(0, '127.0.0.1');
  return { d, pools, logs, url: `http://127.0.0.1:${port}` };
}

const echo: Handler = async event =>
  ({ payload: { statusCode: 200, body: JSON.stringify({ path: event.rawPath ?? event.path, params: event.pathParameters ?? null }) } });

describe('HTTP API front door', () => {
  const http = api({ cors: { allowOrigins: ['http://page.test'], allowMethods: ['GET'], allowHeaders: ['content-type'], exposeHeaders: [], allowCredentials: false } });
  let t: Awaited<ReturnType<typeof door>>;
  beforeAll(async () => {
    t = await door(http, [
      route(http, 'GET /items/{id}', 'Echo'),
      route(http, 'GET /raw', 'Raw'),
      route(http, 'GET /fails', 'Fails'),
      route(http, 'GET /slow', 'Slow', { timeoutMs: 100 }),
    ], {
      Echo: echo,
      Raw: async () => ({ payload: null, raw: Buffer.from('not json at all') }),
      Fails: async () => ({ payload: { errorMessage: 'x' }, error: true }),
      Slow: async () => { await new Promise(r => setTimeout(r, 400)); return { payload: { statusCode: 200 } }; },
    });
  });
  afterAll(() => t.d.close());

  test('a route answers with its function\'s response and path parameters', async () => {
    const r = await fetch(`${t.url}/items/a%20b`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ path: '/items/a%20b', params: { id: 'a b' } });
    expect(r.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown routes and wrong methods: 404 Not Found, with CORS for an allowed origin; then it keeps serving', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/items/1'], ['DELETE', '/items/1']]) {
      const r = await fetch(`${t.url}${path}`, { method, headers: { origin: 'http://page.test' } });
      expect([r.status, await r.text(), r.headers.get('access-control-allow-origin')]).toEqual([404, '{"message":"Not Found"}', 'http://page.test']);
    }
    expect((await fetch(`${t.url}/items/1`)).status).toBe(200);
  });

  test('a non-JSON answer and a function error: 500 Internal Server Error; an integration timeout: 503', async () => {
    for (const p of ['/raw', '/fails']) {
      const r = await fetch(`${t.url}${p}`);
      expect([r.status, await r.text()]).toEqual([500, '{"message":"Internal Server Error"}']);
    }
    const slow = await fetch(`${t.url}/slow`);
    expect([slow.status, await slow.text()]).toEqual([503, '{"message":"Service Unavailable"}']);
    expect(t.logs.join('')).toContain('malformed Lambda proxy response: the function\'s answer is not JSON');
  });

  test('a body over 10 MB: 413 before the function runs, declared or chunked', async () => {
    const before = t.pools.events.length;
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 97);
    const chunked = new ReadableStream({ start(c) { for (let i = 0; i < 11; i++) c.enqueue(new Uint8Array(1024 * 1024)); c.close(); } });
    const c = await fetch(`${t.url}/items/1`, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
    expect([c.status, await c.text()]).toEqual([413, '{"message":"Request Entity Too Large"}']);
    const declared = await fetch(`${t.url}/items/1`, { method: 'POST', body: big });
    expect(declared.status).toBe(413);
    expect(t.pools.events.length).toBe(before);
    expect((await fetch(`${t.url}/items/2`)).status).toBe(200);
  });

  test('a preflight from the allowed origin is answered by the API (204), a foreign one gets no CORS headers', async () => {
    const ok = await fetch(`${t.url}/items/1`, { method: 'OPTIONS', headers: { 'origin': 'http://page.test', 'access-control-request-method': 'GET' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://page.test');
    const foreign = await fetch(`${t.url}/items/1`, { method: 'OPTIONS', headers: { 'origin': 'http://evil.test', 'access-control-request-method': 'GET' } });
    expect(foreign.status).toBe(204);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a foreign Host (DNS rebinding) is refused; loopback names and IP literals are served', async () => {
    const status = (host: string) => new Promise<number>((resolve, reject) => {
      request(`${t.url}/items/1`, { headers: { host } }, res => { res.resume(); resolve(res.statusCode!); }).on('error', reject).end();
    });
    expect(await status('rebind.evil.example:3000')).toBe(403);
    expect(await status('localhost:3000')).toBe(200);
    expect(hostAllowed('127.0.0.1:1', '127.0.0.1')).toBe(true);
    expect(hostAllowed('[::1]:1', '127.0.0.1')).toBe(true);
    expect(hostAllowed(undefined, '127.0.0.1')).toBe(false);
  });
});

describe('REST front door', () => {
  const rest = api({
    kind: 'rest',
    stage: 'prod',
    binaryMediaTypes: ['image/png'],
    gatewayResponses: [{ type: 'DEFAULT_4XX', headers: { 'Access-Control-Allow-Origin': 'http://page.test' } }],
  });
  let t: Awaited<ReturnType<typeof door>>;
  beforeAll(async () => {
    t = await door(rest, [route(rest, 'GET /items/{id}', 'Echo'), route(rest, 'GET /b64', 'B64')], {
      Echo: echo,
      B64: async () => ({ payload: { statusCode: 200, isBase64Encoded: true, body: '%%%', headers: { 'Content-Type': 'image/png' } } }),
    }, [{ api: rest, method: 'OPTIONS', path: '/items/{id}', response: { statusCode: 204, headers: { 'Access-Control-Allow-Origin': 'http://page.test' } } }]);
  });
  afterAll(() => t.d.close());

  test('the stage is part of the URL; the function sees the path within it', async () => {
    const r = await fetch(`${t.url}/prod/items/7`);
    expect(await r.json()).toEqual({ path: '/items/7', params: { id: '7' } });
    expect((await fetch(`${t.url}/items/7`)).status).toBe(403);
  });

  test('no resource or no method: 403 Missing Authentication Token, with the gateway response\'s headers', async () => {
    const r = await fetch(`${t.url}/prod/items/7`, { method: 'POST' });
    expect([r.status, await r.text(), r.headers.get('access-control-allow-origin'), r.headers.get('x-amzn-errortype')])
      .toEqual([403, '{"message":"Missing Authentication Token"}', 'http://page.test', 'MissingAuthenticationTokenException']);
  });

  test('malformed base64 from the function: 502 Internal server error, and the server keeps serving', async () => {
    const r = await fetch(`${t.url}/prod/b64`, { headers: { accept: 'image/png' } });
    expect([r.status, await r.text()]).toEqual([502, '{"message":"Internal server error"}']);
    expect((await fetch(`${t.url}/prod/items/1`)).status).toBe(200);
  });

  test('the OPTIONS MOCK method answers the preflight', async () => {
    const r = await fetch(`${t.url}/prod/items/1`, { method: 'OPTIONS' });
    expect([r.status, r.headers.get('access-control-allow-origin')]).toEqual([204, 'http://page.test']);
    expect(t.pools.events.every(e => e.httpMethod !== 'OPTIONS')).toBe(true);
  });
});

describe('Function URL front door, streaming', () => {
  const url = api({ kind: 'url', invokeMode: 'RESPONSE_STREAM' });
  let release!: () => void;
  let t: Awaited<ReturnType<typeof door>>;
  beforeAll(async () => {
    t = await door(url, [route(url, '$default', 'Stream')], {
      Stream: async (_event, opts) => {
        const body = new PassThrough();
        opts.onStream!({ contentType: 'application/vnd.awslambda.http-integration-response', body });
        body.write('{"statusCode":202,"headers":{"x-a":"1"},"cookies":["c=1"]}');
        body.write(Buffer.alloc(8));
        body.write('first;');
        await new Promise<void>(r => { release = r; });
        body.end('second');
        return { payload: null, raw: Buffer.alloc(0) };
      },
    });
  });
  afterAll(() => t.d.close());

  test('status and headers from the prelude, the first chunk before the function ends', async () => {
    const r = await fetch(`${t.url}/anything`);
    expect([r.status, r.headers.get('x-a'), r.headers.get('set-cookie')]).toEqual([202, '1', 'c=1']);
    const reader = r.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('first;');
    release();
    let rest = '';
    for (let c = await reader.read(); !c.done; c = await reader.read()) rest += Buffer.from(c.value).toString();
    expect(rest).toBe('second');
  });
});

test('API ids: 10 characters for APIs, 32 for Function URLs, stable', () => {
  expect(localApiId(api({}))).toMatch(/^[a-z0-9]{10}$/);
  expect(localApiId(api({ kind: 'url' }))).toMatch(/^[a-z0-9]{32}$/);
  expect(localApiId(api({}))).toBe(localApiId(api({})));
});

describe('front door under --watch: requests wait for a rebuild, then meet the app as it is now', () => {
  const http = api({});
  test('held: the request waits; routes and functions swapped meanwhile answer it; past the bound: 503, no old code', async () => {
    const pools = new FakePools({
      Old: async () => ({ payload: { statusCode: 200, body: 'old' } }),
      New: async () => ({ payload: { statusCode: 200, body: 'new' } }),
    });
    const functions = new Map([['S/Fn', fakeFunction('Old')]]);
    const gate = new RebuildGate(200);
    const d = new FrontDoor({ api: http, routes: [route(http, 'GET /a', 'Fn')], mocks: [], functions, pools: pools as unknown as FunctionPools, log: () => undefined, gate });
    const url = `http://127.0.0.1:${await d.listen(0, '127.0.0.1')}`;
    try {
      expect(await (await fetch(`${url}/a`)).text()).toBe('old');
      let release = gate.hold();
      const waiting = fetch(`${url}/b`);
      await new Promise(r => setTimeout(r, 50));
      functions.set('S/Fn', fakeFunction('New'));
      d.update({ api: http, routes: [route(http, 'GET /a', 'Fn'), route(http, 'GET /b', 'Fn')], mocks: [] });
      release();
      expect(await (await waiting).text()).toBe('new');
      release = gate.hold();
      const late = await fetch(`${url}/a`);
      release();
      expect([late.status, await late.text()]).toEqual([503, '{"message":"Service Unavailable"}']);
      expect(pools.events).toHaveLength(2);
    } finally {
      await d.close();
    }
  });

  test('held for other functions only (a build-context edit of another API\'s function): answered at once; held for its own: waits', async () => {
    const pools = new FakePools({ Mine: async () => ({ payload: { statusCode: 200, body: 'mine' } }) });
    const functions = new Map([['S/Mine', fakeFunction('Mine')]]);
    const gate = new RebuildGate(5000);
    const d = new FrontDoor({ api: http, routes: [route(http, 'GET /a', 'Mine')], mocks: [], functions, pools: pools as unknown as FunctionPools, log: () => undefined, gate });
    const url = `http://127.0.0.1:${await d.listen(0, '127.0.0.1')}`;
    try {
      const releaseOther = gate.hold(['S/Other']);
      expect(await (await fetch(`${url}/a`)).text()).toBe('mine');
      const releaseMine = gate.hold(['S/Mine']);
      let answered = false;
      const waiting = fetch(`${url}/a`).then(async r => { answered = true; return r.text(); });
      await new Promise(r => setTimeout(r, 100));
      expect(answered).toBe(false);
      releaseMine();
      expect(await waiting).toBe('mine');
      releaseOther();
    } finally {
      await d.close();
    }
  });
});
