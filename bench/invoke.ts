/**
 * bench:invoke — one run on a real Docker engine, with the local runtime tests' Node.js function (the
 * real aws-lambda-ric on the Node.js stand-in base):
 *   - 200 warm invokes through `serve`'s Invoke API endpoint: p50 and p99 round trip, over a keep-alive
 *     HTTP connection, then 200 more through the AWS SDK for JavaScript (signing and parsing included);
 *   - 10 cold invokes (start a container, runtime init, the event, the answer) against 10 bare
 *     `docker run --rm --entrypoint true IMAGE` of the same image, interleaved so load affects both alike.
 * Targets: warm p50 ≤ 10 ms; cold ≤ 1.3× the bare `docker run`. Prints only, never asserts.
 */
import './support/outside-jest';
import { spawn } from 'child_process';
import * as http from 'http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { dockerCommand } from '../lib/docker';
import { InvokeApiServer } from '../lib/local/service/invoke-api';
import { LocalFunction } from '../lib/local/functions/local-function';
import { dockerAvailability } from '../test/integ/support/docker';
import { leftoverContainers, nodeFunctionImage, testFunctionSpec } from '../test/integ/support/local-images';

const WARM = 200;
const COLD = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label}: p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms, min ${s[0].toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (n=${s.length})`;
}

function median(ms: number[]): number {
  return percentile([...ms].sort((a, b) => a - b), 50);
}

function post(agent: http.Agent, port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/2015-03-31/functions/Bench-Fn/invocations', agent }, res => {
      res.resume();
      res.on('end', () => res.statusCode === 200 && !res.headers['x-amz-function-error'] ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function bareRun(image: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(dockerCommand(), ['run', '--rm', '--entrypoint', 'true', image], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', code => code === 0 ? resolve(performance.now() - started) : reject(new Error(`docker run exited ${code}`)));
  });
}

async function main(): Promise<void> {
  const engine = dockerAvailability();
  if (!engine.ok) throw new Error(`bench:invoke needs a Docker engine: ${engine.reason}`);
  const image = await nodeFunctionImage();
  const spec = testFunctionSpec(image, { stackName: 'Bench', logicalId: 'Fn', path: 'Bench/Fn', functionName: 'Bench-Fn', command: ['index.ok'] });
  const fn = await LocalFunction.prepare({ fn: spec, image, environment: {}, region: 'us-east-1' });
  console.log(`bench:invoke on ${engine.reason}, image ${image}`);

  // Warm: one container, kept warm by the pool.
  const server = new InvokeApiServer({ functions: [fn], maxConcurrency: 1 });
  const port = await server.listen(0);
  await server.poolOf(fn).prewarm();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 20; i++) await post(agent, port, '{"warmup":true}');
  const raw: number[] = [];
  for (let i = 0; i < WARM; i++) raw.push(await post(agent, port, JSON.stringify({ i })));
  const client = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const sdk: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const started = performance.now();
    await client.send(new InvokeCommand({ FunctionName: 'Bench/Fn', Payload: Buffer.from(JSON.stringify({ i })) }));
    sdk.push(performance.now() - started);
  }
  client.destroy();
  agent.destroy();
  await server.close();

  // Cold: a new container per invoke, timed from `docker run` to the answer (removal not included), next
  // to a bare `docker run --rm` (create, start, exit, remove) of the same image.
  const cold: number[] = [];
  const coldWithRemoval: number[] = [];
  const init: number[] = [];
  const bare: number[] = [];
  await bareRun(image); // the first run of an image pays one-off costs
  for (let i = 0; i < COLD; i++) {
    bare.push(await bareRun(image));
    const started = performance.now();
    const sandbox = await fn.startSandbox();
    const r = await sandbox.invoke(Buffer.from('{"cold":true}'));
    cold.push(performance.now() - started);
    init.push(r.initDurationMs ?? NaN);
    await sandbox.destroy();
    coldWithRemoval.push(performance.now() - started);
  }

  console.log(summary(`warm, ${WARM} invokes through serve (HTTP keep-alive)`, raw));
  console.log(summary(`warm, ${WARM} invokes through serve (AWS SDK InvokeCommand)`, sdk));
  console.log(summary(`cold, ${COLD} invokes (docker run → answer)`, cold));
  console.log(summary(`cold, ${COLD} invokes incl. container removal`, coldWithRemoval));
  console.log(summary(`  of which Init Duration (docker run → first /next)`, init));
  console.log(summary(`bare docker run --rm --entrypoint true, ${COLD} runs`, bare));
  console.log(`warm p50 ${percentile([...raw].sort((a, b) => a - b), 50).toFixed(2)} ms (target ≤ 10 ms)`);
  console.log(`cold/bare median ratio ${(median(cold) / median(bare)).toFixed(2)}× (target ≤ 1.3×); incl. removal ${(median(coldWithRemoval) / median(bare)).toFixed(2)}×`);
  const left = await leftoverContainers();
  if (left.length) console.log(`containers left behind: ${left.join(', ')}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
