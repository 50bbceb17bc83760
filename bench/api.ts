/**
 * bench:api — the HTTP front door's cost on a real Docker engine, with test/fixtures/functions/http-node
 * (the real aws-lambda-ric on the Node.js stand-in base):
 *   - overhead over serve: the same warm function, the same event, through `serve`'s Invoke API endpoint
 *     and through an HTTP API route (`GET /items/{id}`: route match, 2.0 event, response mapping); p50 and
 *     p99 over 200 sequential requests each (interleaved, so load affects both alike), then 8-way
 *     concurrent (8 clients × 25 requests each, 8 warm containers per path);
 *   - streaming: a RESPONSE_STREAM Function URL whose function writes a line, waits 1.5 s and writes
 *     another; time to the first byte against the whole response, over 10 requests.
 * Target: p50 overhead ≤ 1 ms. Prints only, never asserts.
 */
import './support/outside-jest';
import * as http from 'http';
import * as path from 'path';
import { FrontDoor } from '../lib/local/http/front-door';
import { FunctionPools } from '../lib/local/service/function-pools';
import { ApiInfo, HttpRoute } from '../lib/local/http/routes';
import { LocalFunction } from '../lib/local/functions/local-function';
import { InvokeApiServer } from '../lib/local/service/invoke-api';
import { dockerAvailability, docker, imageExists } from '../test/integ/support/docker';
import { leftoverContainers, testFunctionSpec } from '../test/integ/support/local-images';
import { ensureStandIns } from '../test/integ/support/standins';

const SEQUENTIAL = 200;
const CONCURRENCY = 8;
const PER_CLIENT = 25;
const STREAMS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const p = (ms: number[], q: number) => percentile([...ms].sort((a, b) => a - b), q);
const summary = (label: string, ms: number[]) =>
  `${label}: p50 ${p(ms, 50).toFixed(2)} ms, p99 ${p(ms, 99).toFixed(2)} ms, min ${Math.min(...ms).toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms (n=${ms.length})`;

/** One request; resolves with its round trip in ms (and the time to the first body byte). */
function timed(agent: http.Agent, port: number, method: string, urlPath: string, body?: string): Promise<{ total: number; first: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent }, res => {
      res.on('data', () => { if (!first) first = performance.now() - started; });
      res.on('end', () => res.statusCode! < 300 ? resolve({ total: performance.now() - started, first }) : reject(new Error(`${urlPath}: status ${res.statusCode}`)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const engine = dockerAvailability();
  if (!engine.ok) throw new Error(`bench:api needs a Docker engine: ${engine.reason}`);
  const { nodeTag } = await ensureStandIns();
  const image = `ccf-bench/http-node:${nodeTag.split(':')[1]}`;
  if (!(await imageExists(image))) await docker(['build', '-q', '-t', image, '--build-arg', `BASE=${nodeTag}`, path.join(__dirname, '..', 'test', 'fixtures', 'functions', 'http-node')]);
  const prepare = (logicalId: string, handler: string) => LocalFunction.prepare({
    fn: testFunctionSpec(image, { stackName: 'Bench', logicalId, path: `Bench/${logicalId}`, functionName: `Bench-${logicalId}`, command: [handler] }),
    image, environment: {}, region: 'us-east-1',
  });
  const echo = await prepare('Echo', 'index.echo');
  const stream = await prepare('Stream', 'index.stream');
  console.log(`bench:api on ${engine.reason}, image ${image}`);

  const api = (o: Partial<ApiInfo>): ApiInfo => ({ kind: 'http', stackName: 'Bench', logicalId: 'Api', path: 'Bench/Api', stage: '$default', stageVariables: {}, binaryMediaTypes: [], gatewayResponses: [], ...o });
  const httpApi = api({});
  const urlApi = api({ kind: 'url', logicalId: 'Url', path: 'Bench/Url', invokeMode: 'RESPONSE_STREAM' });
  const route = (a: ApiInfo, method: string, p0: string, fn: string): HttpRoute =>
    ({ api: a, method, path: p0, function: { stackName: 'Bench', logicalId: fn }, payloadVersion: '2.0', auth: { type: 'NONE' }, timeoutMs: 30_000 });
  const functions = new Map([['Bench/Echo', echo], ['Bench/Stream', stream]]);
  const pools = new FunctionPools({ maxConcurrency: CONCURRENCY, log: () => undefined });
  const door = new FrontDoor({ api: httpApi, routes: [route(httpApi, 'GET', '/items/{id}', 'Echo')], mocks: [], functions, pools, log: () => undefined });
  const urlDoor = new FrontDoor({ api: urlApi, routes: [route(urlApi, 'ANY', '$default', 'Stream')], mocks: [], functions, pools, log: () => undefined });
  const serve = new InvokeApiServer({ functions: [echo], maxConcurrency: CONCURRENCY });
  const doorPort = await door.listen(0, '127.0.0.1');
  const urlPort = await urlDoor.listen(0, '127.0.0.1');
  const servePort = await serve.listen(0);

  try {
    // The event the front door sends for GET /items/1, sent as is to serve: both paths run the same work in the function.
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
    const warm = async () => {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => timed(agent, doorPort, 'GET', '/items/1')));
      await Promise.all(Array.from({ length: CONCURRENCY }, () => timed(agent, servePort, 'POST', '/2015-03-31/functions/Bench-Echo/invocations', '{}')));
    };
    await warm();
    const captured = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: doorPort, path: '/items/1', agent }, res => {
        let b = '';
        res.on('data', d => { b += d; });
        res.on('end', () => resolve(JSON.parse(b) as unknown as string));
      }).on('error', reject);
    });
    const event = JSON.stringify(captured);
    const viaServe = () => timed(agent, servePort, 'POST', '/2015-03-31/functions/Bench-Echo/invocations', event);
    const viaDoor = () => timed(agent, doorPort, 'GET', '/items/1');
    for (let i = 0; i < 20; i++) { await viaServe(); await viaDoor(); }

    const seqServe: number[] = [];
    const seqDoor: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      seqServe.push((await viaServe()).total);
      seqDoor.push((await viaDoor()).total);
    }
    const concurrent = async (f: () => Promise<{ total: number }>) => {
      const out: number[] = [];
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => { for (let i = 0; i < PER_CLIENT; i++) out.push((await f()).total); }));
      return out;
    };
    const conServe = await concurrent(viaServe);
    const conDoor = await concurrent(viaDoor);

    const ttfb: number[] = [];
    const total: number[] = [];
    await timed(agent, urlPort, 'GET', '/'); // cold start out of the way
    for (let i = 0; i < STREAMS; i++) {
      const r = await timed(agent, urlPort, 'GET', '/');
      ttfb.push(r.first);
      total.push(r.total);
    }
    agent.destroy();

    console.log(summary(`sequential, serve Invoke API (${SEQUENTIAL})`, seqServe));
    console.log(summary(`sequential, HTTP API front door (${SEQUENTIAL})`, seqDoor));
    console.log(`  front door overhead: p50 ${(p(seqDoor, 50) - p(seqServe, 50)).toFixed(2)} ms, p99 ${(p(seqDoor, 99) - p(seqServe, 99)).toFixed(2)} ms (target p50 ≤ 1 ms)`);
    // Each front door request ran right after its serve twin: the median of the pairs' differences is the least load-sensitive.
    console.log(`  median of paired differences (front door − serve): ${p(seqDoor.map((d, i) => d - seqServe[i]), 50).toFixed(2)} ms; minimums ${(Math.min(...seqDoor) - Math.min(...seqServe)).toFixed(2)} ms apart`);
    console.log(summary(`${CONCURRENCY}-way concurrent, serve Invoke API (${CONCURRENCY}×${PER_CLIENT})`, conServe));
    console.log(summary(`${CONCURRENCY}-way concurrent, HTTP API front door (${CONCURRENCY}×${PER_CLIENT})`, conDoor));
    console.log(`  front door overhead: p50 ${(p(conDoor, 50) - p(conServe, 50)).toFixed(2)} ms, p99 ${(p(conDoor, 99) - p(conServe, 99)).toFixed(2)} ms`);
    console.log(summary(`streaming Function URL, time to first byte (${STREAMS})`, ttfb));
    console.log(summary(`streaming Function URL, whole response (${STREAMS}); the function writes for 1.5 s`, total));
  } finally {
    await door.close();
    await urlDoor.close();
    await pools.close();
    await serve.close();
  }
  const left = await leftoverContainers();
  if (left.length) console.log(`containers left behind: ${left.join(', ')}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
