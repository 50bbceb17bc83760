/**
 * bench:watch — the inner loop on a real Docker engine: `serve --watch` (the CLI, as users run it) on a CDK app
 * with three functions, and a code-only edit of each, timed from the file save to the first response that carries the
 * new code (edit, the rebuild of that one image, a new warm container, the answer):
 *   - the csv-processor example's function (examples/csv-processor/function: its Dockerfile and handler), invoked with
 *     an event of no records, so it answers without S3. Neither public.ecr.aws nor PyPI is reachable here, so its
 *     FROM is the Python stand-in and its dependency step installs the same libraries (pandas, boto3) from Debian's
 *     packages instead of PyPI: the dependency layer stays the function's own, as in the example;
 *   - a Node.js function in the shape AWS documents (package.json, `npm install` of its dependency from the npm
 *     registry, then the handler), on the Node.js stand-in with the real aws-lambda-ric;
 *   - the same handler with no dependency at all: the floor, where the cold figure is little more than a cold start.
 * Beside each: the cold figure, a `docker build --no-cache` of the same context with the asset's own build
 * arguments and secrets, plus a cold invoke of that image (start a container, runtime init, the event, the answer).
 * Target: the loop ≤ 0.25 of the cold figure. Prints medians of EDITS edits (and each run); never asserts.
 * The app is a JavaScript CDK app (aws-cdk-lib's DockerImageFunction), so synthesis costs what such an app costs.
 */
import './support/outside-jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readApp } from '../lib/assembly';
import { dockerBuildCommand } from '../lib/assembly/build-image';
import { runDocker } from '../lib/docker';
import { LocalFunction } from '../lib/local/functions/local-function';
import { startCli, waitFor } from '../test/integ/support/cli-process';
import { dockerAvailability, docker } from '../test/integ/support/docker';
import { loggingDockerClient } from '../test/integ/support/docker-log';
import { CSV_PROCESSOR_FROM, testFunctionSpec } from '../test/integ/support/local-images';
import { freePort } from '../test/integ/support/registry';
import { HOST_CA_BUNDLE, ensureStandIns } from '../test/integ/support/standins';

const EDITS = 3;
const ROOT = path.join(__dirname, '..');

const NODE_HANDLER = (v: string) => `'use strict';\nexports.handler = async () => ({ version: '${v}' });\n`;
const NODE_DOCKERFILE = 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n';
/** The handler validates its answer with its dependency, so the dependency is really loaded at init. */
const NODE_DEPS_HANDLER = (v: string) => `'use strict';\nconst { z } = require('zod');\nexports.handler = async () => ({ version: z.string().parse('${v}') });\n`;
const NODE_DEPS_PACKAGE = JSON.stringify({ name: 'bench-fn', version: '1.0.0', private: true, dependencies: { zod: '3.23.8' } }, undefined, 2) + '\n';
// AWS's documented order, dependencies before code. The CA bundle is a build secret: npm's registry is reached
// through the host's CA bundle here, as behind a corporate TLS proxy.
const NODE_DEPS_DOCKERFILE = [
  'ARG BASE', 'FROM ${BASE}', 'COPY package.json ${LAMBDA_TASK_ROOT}/',
  'RUN --mount=type=secret,id=ca-bundle npm install --omit=dev --no-audit --no-fund --cafile /run/secrets/ca-bundle',
  'COPY index.js ${LAMBDA_TASK_ROOT}/', 'CMD ["index.handler"]',
].join('\n') + '\n';
/** The example's dependency step, and the same libraries from Debian's packages (PyPI is not reachable here). */
const CSV_PIP_STEP = 'RUN pip install --no-cache-dir -r ${LAMBDA_TASK_ROOT}/requirements.txt';
const CSV_DEBIAN_STEP = 'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pandas python3-boto3 && rm -rf /var/lib/apt/lists/*';
const APP = `const path = require('path');
const { App, DockerBuildSecret, Duration, Stack, aws_lambda: lambda } = require('aws-cdk-lib');
const app = new App();
const stack = new Stack(app, 'Bench');
new lambda.DockerImageFunction(stack, 'Csv', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'csv')), memorySize: 1024, timeout: Duration.minutes(2),
});
new lambda.DockerImageFunction(stack, 'Node', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'node'), {
    buildArgs: { BASE: process.env.CCF_BENCH_NODE_BASE },
    buildSecrets: { 'ca-bundle': DockerBuildSecret.fromSrc(process.env.CCF_BENCH_CA_BUNDLE) },
  }),
});
new lambda.DockerImageFunction(stack, 'NodeNoDeps', {
  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'node-no-deps'), { buildArgs: { BASE: process.env.CCF_BENCH_NODE_BASE } }),
});
app.synth();
`;

/** The example's handler, answering with a version marker: the edit changes only that (a code-only edit). */
function csvHandler(source: string, v: string): string {
  const last = '    return {"statusCode": 200, "body": json.dumps(results)}';
  if (!source.includes(last)) throw new Error('the csv-processor handler changed: update bench/watch.ts');
  return source.replace(last, `    return {"statusCode": 200, "body": json.dumps(results), "version": "${v}"}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const engine = dockerAvailability();
  if (!engine.ok) throw new Error(`bench:watch needs a Docker engine: ${engine.reason}`);
  const { nodeTag, pythonTag } = await ensureStandIns();
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-bench-watch-'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-bench-watch-docker-'));
  const log = loggingDockerClient(logDir);
  const coldTags: string[] = [];
  let cli: ReturnType<typeof startCli> | undefined;
  try {
    // The project: the example's function directory (FROM and dependency source swapped) and two Node.js functions.
    const csvDir = path.join(project, 'csv');
    fs.cpSync(path.join(ROOT, 'examples', 'csv-processor', 'function'), csvDir, { recursive: true });
    const dockerfile = fs.readFileSync(path.join(csvDir, 'Dockerfile'), 'utf8');
    if (!dockerfile.includes(`FROM ${CSV_PROCESSOR_FROM}`) || !dockerfile.includes(CSV_PIP_STEP)) throw new Error('the csv-processor Dockerfile changed: update bench/watch.ts');
    fs.writeFileSync(path.join(csvDir, 'Dockerfile'), dockerfile.replace(`FROM ${CSV_PROCESSOR_FROM}`, `FROM ${pythonTag}`).replace(CSV_PIP_STEP, CSV_DEBIAN_STEP));
    const csvSource = fs.readFileSync(path.join(csvDir, 'processor.py'), 'utf8');
    fs.writeFileSync(path.join(csvDir, 'processor.py'), csvHandler(csvSource, 'v0'));
    fs.mkdirSync(path.join(project, 'node'));
    fs.writeFileSync(path.join(project, 'node', 'Dockerfile'), NODE_DEPS_DOCKERFILE);
    fs.writeFileSync(path.join(project, 'node', 'package.json'), NODE_DEPS_PACKAGE);
    fs.writeFileSync(path.join(project, 'node', 'index.js'), NODE_DEPS_HANDLER('v0'));
    fs.mkdirSync(path.join(project, 'node-no-deps'));
    fs.writeFileSync(path.join(project, 'node-no-deps', 'Dockerfile'), NODE_DOCKERFILE);
    fs.writeFileSync(path.join(project, 'node-no-deps', 'index.js'), NODE_HANDLER('v0'));
    fs.writeFileSync(path.join(project, 'app.js'), APP);
    fs.writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));

    const port = await freePort();
    const env = {
      NODE_PATH: path.join(ROOT, 'node_modules'), CCF_BENCH_NODE_BASE: nodeTag, CCF_BENCH_CA_BUNDLE: HOST_CA_BUNDLE, CDK_DOCKER: log.client, DOCKER_BUILDKIT: '1',
    };
    const started = Date.now();
    cli = startCli(['serve', '--watch', '--port', String(port)], project, env, 30 * 60_000);
    const c = cli;
    await waitFor(() => (c.stderr().includes('Lambda Invoke API at') ? true : c.child.exitCode !== null ? false : undefined), 'serve', 900_000)
      .then(ok => { if (!ok) throw new Error(`serve exited:\n${c.stderr()}`); });
    console.log(`bench:watch on ${engine.reason}: serve --watch up in ${s(Date.now() - started)} (first synth and builds)`);

    const invoke = async (fn: string) => {
      const r = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/Bench%2F${fn}/invocations`, { method: 'POST', body: '{"Records":[]}' });
      const body = await r.json() as { version?: string };
      return body.version;
    };
    const functions = [
      { name: 'Csv', label: 'csv-processor (Python, pandas)', file: path.join(csvDir, 'processor.py'), edit: (v: string) => csvHandler(csvSource, v) },
      { name: 'Node', label: 'Node.js function (npm dependency)', file: path.join(project, 'node', 'index.js'), edit: (v: string) => NODE_DEPS_HANDLER(v) },
      { name: 'NodeNoDeps', label: 'Node.js function, no dependency (the floor: a cold start)', file: path.join(project, 'node-no-deps', 'index.js'), edit: (v: string) => NODE_HANDLER(v) },
    ];
    for (const f of functions) if (await invoke(f.name) !== 'v0') throw new Error(`${f.name} did not answer v0`);

    const loops = new Map<string, number[]>();
    const lines = new Map<string, string[]>();
    for (let i = 1; i <= EDITS; i++) {
      for (const f of functions) {
        const v = `v${i}`;
        fs.writeFileSync(f.file, f.edit(v));
        const saved = Date.now();
        // Asked at once and again until it answers the new code (a request sent before the watcher saw the save is
        // answered by the old code; later ones wait for the rebuild).
        await waitFor(async () => ((await invoke(f.name)) === v ? true : undefined), `${f.name} ${v}`, 300_000);
        loops.set(f.name, [...(loops.get(f.name) ?? []), Date.now() - saved]);
        const line = await waitFor(() => c.stderr().split('\n').filter(l => /^watch: Bench\/\S+ (rebuilt|updated) /.test(l) && l.startsWith(`watch: Bench/${f.name} `))[i - 1], 'the rebuild line', 10_000);
        lines.set(f.name, [...(lines.get(f.name) ?? []), line.replace(/^watch: /, '')]);
        // Each edit on a quiet server: an edit copied into a waiting environment has its image built behind it, then a
        // new waiting environment started; the next edit waits for both, as a user's next save usually does.
        if (line.includes(' updated in ')) {
          await waitFor(() => c.stderr().split('\n').filter(l => l.startsWith(`watch: Bench/${f.name} image built in `))[i - 1], 'the image built behind it', 300_000);
          await new Promise(r => setTimeout(r, 2000));
        }
      }
    }
    await cli.stop();

    // Cold: the same contexts built with --no-cache (the asset's own build command, another tag), then a cold invoke.
    const app = readApp(path.join(project, 'cdk.out'));
    console.log('');
    for (const f of functions) {
      const spec = app.functions.find(x => x.path === `Bench/${f.name}`)!;
      if (spec.image.kind !== 'asset') throw new Error(`${spec.path} is not built from an asset`);
      const command = dockerBuildCommand(spec.image.asset);
      const tag = `ccf-bench-watch/${f.name.toLowerCase()}:cold-${process.pid}`;
      const args = command.args.map((a, i) => (command.args[i - 1] === '--tag' ? tag : a));
      args.splice(args.length - 1, 0, '--no-cache');
      const buildStarted = Date.now();
      await runDocker(args, { cwd: command.cwd, env: command.env });
      coldTags.push(tag);
      const built = Date.now() - buildStarted;
      const fn = await LocalFunction.prepare({ fn: testFunctionSpec(tag, { stackName: 'Bench', path: `Bench/${f.name}`, memoryMb: spec.memoryMb, timeoutSeconds: spec.timeoutSeconds }), image: tag, environment: {}, region: 'us-east-1' });
      const invokeStarted = Date.now();
      const sandbox = await fn.startSandbox();
      let invoked: number;
      try {
        const r = await sandbox.invoke(Buffer.from('{"Records":[]}'));
        invoked = Date.now() - invokeStarted;
        if (r.functionError) throw new Error(`cold invoke of ${tag} failed: ${r.payload.toString()}`);
      } finally {
        await sandbox.destroy();
      }
      const cold = built + invoked;
      const loop = median(loops.get(f.name)!);
      console.log(`${f.label}:`);
      console.log(`  edit → first new response (serve --watch): median ${s(loop)}; runs ${loops.get(f.name)!.map(s).join(', ')}`);
      for (const l of lines.get(f.name)!) console.log(`    ${l}`);
      console.log(`  cold: docker build --no-cache ${s(built)} + cold invoke ${s(invoked)} = ${s(cold)}`);
      console.log(`  ratio loop/cold: ${(loop / cold).toFixed(2)} (target ≤ 0.25)`);
    }
  } finally {
    if (cli) await cli.stop();
    const built = log.calls().map(call => /^build .*--tag (\S+)/.exec(call)?.[1]).filter((t): t is string => t !== undefined);
    for (const tag of [...built, ...coldTags]) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(`bench:watch failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
