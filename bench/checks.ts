// Synthesizes an app of 200 DockerImageFunctions built from 200 Dockerfile directories, without and with the
// ContainerImageChecks Aspect, each in a fresh child process, and prints both wall times and their ratio
// (target ≤ 1.10). Prints numbers; asserts nothing.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const COUNT = Number(process.env.BENCH_FUNCTIONS ?? 200);

const DOCKERFILES = [
  // The seed article's naive Dockerfile: several findings per function.
  'FROM public.ecr.aws/lambda/python:3.9\nARG PIP_INDEX_URL\nCOPY . ${LAMBDA_TASK_ROOT}\nRUN pip install -r requirements.txt\nCMD [ "app.handler" ]\n',
  // Its fixed version: no findings.
  'FROM public.ecr.aws/lambda/python:3.12\nCOPY requirements.txt ${LAMBDA_TASK_ROOT}\nRUN --mount=type=secret,id=pip pip install --no-cache-dir -r requirements.txt\nCOPY app.py src/ ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n',
  'FROM public.ecr.aws/lambda/nodejs:20\nWORKDIR ${LAMBDA_TASK_ROOT}\nCOPY . .\nRUN npm install\nCMD index.handler\n',
  'FROM python:3.12 AS build\nCOPY requirements.txt .\nRUN pip wheel -r requirements.txt -w /wheels\nFROM public.ecr.aws/lambda/python:3.12\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCOPY . ${LAMBDA_TASK_ROOT}\nCMD ["app.handler"]\n',
];

if (process.argv[2] === 'child') {
  runChild(process.argv[3] === 'with', process.argv[4], process.argv[5]);
} else {
  main();
}

function runChild(withChecks: boolean, root: string, outdir: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require('aws-cdk-lib');
  const { ContainerImageChecks } = require('../lib/checks');
  const start = process.hrtime.bigint();
  const app = new cdk.App({ outdir });
  // Two resources per function (role + function): two stacks stay well under CloudFormation's 500-resource limit.
  const stacks = [new cdk.Stack(app, 'BenchA'), new cdk.Stack(app, 'BenchB')];
  for (let i = 0; i < COUNT; i++) {
    new cdk.aws_lambda.DockerImageFunction(stacks[i % 2], `Fn${i}`, {
      code: cdk.aws_lambda.DockerImageCode.fromImageAsset(path.join(root, `fn${i}`), i % 10 === 0 ? { buildArgs: { PIP_INDEX_URL: 'https://user:password@pypi.example.com/simple' } } : {}),
    });
  }
  let aspectMs = 0;
  if (withChecks) {
    const checks = ContainerImageChecks.applyTo(app, { defaultMaxImageSize: cdk.Size.mebibytes(512) });
    // Time spent inside the Aspect itself: less exposed to machine noise than the difference of two wall times.
    const visit = checks.visit.bind(checks);
    checks.visit = (node: unknown) => {
      const t = process.hrtime.bigint();
      visit(node);
      aspectMs += Number(process.hrtime.bigint() - t) / 1e6;
    };
  }
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const findings = assembly.stacks.reduce((n: number, s: any) => n + s.messages.filter((m: any) => /^CCF\d+ /.test(String(m.entry.data))).length, 0);
  process.stdout.write(JSON.stringify({ ms, findings, aspectMs }));
}

function measure(withChecks: boolean, root: string, env: NodeJS.ProcessEnv = {}): { ms: number; findings: number; aspectMs: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checks-out-'));
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'child', withChecks ? 'with' : 'without', root, outdir],
    { encoding: 'utf-8', env: { ...process.env, ...env, TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') } });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** 200 function directories: a Dockerfile, a handler, requirements, 20 source files, a 256 KB blob, a .dockerignore. */
function generate(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checks-src-'));
  for (let i = 0; i < COUNT; i++) {
    const dir = path.join(root, `fn${i}`);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILES[i % DOCKERFILES.length]);
    fs.writeFileSync(path.join(dir, 'app.py'), `# function ${i}\ndef handler(event, context):\n    return ${i}\n`);
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'boto3==1.35.0\nrequests==2.32.3\n');
    fs.writeFileSync(path.join(dir, '.dockerignore'), 'tests\n*.md\n');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not copied\n');
    fs.writeFileSync(path.join(dir, 'tests', 'test_app.py'), 'def test():\n    pass\n');
    for (let k = 0; k < 20; k++) fs.writeFileSync(path.join(dir, 'src', `mod${k}.py`), `# ${i}/${k}\n${'x = 1\n'.repeat(300)}`);
    fs.writeFileSync(path.join(dir, 'blob.bin'), Buffer.alloc(256 * 1024, i % 256));
  }
  return root;
}

function main(): void {
  const root = generate();
  try {
    measure(false, root); // warm-up: module compilation and the file cache, not reported
    const lines = [`functions: ${COUNT} (from ${COUNT} Dockerfile directories); wall time of constructing and synthesizing the app`];
    // CDK records a stack trace with every annotation unless CDK_DISABLE_STACK_TRACE is set; findings are
    // annotations, so both settings are shown.
    for (const [label, env] of [['stack traces on (CDK default)', {}], ['CDK_DISABLE_STACK_TRACE=1', { CDK_DISABLE_STACK_TRACE: '1' }]] as const) {
      const without = measure(false, root, env);
      const withChecks = measure(true, root, env);
      lines.push(
        `${label}:`,
        `  synth without ContainerImageChecks: ${without.ms.toFixed(0)} ms`,
        `  synth with ContainerImageChecks:    ${withChecks.ms.toFixed(0)} ms (${withChecks.findings} findings)`,
        `  ratio: ${(withChecks.ms / without.ms).toFixed(3)} (target <= 1.10)`,
        `  time inside the Aspect: ${withChecks.aspectMs.toFixed(0)} ms = ${(100 * withChecks.aspectMs / without.ms).toFixed(1)}% of the synth without it`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
