// The Invoke API endpoint's answers that need no container: routing, validation, limits, DryRun.
import * as http from 'http';
import { FunctionSpec } from '../../../lib/local/functions/function-spec';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { InvokeApiServer, functionNameOf } from '../../../lib/local/service/invoke-api';

const spec: FunctionSpec = {
  stackName: 'S',
  logicalId: 'FnABC',
  path: 'S/Fn',
  functionName: 'S-FnABC',
  memoryMb: 128,
  timeoutSeconds: 3,
  architecture: 'x86_64',
  environment: {},
  unresolvedEnvironment: [],
  image: { kind: 'uri', uri: 'x' },
};
// Never started: every request below is answered before a container would be needed.
const fn = { spec, startSandbox: () => { throw new Error('no container expected'); } } as unknown as LocalFunction;

function request(port: number, path: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}, method = 'POST'):
Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, res => {
      let data = '';
      res.on('data', d => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('InvokeApiServer without containers', () => {
  let server: InvokeApiServer;
  let port: number;
  beforeAll(async () => {
    server = new InvokeApiServer({ functions: [fn], maxConcurrency: 1 });
    port = await server.listen(0);
  });
  afterAll(() => server.close());

  const invoke = (name: string) => `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;

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

  test('function names from ARNs and partial ARNs', () => {
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:my-fn')).toBe('my-fn');
    expect(functionNameOf('arn:aws:lambda:eu-west-1:123456789012:function:my-fn:prod')).toBe('my-fn');
    expect(functionNameOf('123456789012:function:my-fn')).toBe('my-fn');
    expect(functionNameOf('Stack/Fn')).toBe('Stack/Fn');
  });
});
