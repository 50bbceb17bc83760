import * as http from 'http';
import { asciiJson } from '../../../lib/local/runtime/client-context';
import { RuntimeApiServer, RuntimeOutcome, plainAddress } from '../../../lib/local/runtime/runtime-api';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A stand-in for a runtime interface client: plain HTTP calls against the server. */
function call(port: number, method: string, path: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: `/2018-06-01/runtime${path}`, headers, agent: false }, res => {
      let data = '';
      res.on('data', d => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Whether `p` settles within 100 ms. */
const settled = <T>(p: Promise<T>) =>
  Promise.race([p.then(() => ({ done: true })), new Promise<{ done: boolean }>(r => setTimeout(() => r({ done: false }), 100))]);

describe('RuntimeApiServer', () => {
  let api: RuntimeApiServer;
  let port: number;
  beforeEach(async () => {
    api = new RuntimeApiServer({ maxResponseBytes: 100 });
    port = await api.listen('127.0.0.1');
  });
  afterEach(() => api.close());

  const invocation = (requestId: string, clientContext = asciiJson({ custom: 1 })) => ({ requestId, payload: Buffer.from('{"a":1}'), deadlineMs: 1234, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', traceId: 'Root=1-x', clientContext });

  test('next delivers the event with the Lambda-Runtime headers; response resolves the invocation', async () => {
    const next = call(port, 'GET', '/invocation/next');
    let initDone = false;
    void api.initDone.then(() => { initDone = true; });
    const outcome = api.invoke(invocation('r1'));
    const n = await next;
    expect(initDone).toBe(true);
    expect(n.status).toBe(200);
    expect(n.body).toBe('{"a":1}');
    expect(n.headers['lambda-runtime-aws-request-id']).toBe('r1');
    expect(n.headers['lambda-runtime-deadline-ms']).toBe('1234');
    expect(n.headers['lambda-runtime-invoked-function-arn']).toContain(':function:f');
    expect(n.headers['lambda-runtime-trace-id']).toBe('Root=1-x');
    expect(n.headers['lambda-runtime-client-context']).toBe('{"custom":1}');
    const posted = await call(port, 'POST', '/invocation/r1/response', '"done"');
    expect(posted.status).toBe(202);
    expect(await outcome).toEqual({ kind: 'response', body: Buffer.from('"done"') });
  });

  test('an event waits for the next poll; the error type comes from the header, the body is kept as sent', async () => {
    const outcome = api.invoke(invocation('r2'));
    const n = await call(port, 'GET', '/invocation/next');
    expect(n.headers['lambda-runtime-aws-request-id']).toBe('r2');
    await call(port, 'POST', '/invocation/r2/error', '{"errorType":"E","errorMessage":"m"}', { 'Lambda-Runtime-Function-Error-Type': 'Handled.E' });
    expect(await outcome).toEqual({ kind: 'error', errorType: 'Handled.E', body: Buffer.from('{"errorType":"E","errorMessage":"m"}') });
  });

  test('a client context with non-Latin-1 characters and newlines reaches the runtime as the same JSON', async () => {
    const context = { custom: { city: 'Zürich €', note: 'two\nlines' } };
    const outcome = api.invoke(invocation('r-ctx', asciiJson(context)));
    const n = await call(port, 'GET', '/invocation/next');
    expect(JSON.parse(n.headers['lambda-runtime-client-context'] as string)).toEqual(context);
    await call(port, 'POST', '/invocation/r-ctx/response', '1');
    await outcome;
  });

  test('a header value that cannot be sent fails that invocation, not the server', async () => {
    const outcome = api.invoke(invocation('r-bad', '{"city":"Zürich"}'));
    const n = await call(port, 'GET', '/invocation/next');
    expect(n.status).toBe(500);
    expect(await outcome).toMatchObject({ kind: 'error', errorType: 'Runtime.InvalidRequest' });
    // Still serving.
    const next = api.invoke(invocation('r-after'));
    expect((await call(port, 'GET', '/invocation/next')).headers['lambda-runtime-aws-request-id']).toBe('r-after');
    await call(port, 'POST', '/invocation/r-after/response', '1');
    await next;
  });

  test('a response over the limit gets 413 and reports its size, also when it arrives chunked', async () => {
    const outcome = api.invoke(invocation('r3'));
    await call(port, 'GET', '/invocation/next');
    const r = await call(port, 'POST', '/invocation/r3/response', 'x'.repeat(150));
    expect(r.status).toBe(413);
    expect(await outcome).toEqual({ kind: 'response-too-large', bytes: 150 });
    const chunked = api.invoke(invocation('r3b'));
    await call(port, 'GET', '/invocation/next');
    const c = await call(port, 'POST', '/invocation/r3b/response', 'é'.repeat(60), { 'Transfer-Encoding': 'chunked' });
    expect(c.status).toBe(413); // 60 characters, 120 bytes: the limit counts bytes
    expect(await chunked).toEqual({ kind: 'response-too-large', bytes: 120 });
  });

  test('init/error resolves initError', async () => {
    const r = await call(port, 'POST', '/init/error', '{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    expect(r.status).toBe(202);
    const e = await api.initError;
    expect(e.errorType).toBe('Runtime.ImportModuleError');
    expect(JSON.parse(e.body.toString()).errorMessage).toBe('nope');
  });

  test('a post for another request id than the one in progress is refused, and the right one still lands', async () => {
    const outcome = api.invoke(invocation('r-right'));
    await call(port, 'GET', '/invocation/next');
    const wrong = await call(port, 'POST', '/invocation/r-wrong/response', '"forged"');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body).errorType).toBe('InvalidRequestID');
    expect((await settled(outcome)).done).toBe(false);
    expect((await call(port, 'POST', '/invocation/r-right/response', '"real"')).status).toBe(202);
    expect(await outcome).toEqual({ kind: 'response', body: Buffer.from('"real"') });
  });

  test('a response before its event was delivered is refused', async () => {
    const outcome = api.invoke(invocation('r-early'));
    const early = await call(port, 'POST', '/invocation/r-early/response', '"guessed"');
    expect(early.status).toBe(400);
    expect((await settled(outcome)).done).toBe(false);
    expect((await call(port, 'GET', '/invocation/next')).headers['lambda-runtime-aws-request-id']).toBe('r-early');
    await call(port, 'POST', '/invocation/r-early/response', '"real"');
    expect(await outcome).toEqual({ kind: 'response', body: Buffer.from('"real"') });
  });

  test('a malformed %-escape in the request id is a 400, not a crash', async () => {
    const outcome = api.invoke(invocation('r%'));
    await call(port, 'GET', '/invocation/next');
    expect((await call(port, 'POST', '/invocation/r%E0%A4%A/response', '1')).status).toBe(400);
    expect((await call(port, 'POST', '/invocation/r%25/response', '1')).status).toBe(202);
    await outcome;
  });

  test('a second poller does not replace the one waiting: it is refused and the first gets the event', async () => {
    const first = call(port, 'GET', '/invocation/next');
    await new Promise(r => setTimeout(r, 50));
    const second = await call(port, 'GET', '/invocation/next');
    expect(second.status).toBe(409);
    const outcome = api.invoke(invocation('r-one'));
    expect((await first).headers['lambda-runtime-aws-request-id']).toBe('r-one');
    await call(port, 'POST', '/invocation/r-one/response', '1');
    await outcome;
  });

  test('a second event while one is in progress is refused (one request per environment)', async () => {
    void api.invoke(invocation('r4'));
    expect(() => api.invoke(invocation('r5'))).toThrow(/busy with r4/);
  });

  test('unknown paths and methods: 404', async () => {
    expect((await call(port, 'PUT', '/invocation/next')).status).toBe(404);
    expect((await call(port, 'GET', '/invocation/r/response')).status).toBe(404);
  });
});

describe('RuntimeApiServer admits only its own container', () => {
  test('a refused peer gets 403 and no event; the admitted one gets it', async () => {
    const asked: string[] = [];
    const refused: string[] = [];
    let admitted = false;
    const api = new RuntimeApiServer({ admit: a => { asked.push(a); return admitted; }, onRefused: a => refused.push(a) });
    const port = await api.listen('127.0.0.1');
    try {
      const outcome: Promise<RuntimeOutcome> = api.invoke({ requestId: 'r', payload: Buffer.from('{"secret":1}'), deadlineMs: 1, functionArn: 'arn' });
      const thief = await call(port, 'GET', '/invocation/next');
      expect(thief.status).toBe(403);
      expect(thief.body).not.toContain('secret');
      expect(JSON.parse(thief.body).errorType).toBe('AccessDeniedException');
      const forged = await call(port, 'POST', '/invocation/r/response', '"forged"');
      expect(forged.status).toBe(403);
      expect(refused).toEqual(['127.0.0.1', '127.0.0.1']);
      admitted = true;
      const own = await call(port, 'GET', '/invocation/next');
      expect(own.body).toBe('{"secret":1}');
      await call(port, 'POST', '/invocation/r/response', '"real"');
      expect(await outcome).toEqual({ kind: 'response', body: Buffer.from('"real"') });
      expect(asked.every(a => a === '127.0.0.1')).toBe(true);
    } finally {
      await api.close();
    }
  });

  test('an admit check that throws refuses, and the server keeps serving', async () => {
    let calls = 0;
    const api = new RuntimeApiServer({ admit: () => { if (calls++ === 0) throw new Error('inspect failed'); return true; } });
    const port = await api.listen('127.0.0.1');
    try {
      expect((await call(port, 'GET', '/invocation/nope')).status).toBe(403);
      expect((await call(port, 'GET', '/invocation/nope')).status).toBe(404);
    } finally {
      await api.close();
    }
  });

  test('IPv4-mapped peer addresses are compared as plain IPv4', () => {
    expect(plainAddress('::ffff:172.17.0.2')).toBe('172.17.0.2');
    expect(plainAddress('::1')).toBe('::1');
  });
});
