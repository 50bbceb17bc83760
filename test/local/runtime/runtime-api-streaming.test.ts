// The Runtime API's streaming response mode, driven the way aws-lambda-ric streams: a chunked POST with
// `Lambda-Runtime-Function-Response-Mode: streaming` and errors in trailers.
import * as http from 'http';
import { RuntimeApiServer, StreamedResponse } from '../../../lib/local/runtime/runtime-api';

function poll(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/2018-06-01/runtime/invocation/next' }, res => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
}

/** Starts a streamed response; the caller writes chunks and ends it (optionally with error trailers). */
function streamResponse(port: number, requestId: string, contentType = 'application/vnd.awslambda.http-integration-response') {
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/2018-06-01/runtime/invocation/${requestId}/response`,
    headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Content-Type': contentType, 'Transfer-Encoding': 'chunked', 'Trailer': 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
  });
  const status = new Promise<number>((resolve, reject) => { req.on('response', r => { r.resume(); resolve(r.statusCode!); }); req.on('error', reject); });
  return { req, status };
}

const invocation = (requestId: string, onStream?: (s: StreamedResponse) => void) =>
  ({ requestId, payload: Buffer.from('{}'), deadlineMs: Date.now() + 10_000, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f', onStream });

describe('RuntimeApiServer: response streaming', () => {
  let api: RuntimeApiServer;
  let port: number;
  beforeEach(async () => {
    api = new RuntimeApiServer({ maxResponseBytes: 100 });
    port = await api.listen('127.0.0.1');
  });
  afterEach(() => api.close());

  test('the first chunk reaches the caller before the function ends its stream; the outcome comes at the end', async () => {
    const got: Buffer[] = [];
    let stream: StreamedResponse | undefined;
    let settled = false;
    const outcome = api.invoke(invocation('s1', s => { stream = s; s.body.on('data', (c: Buffer) => got.push(c)); }));
    void outcome.then(() => { settled = true; });
    await poll(port);
    const { req, status } = streamResponse(port, 's1');
    req.write('{"statusCode":201}');
    req.write(Buffer.alloc(8));
    req.write('first');
    await new Promise(r => setTimeout(r, 200));
    expect(stream!.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(Buffer.concat(got).toString()).toBe('{"statusCode":201}\0\0\0\0\0\0\0\0first');
    expect(settled).toBe(false);
    req.end('second');
    expect(await outcome).toEqual({ kind: 'response', body: Buffer.alloc(0) });
    expect(await status).toBe(202);
    expect(Buffer.concat(got).toString()).toMatch(/firstsecond$/);
  });

  test('an error in the trailers makes the invocation an error, with the decoded error body', async () => {
    const outcome = api.invoke(invocation('s2', s => s.body.resume()));
    await poll(port);
    const { req } = streamResponse(port, 's2');
    req.write('partial');
    const error = { errorType: 'Error', errorMessage: 'broke mid-stream' };
    req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64') });
    req.end();
    expect(await outcome).toEqual({ kind: 'error', errorType: 'Error', body: Buffer.from(JSON.stringify(error)) });
  });

  test('without a stream taker the streamed body is collected whole; trailer errors still count', async () => {
    const ok = api.invoke(invocation('s3'));
    await poll(port);
    const a = streamResponse(port, 's3', 'text/plain');
    a.req.write('one,');
    a.req.end('two');
    expect(await ok).toEqual({ kind: 'response', body: Buffer.from('one,two') });

    const failed = api.invoke(invocation('s4'));
    await poll(port);
    const b = streamResponse(port, 's4');
    b.req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'TypeError', 'Lambda-Runtime-Function-Error-Body': Buffer.from('{"errorType":"TypeError"}').toString('base64') });
    b.req.end('x');
    expect(await failed).toEqual({ kind: 'error', errorType: 'TypeError', body: Buffer.from('{"errorType":"TypeError"}') });
  });

  test('a stream for another request id is not handed over', async () => {
    let handed = false;
    const outcome = api.invoke(invocation('s5', () => { handed = true; }));
    await poll(port);
    const { req, status } = streamResponse(port, 'other');
    req.end('x');
    expect(await status).toBe(400);
    expect(handed).toBe(false);
    api.abandon();
    void outcome;
  });
});
