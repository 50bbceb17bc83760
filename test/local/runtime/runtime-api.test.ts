import * as http from 'http';
import { RuntimeApiServer } from '../../../lib/local/runtime/runtime-api';

/** A stand-in for a runtime interface client: plain HTTP calls against the server. */
function call(port: number, method: string, path: string, body?: string, headers: http.OutgoingHttpHeaders = {}):
Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: `/2018-06-01/runtime${path}`, headers }, res => {
      let data = '';
      res.on('data', d => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('RuntimeApiServer', () => {
  let api: RuntimeApiServer;
  let port: number;
  beforeEach(async () => {
    api = new RuntimeApiServer(100);
    port = await api.listen('127.0.0.1');
  });
  afterEach(() => api.close());

  const invocation = (requestId: string) => ({ requestId, payload: Buffer.from('{"a":1}'), deadlineMs: 1234, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', traceId: 'Root=1-x', clientContext: Buffer.from('{"custom":1}').toString('base64') });

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

  test('an event waits for the next poll', async () => {
    const outcome = api.invoke(invocation('r2'));
    const n = await call(port, 'GET', '/invocation/next');
    expect(n.headers['lambda-runtime-aws-request-id']).toBe('r2');
    await call(port, 'POST', '/invocation/r2/error', '{"errorType":"E","errorMessage":"m"}', { 'Lambda-Runtime-Function-Error-Type': 'Handled.E' });
    const o = await outcome;
    expect(o).toMatchObject({ kind: 'error', errorType: 'Handled.E' });
  });

  test('a response over the limit gets 413 and reports its size', async () => {
    const outcome = api.invoke(invocation('r3'));
    await call(port, 'GET', '/invocation/next');
    const r = await call(port, 'POST', '/invocation/r3/response', 'x'.repeat(150));
    expect(r.status).toBe(413);
    expect(await outcome).toEqual({ kind: 'response-too-large', bytes: 150 });
  });

  test('init/error resolves initError', async () => {
    const r = await call(port, 'POST', '/init/error', '{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}', { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    expect(r.status).toBe(202);
    const e = await api.initError;
    expect(e.errorType).toBe('Runtime.ImportModuleError');
    expect(JSON.parse(e.body.toString()).errorMessage).toBe('nope');
  });

  test('a post for an unknown request id is refused with 400', async () => {
    const r = await call(port, 'POST', '/invocation/nobody/response', '{}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).errorType).toBe('InvalidRequestID');
  });

  test('a second event while one is in progress is refused (one request per environment)', async () => {
    void api.invoke(invocation('r4'));
    expect(() => api.invoke(invocation('r5'))).toThrow(/busy with r4/);
  });
});
