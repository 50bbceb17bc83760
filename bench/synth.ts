// Synth cost and deploy churn of ContainerFunction against plain CDK. Prints numbers; asserts nothing.
//
// 1. Synth: 100 functions from one Dockerfile directory in ONE stack, in child processes, alternating
//    ours / bare DockerImageFunction / DockerImageFunction with its own LogGroup (the feature-equivalent
//    baseline). Prints median, min and max wall time of the synth, peak RSS, resource counts and git runs.
// 2. Churn: a 20-function app in a real git repository; a commit touching one function. Prints how many
//    template resources change (added, removed or modified), ours vs plain CDK.
//
//   npm run bench:synth            (BENCH_FUNCTIONS=100 BENCH_RUNS=5 by default)
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const COUNT = Number(process.env.BENCH_FUNCTIONS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
type Kind = 'container' | 'plain' | 'plain+loggroup';
const KINDS: Kind[] = ['container', 'plain', 'plain+loggroup'];


/** Synthesizes one app of `kind` with one function per directory entry (cycled up to COUNT); prints JSON. */
function runChild(kind: Kind, directories: string[], outdir: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require('aws-cdk-lib');
  const lib = require('../lib');
  const git = require('../lib/image/git');
  const start = process.hrtime.bigint();
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'Bench');
  const count = Number(process.env.CHILD_COUNT ?? COUNT);
  for (let i = 0; i < count; i++) {
    const directory = directories[i % directories.length];
    if (kind === 'container') {
      new lib.ContainerFunction(stack, `Fn${i}`, { image: lib.ContainerImage.fromDockerfile(directory) });
    } else {
      const logGroup = kind === 'plain+loggroup' ? new cdk.aws_logs.LogGroup(stack, `Fn${i}Logs`, { retention: cdk.aws_logs.RetentionDays.ONE_MONTH }) : undefined;
      new cdk.aws_lambda.DockerImageFunction(stack, `Fn${i}`, { code: cdk.aws_lambda.DockerImageCode.fromImageAsset(directory), logGroup });
    }
  }
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const template = assembly.getStackByName('Bench').template;
  process.stdout.write(JSON.stringify({ ms, gitSpawns: git.gitSpawnCount(), resources: template.Resources }));
}

interface ChildResult { ms: number; rssMb: number; gitSpawns: number; resources: Record<string, unknown> }

function synth(kind: Kind, directories: string[], count = COUNT): ChildResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind.replace('+', '-')}-`));
  // /usr/bin/time reports the child's peak RSS; the child reports the synth's own wall time.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-r', 'ts-node/register/transpile-only', __filename, 'child', kind, directories.join(','), outdir],
    { encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, CHILD_COUNT: String(count), TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') } });
  if (result.status !== 0) throw new Error(result.stderr);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  const child = JSON.parse(result.stdout);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms: child.ms, rssMb: rssKb / 1024, gitSpawns: child.gitSpawns, resources: child.resources };
}

function gitRepo(files: Record<string, string>): { root: string; commit: (message: string) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args], { cwd: root });
  git('init', '-q');
  const write = (more: Record<string, string>) => {
    for (const [name, content] of Object.entries(more)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), content);
    }
  };
  write(files);
  const commit = (message: string) => { git('add', '-A'); git('commit', '-qm', message); };
  commit('initial');
  return { root, commit: (message: string) => commit(message) };
}

const functionFiles = (dir: string, body = 'def handler(event, context):\n    return 1\n') => ({
  [`${dir}/Dockerfile`]: 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n',
  [`${dir}/app.py`]: body,
});

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
};
const countByType = (resources: Record<string, any>) => {
  const counts: Record<string, number> = {};
  for (const r of Object.values(resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
};
const changedIds = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(id => JSON.stringify(before[id]) !== JSON.stringify(after[id]));
/** Resources added, removed or changed, and how many of them are (image) functions. */
const changed = (before: Record<string, any>, after: Record<string, any>) => {
  const ids = changedIds(before, after);
  const functions = ids.filter(id => (after[id] ?? before[id]).Type === 'AWS::Lambda::Function' && (after[id] ?? before[id]).Properties?.PackageType === 'Image');
  return `${ids.length} resources (${functions.length} function${functions.length === 1 ? '' : 's'})`;
};

function main(): void {
  for (const name of ['GITHUB_SHA', 'CODEBUILD_RESOLVED_SOURCE_VERSION', 'CI_COMMIT_SHA', 'BITBUCKET_COMMIT', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'GIT_COMMIT']) delete process.env[name];

  // 1. Synth cost
  const one = gitRepo(functionFiles('fn'));
  const fn = path.join(one.root, 'fn');
  console.log(`synth of ${COUNT} functions from one Dockerfile directory in one stack; ${RUNS} alternating runs each, child processes`);
  const results: Record<Kind, ChildResult[]> = { 'container': [], 'plain': [], 'plain+loggroup': [] };
  for (let run = 0; run < RUNS; run++) for (const kind of KINDS) results[kind].push(synth(kind, [fn]));
  const label: Record<Kind, string> = {
    'container': 'ContainerFunction                     ',
    'plain': 'DockerImageFunction (bare)            ',
    'plain+loggroup': 'DockerImageFunction + own LogGroup    ',
  };
  for (const kind of KINDS) {
    const ms = stats(results[kind].map(r => r.ms));
    const rss = stats(results[kind].map(r => r.rssMb));
    const resources = Object.keys(results[kind][0].resources).length;
    const git = kind === 'container' ? `, git ran ${results[kind][0].gitSpawns} times` : '';
    console.log(`  ${label[kind]}: median ${ms.median.toFixed(0)} ms (min ${ms.min.toFixed(0)}, max ${ms.max.toFixed(0)}), peak RSS median ${rss.median.toFixed(0)} MB, ${resources} resources${git}`);
  }
  const ratio = (a: Kind, b: Kind) => {
    const pairs = results[a].map((r, i) => r.ms / results[b][i].ms);
    const s = stats(pairs);
    return `${s.median.toFixed(2)} (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}, per run pair)`;
  };
  console.log(`  ratio ours / DockerImageFunction + own LogGroup (feature-equivalent): ${ratio('container', 'plain+loggroup')}   target <= 1.10`);
  console.log(`  ratio ours / bare DockerImageFunction                               : ${ratio('container', 'plain')}`);
  console.log(`  ContainerFunction resources by type: ${JSON.stringify(countByType(results.container[0].resources))}`);
  fs.rmSync(one.root, { recursive: true, force: true });

  // 2. Churn: 20 functions, 20 directories; one commit changes one of them.
  const files: Record<string, string> = { 'README.md': 'service\n' };
  for (let i = 0; i < 20; i++) Object.assign(files, functionFiles(`fn${i}`, `def handler(event, context):\n    return ${i}\n`));
  const repo = gitRepo(files);
  const dirs = Array.from({ length: 20 }, (_, i) => path.join(repo.root, `fn${i}`));
  const before = { container: synth('container', dirs, 20).resources, plain: synth('plain+loggroup', dirs, 20).resources };
  fs.writeFileSync(path.join(repo.root, 'README.md'), 'docs only\n');
  repo.commit('docs only');
  const docs = { container: synth('container', dirs, 20).resources, plain: synth('plain+loggroup', dirs, 20).resources };
  fs.writeFileSync(path.join(repo.root, 'fn7', 'app.py'), 'def handler(event, context):\n    return "changed"\n');
  repo.commit('change fn7');
  const after = { container: synth('container', dirs, 20).resources, plain: synth('plain+loggroup', dirs, 20).resources };
  console.log('churn in a 20-function app (resources added, removed or changed in the template):');
  console.log(`  docs-only commit        : ContainerFunction ${changed(before.container, docs.container)}, plain CDK ${changed(before.plain, docs.plain)}`);
  console.log(`  commit changing one fn  : ContainerFunction ${changed(docs.container, after.container)}, plain CDK ${changed(docs.plain, after.plain)}   target: the same`);
  console.log('  (ours: the function updated, the new image\'s copy created, the old copy deleted (a no-op for images); plain: the function)');
  fs.rmSync(repo.root, { recursive: true, force: true });
}

if (process.argv[2] === 'child') {
  runChild(process.argv[3] as Kind, process.argv[4].split(','), process.argv[5]);
} else {
  main();
}
