// bench:measure — an app of 10 container-image functions (10 Dockerfile directories on the local stand-in base,
// each RUN step writing a different size), synthesized with ContainerImageChecks in fresh child processes:
//   1. unmeasured (after a warm-up run that is not reported),
//   2. first measured synth (empty cache: every image is built and measured),
//   3. second measured synth (every image from the cache),
// and prints per image and in total: first vs second measured synth, and second measured synth vs unmeasured
// (target: under 100 ms per image). Needs a Docker engine (CDK_DOCKER honoured). Prints numbers; asserts nothing.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const COUNT = Number(process.env.BENCH_IMAGES ?? 10);
const BASE = process.env.BENCH_BASE_IMAGE ?? 'local/debian:bookworm';
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

interface ChildResult {
  /** Wall time of constructing and synthesizing the app. */
  readonly ms: number;
  /** Time the checks spent on each function (where a measured synth builds, measures or reads the cache). */
  readonly perImage: { [path: string]: number };
  readonly statuses: string[];
}

if (process.argv[2] === 'child') {
  runChild(process.argv[3] === 'measured', process.argv[4], process.argv[5]);
} else {
  main();
}

function runChild(measured: boolean, root: string, outdir: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require('aws-cdk-lib');
  const { ContainerImageChecks } = require('../lib/checks');
  const start = process.hrtime.bigint();
  const app = new cdk.App({ outdir, context: measured ? { 'cdk-container-function:measure': true } : {} });
  const stack = new cdk.Stack(app, 'Bench');
  for (let i = 0; i < COUNT; i++) {
    new cdk.aws_lambda.DockerImageFunction(stack, `Fn${i}`, { code: cdk.aws_lambda.DockerImageCode.fromImageAsset(path.join(root, `fn${i}`)) });
  }
  const checks = ContainerImageChecks.applyTo(app, { defaultMaxImageSize: cdk.Size.mebibytes(512) });
  const perImage: { [path: string]: number } = {};
  const visit = checks.visit.bind(checks);
  checks.visit = (node: any) => {
    const t = process.hrtime.bigint();
    visit(node);
    if (node.cfnResourceType === 'AWS::Lambda::Function') perImage[node.node.scope.node.path] = Number(process.hrtime.bigint() - t) / 1e6;
  };
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'container-images.json'), 'utf8'));
  process.stdout.write(JSON.stringify({ ms, perImage, statuses: report.images.map((i: any) => i.status) }));
}

function synth(measured: boolean, root: string, env: NodeJS.ProcessEnv): ChildResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-measure-out-'));
  try {
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'child', measured ? 'measured' : 'plain', root, outdir],
      { encoding: 'utf-8', env: { ...process.env, ...env, TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') } });
    if (result.status !== 0) throw new Error(`synth failed:\n${result.stderr}`);
    return JSON.parse(result.stdout);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** 10 function directories; a salt makes every run's assets new, so the first measured synth really builds. */
function generate(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-measure-src-'));
  const salt = crypto.randomBytes(6).toString('hex');
  for (let i = 0; i < COUNT; i++) {
    const dir = path.join(root, `fn${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.txt'), `function ${i} ${salt}\n`);
    fs.writeFileSync(path.join(dir, 'Dockerfile'),
      `FROM ${BASE}\nCOPY app.txt /var/task/\nRUN head -c ${(i + 1) * 1024 * 1024} /dev/zero > /opt/data.bin\nCMD ["app.handler"]\n`);
  }
  return root;
}

function main(): void {
  const docker = process.env.CDK_DOCKER ?? (fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
  const info = spawnSync(docker, ['image', 'inspect', BASE], { encoding: 'utf8' });
  if (info.status !== 0) {
    process.stdout.write(`bench:measure needs a Docker engine with ${BASE} (run .ci/setup-docker.sh): ${(info.stderr || String(info.error)).trim()}\n`);
    process.exitCode = 2;
    return;
  }
  const root = generate();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-measure-cache-'));
  const env = { CDK_DOCKER: docker, DOCKER_BUILDKIT: '1', CDK_CONTAINER_FUNCTION_CACHE_DIR: cache };
  try {
    synth(false, root, env); // warm-up: module compilation and the file cache, not reported
    const first = synth(true, root, env);
    // Cached and unmeasured synths alternate, REPEAT times each; the medians are printed (one run is noisy).
    const seconds: ChildResult[] = [];
    const plains: ChildResult[] = [];
    for (let r = 0; r < REPEAT; r++) {
      plains.push(synth(false, root, env));
      seconds.push(synth(true, root, env));
    }
    const second = medianOf(seconds);
    const plain = medianOf(plains);
    const rows = Object.keys(first.perImage).map(fn => [fn, first.perImage[fn], second.perImage[fn], plain.perImage[fn]] as const);
    const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`.padStart(10);
    const lines = [
      `images: ${COUNT} (base ${BASE}); per image: time the checks spent on the function; total: wall time of constructing and synthesizing the app`,
      `statuses — first measured synth: ${summary(first.statuses)}; second: ${summary(second.statuses)}; `
        + `2nd measured and unmeasured: medians of ${REPEAT} alternating runs`,
      `${'function'.padEnd(10)} ${'1st measured'.padStart(12)} ${'2nd measured'.padStart(12)} ${'unmeasured'.padStart(12)} ${'2nd - unmeasured'.padStart(17)}`,
      ...rows.map(([fn, a, b, c]) => `${fn.replace('Bench/', '').padEnd(10)} ${ms(a).padStart(12)} ${ms(b).padStart(12)} ${ms(c).padStart(12)} ${ms(b - c).padStart(17)}`),
      `${'total'.padEnd(10)} ${ms(first.ms).padStart(12)} ${ms(second.ms).padStart(12)} ${ms(plain.ms).padStart(12)} ${ms(second.ms - plain.ms).padStart(17)}`,
      `second measured synth over unmeasured: ${((second.ms - plain.ms) / COUNT).toFixed(1)} ms per image (target < 100 ms); `
        + `first / second measured synth: ${(first.ms / second.ms).toFixed(1)}×`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    // The images stay tagged cdkasset-<hash> as cdk-assets would leave them; remove this run's, they are never reused.
    for (const file of fs.readdirSync(cache)) spawnSync(docker, ['image', 'rm', '-f', `cdkasset-${file.replace(/\.json$/, '')}`], { stdio: 'ignore' });
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

/** Per-field medians of several runs. */
function medianOf(runs: ChildResult[]): ChildResult {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const perImage: { [path: string]: number } = {};
  for (const fn of Object.keys(runs[0].perImage)) perImage[fn] = median(runs.map(r => r.perImage[fn]));
  return { ms: median(runs.map(r => r.ms)), perImage, statuses: runs[runs.length - 1].statuses };
}

function summary(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].map(([s, n]) => `${n} ${s}`).join(', ');
}
