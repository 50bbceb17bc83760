// The Invoke API endpoint: routing, validation, limits, who may call it, and what it does around an
// execution environment (fakes from fake-function.ts: no Docker).
import * as http from 'http';
import * as net from 'net';
import { Behaviour, FakeSandbox, fakeFunction, spec } from './fake-function';
import * as functionLookup from '../../../lib/assembly/function-lookup';
import { LOG_TAIL_BYTES } from '../../../lib/lambda-facts';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import * as clientContext from '../../../lib/local/runtime/client-context';
import { InvokeApiServer, MAX_QUEUED_EVENTS, functionNameOf } from '../../../lib/local/service/invoke-api';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(port: number, path: string, body: string | Buffer | Buffer[], headers: http.OutgoingHttpHeaders = {}, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, res => {
      let data = '';
      res.on('data', d => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (Array.isArray(body)) { for (const b of body) req.write(b); req.end(); } else {req.end(body);}
  });
}

const invoke = (name: string) => `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;

async function serverWith(functions: LocalFunction[], o: { maxConcurrency?: number; log?: (t: string) => void; allowedHosts?: string[] } = {}) {
  const server = new InvokeApiServer({ functions, maxConcurrency: o.maxConcurrency ?? 1, log: o.log, allowedHosts: o.allowedHosts });
  const port = await server.listen(0);
  return { server, port };
}

describe('InvokeApiServer: answers that need no environment', () => {
  const { fn, started } = fakeFunction(() => ({}));
  let server: InvokeApiServer;
  let port: number;
  beforeAll(async () => ({ server, port } = await serverWith([fn])));
  afterAll(() => server.close());
  afterEach(() => expect(started).toEqual([]));

  test('DryRun: 204, by construct path or ARN', async () => {
    for (const name of ['S/Fn', 'arn:aws:lambda:us-east-1:123456789012:function:S-FnABC:$LATEST']) {
      const r = await request(port, invoke(name), '{}', { 'X-Amz-Invocation-Type': 'DryRun' });
      expect(r.status).toBe(204);
      expect(r.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('unknown function: 404 ResourceNotFoundException naming the functions', async () => {
    const r = await request(port, invoke('Nope'), '{}');
    expect(r.status).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(JSON.parse(r.body).message).toMatch(/Function not found: Nope.*\n {2}S\/Fn \(FnABC\)/s);
  });

  test('a request over 6 MB: 413 before anything runs; over 1 MB for Event', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 1, 'a');
    const r = await request(port, invoke('S/Fn'), big);
    expect(r.status).toBe(413);
    expect(r.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(r.body).message).toBe('6291457 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)');
    const e = await request(port, invoke('S/Fn'), Buffer.alloc(1024 * 1024 + 1, 'a'), { 'X-Amz-Invocation-Type': 'Event' });
    expect(JSON.parse(e.body).message).toMatch(/for the Event invocation type \(limit 1048576 bytes\)/);
  });

  test('a chunked body (no Content-Length) over the limit: 413, nothing runs', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const r = await request(port, invoke('S/Fn'), Array(5).fill(chunk), { 'X-Amz-Invocation-Type': 'Event', 'Transfer-Encoding': 'chunked' });
    expect(r.status).toBe(413);
    expect(r.headers['x-amzn-errortype']).toBe('RequestEntityTooLargeException');
  });

  test('the limit counts bytes, not characters', async () => {
    // 600,000 characters of "é": under 1 MB in characters, 1.2 MB in UTF-8.
    const body = JSON.stringify({ s: 'é'.repeat(600_000) });
    const r = await request(port, invoke('S/Fn'), body, { 'X-Amz-Invocation-Type': 'Event', 'Content-Length': Buffer.byteLength(body) });
    expect(r.status).toBe(413);
    const chunked = await request(port, invoke('S/Fn'), [Buffer.from(body)], { 'X-Amz-Invocation-Type': 'Event', 'Transfer-Encoding': 'chunked' });
    expect(chunked.status).toBe(413);
  });

  test('a body that is not JSON: 400 InvalidRequestContentException', async () => {
    const r = await request(port, invoke('S/Fn'), '{nope');
    expect(r.status).toBe(400);
    expect(r.headers['x-amzn-errortype']).toBe('InvalidRequestContentException');
  });

  test('an unknown invocation type or operation', async () => {
    const t = await request(port, invoke('S/Fn'), '{}', { 'X-Amz-Invocation-Type': 'Later' });
    expect(t.status).toBe(400);
    expect(t.headers['x-amzn-errortype']).toBe('InvalidParameterValueException');
    const o = await request(port, '/2015-03-31/functions', '', {}, 'GET');
    expect(o.status).toBe(404);
    expect(o.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  test.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s on the invocations path is not an operation: 404, nothing runs', async method => {
    const r = await request(port, invoke('S/Fn'), ['GET', 'DELETE'].includes(method) ? '' : '{}', {}, method);
    expect(r.status).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  test('a malformed %-escape in the function name: 400 ValidationException', async () => {
    const r = await request(port, '/2015-03-31/functions/S%2/invocations', '{}');
    expect(r.status).toBe(400);
    expect(r.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(r.body)).toEqual({ Type: 'User', message: 'the function name in /2015-03-31/functions/S%2/invocations is not validly %-encoded' });
  });

  test.each([
    ['not base64', 'not base64!'],
    ['base64 of something that is not JSON', Buffer.from('{nope').toString('base64')],
    ['base64 of a JSON array', Buffer.from('[1]').toString('base64')],
    ['over 3,583 bytes', Buffer.from(JSON.stringify({ custom: { x: 'y'.repeat(3000) } })).toString('base64')],
  ])('an X-Amz-Client-Context that is %s: 400 InvalidRequestContentException', async (_, value) => {
    const r = await request(port, invoke('S/Fn'), '{}', { 'X-Amz-Client-Context': value });
    expect(r.status).toBe(400);
    expect(r.headers['x-amzn-errortype']).toBe('InvalidRequestContentException');
    expect(JSON.parse(r.body).message).toMatch(/^X-Amz-Client-Context /);
  });

  test('function names from ARNs and partial ARNs', () => {
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:my-fn')).toBe('my-fn');
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod')).toBe('my-fn');
    expect(functionNameOf('123456789012:function:my-fn')).toBe('my-fn');
    expect(functionNameOf('Stack/Fn')).toBe('Stack/Fn');
  });
});

describe('InvokeApiServer: who may call it', () => {
  const { fn, started } = fakeFunction(() => ({ payload: Buffer.from('"ran"') }));
  let server: InvokeApiServer;
  let port: number;
  beforeAll(async () => ({ server, port } = await serverWith([fn], { allowedHosts: ['devbox.example'] })));
  afterAll(() => server.close());

  const ran = () => started.reduce((n, s) => n + s.calls.length, 0);

  test.each([
    ['a cross-site simple request (Origin, text/plain)', { 'Origin': 'https://evil.example', 'Content-Type': 'text/plain' }, /requests from web pages are refused \(Origin: https:\/\/evil.example\)/],
    ['an Origin of "null" (a sandboxed page or a file)', { Origin: 'null' }, /Origin: null/],
    ['a DNS-rebinding page (its own name in Host)', { Host: 'rebind.evil.example:3901' }, /Host rebind.evil.example:3901 is not a name of this endpoint/],
    ['a page on localhost with Origin', { Host: 'localhost', Origin: 'http://localhost:8080' }, /Origin: http:\/\/localhost:8080/],
  ])('%s: 403 AccessDeniedException, the function does not run', async (_, headers, message) => {
    const before = ran();
    for (const type of ['RequestResponse', 'Event']) {
      const r = await request(port, invoke('S/Fn'), '{}', { ...headers, 'X-Amz-Invocation-Type': type });
      expect(r.status).toBe(403);
      expect(r.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(JSON.parse(r.body).message).toMatch(message);
    }
    await new Promise(r => setTimeout(r, 20));
    expect(ran()).toBe(before);
  });

  test.each(['127.0.0.1:1', 'localhost:3001', '[::1]:3001', 'LOCALHOST', 'devbox.example:3001', '192.168.1.20'])('Host %s is this endpoint: the function runs', async host => {
    const r = await request(port, invoke('S/Fn'), '{}', { Host: host });
    expect(r.status).toBe(200);
    expect(r.body).toBe('"ran"');
  });
});

describe('InvokeApiServer around an execution environment', () => {
  beforeEach(() => { FakeSandbox.live = 0; });

  test('RequestResponse: the payload, X-Amz-Function-Error for a function error, the event and client context passed on', async () => {
    const { fn, started } = fakeFunction(p => JSON.parse(p).fail
      ? { payload: Buffer.from('{"errorType":"E","errorMessage":"m"}'), functionError: { errorType: 'E', errorMessage: 'm' } }
      : { payload: Buffer.from('{"ok":true}') });
    const { server, port } = await serverWith([fn]);
    try {
      const ok = await request(port, invoke('S/Fn'), '{"a":1}', { 'X-Amz-Client-Context': Buffer.from(JSON.stringify({ custom: { city: 'Zürich €', n: 'a\nb' } })).toString('base64') });
      expect(ok.status).toBe(200);
      expect(ok.headers['x-amz-function-error']).toBeUndefined();
      expect(ok.headers['x-amz-executed-version']).toBe('$LATEST');
      expect(ok.body).toBe('{"ok":true}');
      const call = started[0].calls[0];
      expect(call.payload).toBe('{"a":1}');
      expect(call.opts.requestId).toBe(ok.headers['x-amzn-requestid']);
      expect(call.opts.clientContext).toBe('{"custom":{"city":"Z\\u00fcrich \\u20ac","n":"a\\nb"}}');
      const bad = await request(port, invoke('S/Fn'), '{"fail":true}');
      expect(bad.status).toBe(200);
      expect(bad.headers['x-amz-function-error']).toBe('Unhandled');
      expect(JSON.parse(bad.body)).toEqual({ errorType: 'E', errorMessage: 'm' });
      const empty = await request(port, invoke('S/Fn'), '');
      expect(empty.status).toBe(200);
      expect(started[0].calls[2].payload).toBe('{}');
    } finally {
      await server.close();
    }
  });

  test('LogType Tail: the last 4 KB of START, the function\'s logs, END and REPORT, base64', async () => {
    const logs = Array.from({ length: 400 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(20)}\n`).join('');
    const { fn } = fakeFunction(() => ({ logs }));
    const { server, port } = await serverWith([fn]);
    try {
      const r = await request(port, invoke('S/Fn'), '{}', { 'X-Amz-Log-Type': 'Tail' });
      const tail = Buffer.from(r.headers['x-amz-log-result'] as string, 'base64');
      expect(tail.length).toBe(LOG_TAIL_BYTES);
      expect(LOG_TAIL_BYTES).toBe(4096);
      const text = tail.toString('utf8');
      expect(text).toMatch(/line 0399 x{20}\nEND RequestId: \S+\nREPORT RequestId: \S+\tDuration: 1.50 ms/);
      expect(text).not.toContain('START');
      const none = await request(port, invoke('S/Fn'), '{}');
      expect(none.headers['x-amz-log-result']).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  test('Event: 202 at once, then the function runs in the background; its errors only reach the log', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => { release = r; });
    const { fn, started } = fakeFunction(async () => { await gate; throw new Error('background failure'); });
    const log: string[] = [];
    const { server, port } = await serverWith([fn], { log: t => log.push(t) });
    try {
      const r = await request(port, invoke('S/Fn'), '{"e":1}', { 'X-Amz-Invocation-Type': 'Event' });
      expect(r.status).toBe(202);
      expect(r.body).toBe('');
      await new Promise(res => setTimeout(res, 20));
      expect(started[0].calls.map(c => c.payload)).toEqual(['{"e":1}']);
      release();
      await new Promise(res => setTimeout(res, 20));
      expect(log.join('')).toContain('S/Fn: background failure');
    } finally {
      await server.close();
    }
  });

  test(`Event: at most ${MAX_QUEUED_EVENTS} queued or running, then Lambda's throttling error; accepted again once they drain`, async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => { release = r; });
    const { fn } = fakeFunction(async () => { await gate; return {}; });
    const { server, port } = await serverWith([fn]);
    try {
      const accepted = await Promise.all(Array.from({ length: MAX_QUEUED_EVENTS }, () => request(port, invoke('S/Fn'), '{}', { 'X-Amz-Invocation-Type': 'Event' })));
      expect(accepted.every(a => a.status === 202)).toBe(true);
      const over = await request(port, invoke('S/Fn'), '{}', { 'X-Amz-Invocation-Type': 'Event' });
      expect(over.status).toBe(429);
      expect(over.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
      expect(over.headers['retry-after']).toBe('1');
      expect(JSON.parse(over.body)).toEqual({ Type: 'User', message: 'Rate Exceeded.', Reason: 'ConcurrentInvocationLimitExceeded' });
      release();
      await new Promise(res => setTimeout(res, 50));
      expect((await request(port, invoke('S/Fn'), '{}', { 'X-Amz-Invocation-Type': 'Event' })).status).toBe(202);
    } finally {
      await server.close();
    }
  });

  test('Event: the queue is bounded by bytes too (16 MB of 1 MB events)', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => { release = r; });
    const { fn } = fakeFunction(async () => { await gate; return {}; });
    const { server, port } = await serverWith([fn]);
    const mb = JSON.stringify({ s: 'x'.repeat(1024 * 1024 - 20) });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 17; i++) statuses.push((await request(port, invoke('S/Fn'), mb, { 'X-Amz-Invocation-Type': 'Event' })).status);
      expect(statuses.slice(0, 16).every(s => s === 202)).toBe(true);
      expect(statuses[16]).toBe(429);
      release();
    } finally {
      await server.close();
    }
  });

  test('close() removes the environments of every function', async () => {
    const a = fakeFunction(() => ({}), spec('FnA', 'S/A'));
    const b = fakeFunction(() => ({}), spec('FnB', 'S/B'));
    const { server, port } = await serverWith([a.fn, b.fn], { maxConcurrency: 2 });
    await Promise.all([request(port, invoke('S/A'), '{}'), request(port, invoke('S/B'), '{}')]);
    expect(FakeSandbox.live).toBe(2);
    await server.close();
    expect(FakeSandbox.live).toBe(0);
    expect([...a.started, ...b.started].every(s => s.destroyed)).toBe(true);
  });
});

describe('no request can take the server down', () => {
  const problems: unknown[] = [];
  const record = (e: unknown) => problems.push(e);
  beforeAll(() => { process.on('uncaughtException', record); process.on('unhandledRejection', record); });
  afterAll(() => { process.off('uncaughtException', record); process.off('unhandledRejection', record); });
  afterEach(() => jest.restoreAllMocks());

  // Each failure is injected into one per-request path; the next ordinary request must still be answered.
  type Inject = (f: { fn: LocalFunction; setBehaviour: (b: Behaviour) => void; setLog: (l: (t: string) => void) => void }) => void;
  const failures: [string, Inject, http.OutgoingHttpHeaders][] = [
    ['looking up the function', () => { jest.spyOn(functionLookup, 'findFunction').mockImplementation(() => { throw new TypeError('lookup broke'); }); }, {}],
    ['starting an environment (sync throw)', ({ fn }) => { jest.spyOn(fn, 'startSandbox').mockImplementation(() => { throw new Error('docker is gone'); }); }, {}],
    ['starting an environment (rejection)', ({ fn }) => { jest.spyOn(fn, 'startSandbox').mockRejectedValue(new Error('docker is gone')); }, {}],
    ['the invocation', ({ setBehaviour }) => setBehaviour(() => { throw new Error('sandbox broke'); }), {}],
    ['an Event in the background', ({ setBehaviour }) => setBehaviour(() => Promise.reject(new Error('background broke'))), { 'X-Amz-Invocation-Type': 'Event' }],
    ['writing the log (a closed stderr)', ({ setLog }) => setLog(() => { throw new Error('EPIPE'); }), {}],
    ['the log in the background', ({ setLog }) => setLog(() => { throw new Error('EPIPE'); }), { 'X-Amz-Invocation-Type': 'Event' }],
    ['reading the client context', () => { jest.spyOn(clientContext, 'clientContextHeader').mockImplementation(() => { throw new RangeError('decoder broke'); }); }, { 'X-Amz-Client-Context': 'e30=' }],
    ['a thrown non-Error', ({ setBehaviour }) => setBehaviour(() => { throw undefined; }), {}],
  ];

  test.each(failures)('a failure in %s is answered, and the server keeps serving', async (_, inject, headers) => {
    let behaviour: Behaviour = () => ({ payload: Buffer.from('"fine"') });
    let log: (t: string) => void = () => undefined;
    const { fn } = fakeFunction((p, o) => behaviour(p, o));
    const { server, port } = await serverWith([fn], { log: t => log(t) });
    try {
      inject({ fn, setBehaviour: b => { behaviour = b; }, setLog: l => { log = l; } });
      const r = await request(port, invoke('S/Fn'), '{}', headers);
      expect([200, 202, 404, 500]).toContain(r.status);
      await new Promise(res => setTimeout(res, 30));
      jest.restoreAllMocks();
      behaviour = () => ({ payload: Buffer.from('"fine"') });
      log = () => undefined;
      const after = await request(port, invoke('S/Fn'), '{}');
      expect(after).toMatchObject({ status: 200, body: '"fine"' });
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('a request that breaks HTTP itself gets 400 from Node.js, and the server keeps serving', async () => {
    const { fn } = fakeFunction(() => ({ payload: Buffer.from('"fine"') }));
    const { server, port } = await serverWith([fn]);
    try {
      const garbage = await new Promise<string>(resolve => {
        const s = net.connect(port, '127.0.0.1', () => s.end('POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n'));
        let data = '';
        s.on('data', d => { data += d; });
        s.on('close', () => resolve(data));
      });
      expect(garbage).toMatch(/^HTTP\/1.1 400/);
      expect(await request(port, invoke('S/Fn'), '{}')).toMatchObject({ status: 200, body: '"fine"' });
      expect(problems).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('InvokeApiServer under --watch: requests during a rebuild wait, then run the new code', () => {
  test('held, then the functions swapped: the waiting request runs the new function; the old pool is retired', async () => {
    const old = fakeFunction(() => ({ payload: Buffer.from('"old"') }));
    const fresh = fakeFunction(() => ({ payload: Buffer.from('"new"') }));
    const { server, port } = await serverWith([old.fn]);
    try {
      expect((await request(port, invoke('S/Fn'), '{}')).body).toBe('"old"');
      const release = server.gate.hold();
      const waiting = request(port, invoke('S/Fn'), '{}');
      await new Promise(r => setTimeout(r, 50));
      await server.serve([fresh.fn]);
      expect(old.started.every(s => s.destroyed)).toBe(true);
      release();
      expect((await waiting).body).toBe('"new"');
      expect(server.served).toEqual([fresh.fn]);
    } finally {
      await server.close();
    }
  });

  test('a rebuild longer than the wait bound: 409 ResourceConflictException, never the old code', async () => {
    const old = fakeFunction(() => ({ payload: Buffer.from('"old"') }));
    const server = new InvokeApiServer({ functions: [old.fn], maxConcurrency: 1, rebuildWaitMs: 50 });
    const port = await server.listen(0);
    try {
      const release = server.gate.hold();
      const r = await request(port, invoke('S/Fn'), '{}');
      release();
      expect(r.status).toBe(409);
      expect(r.headers['x-amzn-errortype']).toBe('ResourceConflictException');
      expect(JSON.parse(r.body).message).toMatch(/still being rebuilt \(--watch\)/);
      expect(old.started).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  test('a function the rebuild removed: 404 for the request that waited', async () => {
    const old = fakeFunction(() => ({}));
    const other = fakeFunction(() => ({}), spec('OtherABC', 'S/Other'));
    const { server, port } = await serverWith([old.fn, other.fn]);
    try {
      const release = server.gate.hold();
      const waiting = request(port, invoke('S/Fn'), '{}');
      await new Promise(r => setTimeout(r, 50));
      await server.serve([other.fn]);
      release();
      expect((await waiting).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
