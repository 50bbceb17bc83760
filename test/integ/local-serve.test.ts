// `serve` against the real engine, called by the real AWS SDK for JavaScript: Invoke API semantics,
// concurrency served by several containers, and no container left after 50 mixed invocations.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { describeWithDocker } from './support/docker';
import { leftoverContainers, nodeFunctionImage, testFunctionSpec } from './support/local-images';
import { AppFunction } from '../../lib/assembly/app-function';
import { LocalFunction } from '../../lib/local/functions/local-function';
import { InvokeApiServer } from '../../lib/local/service/invoke-api';

jest.setTimeout(20 * 60_000);

const decode = (p?: Uint8Array) => JSON.parse(Buffer.from(p ?? []).toString('utf8'));

describeWithDocker('serve: local Invoke API (real AWS SDK caller)', () => {
  let server: InvokeApiServer;
  let client: LambdaClient;
  let functions: LocalFunction[];

  beforeAll(async () => {
    const image = await nodeFunctionImage();
    const fn = async (logicalId: string, command: string, s: Partial<AppFunction> = {}) => LocalFunction.prepare({
      fn: testFunctionSpec(image, { logicalId, path: `Local/${command.replace('index.', '')}`, functionName: `Local-${logicalId}`, command: [command], ...s }),
      image,
      environment: {},
      region: 'us-east-1',
    });
    functions = await Promise.all([
      fn('OkFn1', 'index.ok'), fn('ThrowsFn2', 'index.throws'), fn('SleepFn3', 'index.sleep', { timeoutSeconds: 1 }),
      fn('BigFn4', 'index.big'), fn('HogFn5', 'index.hog', { memoryMb: 128 }), fn('MissingFn6', 'missing.handler'), fn('SlowFn7', 'index.slow'),
    ]);
    server = new InvokeApiServer({ functions, maxConcurrency: 4 });
    const port = await server.listen(0);
    client = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client?.destroy();
    await server?.close();
    expect(await leftoverContainers()).toEqual([]);
  });

  test('RequestResponse by construct path, logical id, name or ARN; the log tail with LogType Tail', async () => {
    for (const name of ['Local/ok', 'OkFn1', 'Local-OkFn1', 'arn:aws:lambda:us-east-1:123456789012:function:Local-OkFn1']) {
      const r = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"a":1}'), LogType: 'Tail' }));
      expect(r.StatusCode).toBe(200);
      expect(r.FunctionError).toBeUndefined();
      expect(r.ExecutedVersion).toBe('$LATEST');
      expect(decode(r.Payload).echo).toEqual({ a: 1 });
      const tail = Buffer.from(r.LogResult!, 'base64').toString('utf8');
      expect(tail).toMatch(/^START RequestId: \S+ Version: \$LATEST\n/);
      expect(tail).toContain('handling {"a":1}');
      expect(tail).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB/);
    }
  });

  test('10 concurrent calls, half with a client context of non-Latin-1 text or a newline: every one answered, the context intact', async () => {
    // The review's reproduction: these values once crashed the whole server (ERR_INVALID_CHAR in a header).
    const contexts = [{ custom: { city: 'Zürich €' } }, { custom: { note: 'two\nlines' } }];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.send(new InvokeCommand({
      FunctionName: 'OkFn1',
      Payload: Buffer.from(JSON.stringify({ i })),
      ClientContext: i % 2 ? Buffer.from(JSON.stringify(contexts[Math.floor(i / 2) % 2])).toString('base64') : undefined,
    }))));
    results.forEach((r, i) => {
      expect(r.FunctionError).toBeUndefined();
      const body = decode(r.Payload);
      expect(body.echo).toEqual({ i });
      if (i % 2) expect(body.clientContext).toMatchObject(contexts[Math.floor(i / 2) % 2]);
    });
  });

  test('Event is accepted with 202, DryRun answers 204', async () => {
    const e = await client.send(new InvokeCommand({ FunctionName: 'OkFn1', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    expect(e.StatusCode).toBe(202);
    const d = await client.send(new InvokeCommand({ FunctionName: 'OkFn1', InvocationType: 'DryRun' }));
    expect(d.StatusCode).toBe(204);
  });

  test('function errors: 200 with X-Amz-Function-Error: Unhandled and the error payload', async () => {
    const r = await client.send(new InvokeCommand({ FunctionName: 'ThrowsFn2' }));
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    expect(decode(r.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'the handler failed on purpose' });
  });

  test('unknown function: ResourceNotFoundException; oversized request: RequestEntityTooLargeException', async () => {
    await expect(client.send(new InvokeCommand({ FunctionName: 'Nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(client.send(new InvokeCommand({ FunctionName: 'OkFn1', Payload: Buffer.from(JSON.stringify({ x: 'y'.repeat(6_300_000) })) })))
      .rejects.toMatchObject({ name: 'RequestEntityTooLargeException', message: expect.stringMatching(/byte payload is too large for the RequestResponse invocation type \(limit 6291456 bytes\)/) });
  });

  test('8 concurrent invocations: correct results, served by more than one container, one request each at a time', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) =>
      client.send(new InvokeCommand({ FunctionName: 'SlowFn7', Payload: Buffer.from(JSON.stringify({ n, ms: 400 })) }))));
    const bodies = results.map(r => decode(r.Payload));
    expect(bodies.map(b => b.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const hosts = new Set(bodies.map(b => b.host));
    expect(hosts.size).toBeGreaterThan(1);
    expect(hosts.size).toBeLessThanOrEqual(4); // --max-concurrency
    expect(server.poolOf(functions[6]).size).toBeLessThanOrEqual(4);
  });

  test('50 invocations mixing every case; after shutdown, zero containers', async () => {
    const kinds = [
      ...Array(20).fill('ok'), ...Array(10).fill('throws'), ...Array(4).fill('timeout'), ...Array(5).fill('big'),
      ...Array(4).fill('hog'), ...Array(4).fill('init'), ...Array(3).fill('oversized'),
    ];
    expect(kinds).toHaveLength(50);
    const call = async (kind: string, i: number) => {
      const fnName = { ok: 'OkFn1', throws: 'ThrowsFn2', timeout: 'SleepFn3', big: 'BigFn4', hog: 'HogFn5', init: 'MissingFn6', oversized: 'OkFn1' }[kind]!;
      const payload = kind === 'oversized' ? JSON.stringify({ x: 'y'.repeat(6_300_000) }) : JSON.stringify({ i });
      try {
        const r = await client.send(new InvokeCommand({ FunctionName: fnName, Payload: Buffer.from(payload) }));
        return { kind, error: r.FunctionError ? decode(r.Payload).errorType : undefined, ok: r.FunctionError ? undefined : decode(r.Payload) };
      } catch (e) {
        return { kind, error: (e as Error).name };
      }
    };
    // Several at once, in a shuffled but fixed order.
    const order = kinds.map((k, i) => ({ k, i, key: (i * 37) % 50 })).sort((a, b) => a.key - b.key);
    const out: { kind: string; error?: string; ok?: any }[] = [];
    for (let i = 0; i < order.length; i += 5) out.push(...await Promise.all(order.slice(i, i + 5).map(o => call(o.k, o.i))));
    const expected: { [k: string]: string | undefined } = {
      ok: undefined,
      throws: 'TypeError',
      timeout: 'Sandbox.Timedout',
      big: 'Function.ResponseSizeTooLarge',
      hog: 'Runtime.OutOfMemory',
      init: 'Runtime.ImportModuleError',
      oversized: 'RequestEntityTooLargeException',
    };
    // All 50 compared at once, so a failure shows every call that went wrong, not only the first.
    expect(out.map(o => `${o.kind}: ${o.error ?? 'ok'}`)).toEqual(out.map(o => `${o.kind}: ${expected[o.kind] ?? 'ok'}`));
    expect(out.filter(o => o.kind === 'ok').every(o => typeof o.ok.echo.i === 'number')).toBe(true);
    await server.close();
    expect(await leftoverContainers()).toEqual([]);
  });
});
