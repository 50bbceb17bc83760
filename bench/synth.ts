// Synthesizes 100 ContainerFunctions (git-SHA tags, one shared Dockerfile directory) and the same app
// (in two stacks) with 100 plain DockerImageFunction.fromImageAsset, in child processes, and prints wall time, peak RSS,
// the ratio and how often git ran. Prints numbers; asserts nothing.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const COUNT = Number(process.env.BENCH_FUNCTIONS ?? 100);

if (process.argv[2] === 'child') {
  runChild(process.argv[3] as 'container' | 'plain', process.argv[4], process.argv[5], process.argv[6] === 'validate');
} else {
  main();
}

function runChild(kind: 'container' | 'plain', directory: string, outdir: string, validate: boolean): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require('aws-cdk-lib');
  const lib = require('../lib');
  const git = require('../lib/image/git');
  const start = process.hrtime.bigint();
  const app = new cdk.App({ outdir });
  void validate; // CDK reads CDK_VALIDATION from the environment the parent sets
  // Five resources per ContainerFunction: two stacks keep 100 under CloudFormation's 500-resource limit.
  const stacks = [new cdk.Stack(app, 'BenchA'), new cdk.Stack(app, 'BenchB')];
  for (let i = 0; i < COUNT; i++) {
    const stack = stacks[i % 2];
    if (kind === 'container') {
      new lib.ContainerFunction(stack, `Fn${i}`, { image: lib.ContainerImage.fromDockerfile(directory) });
    } else {
      new cdk.aws_lambda.DockerImageFunction(stack, `Fn${i}`, { code: cdk.aws_lambda.DockerImageCode.fromImageAsset(directory) });
    }
  }
  app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms, gitSpawns: git.gitSpawnCount() }));
}

function measure(kind: string, directory: string, validate: boolean): { ms: number; rssMb: number; gitSpawns: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
  // /usr/bin/time reports the child's peak RSS; the child reports the synth's own wall time.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-r', 'ts-node/register/transpile-only', __filename, 'child', kind, directory, outdir, validate ? 'validate' : 'no-validate'],
    { encoding: 'utf-8', env: { ...process.env, CDK_VALIDATION: validate ? 'true' : 'false', TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') } });
  if (result.status !== 0) throw new Error(result.stderr);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  const child = JSON.parse(result.stdout);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms: child.ms, rssMb: rssKb / 1024, gitSpawns: child.gitSpawns };
}

function main(): void {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const fn = path.join(repo, 'fn');
  fs.mkdirSync(fn);
  fs.writeFileSync(path.join(fn, 'Dockerfile'), 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n');
  fs.writeFileSync(path.join(fn, 'app.py'), 'def handler(event, context):\n    return 1\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args], { cwd: repo });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'bench');
  for (const name of ['GITHUB_SHA', 'CODEBUILD_RESOLVED_SOURCE_VERSION', 'CI_COMMIT_SHA', 'BITBUCKET_COMMIT', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'GIT_COMMIT']) delete process.env[name];

  console.log(`synth of ${COUNT} functions from one Dockerfile directory, in two stacks (one run each, child processes)`);
  // CDK's built-in CloudFormation validation costs time per resource; a ContainerFunction has 5 resources
  // (role, function, log group, tag guard, copy) where a DockerImageFunction has 2, so report both modes.
  for (const validate of [true, false]) {
    const plain = measure('plain', fn, validate);
    const container = measure('container', fn, validate);
    console.log(`with CDK's built-in template validation ${validate ? 'on (default)' : 'off (CDK_VALIDATION=false)'}:`);
    console.log(`  DockerImageFunction.fromImageAsset : ${plain.ms.toFixed(0)} ms, peak RSS ${plain.rssMb.toFixed(0)} MB`);
    console.log(`  ContainerFunction (git-SHA tags)   : ${container.ms.toFixed(0)} ms, peak RSS ${container.rssMb.toFixed(0)} MB, git spawned ${container.gitSpawns} times`);
    console.log(`  ratio ContainerFunction / plain    : time ${(container.ms / plain.ms).toFixed(2)}, RSS ${(container.rssMb / plain.rssMb).toFixed(2)} (target time <= 1.10)`);
  }
  fs.rmSync(repo, { recursive: true, force: true });
}
