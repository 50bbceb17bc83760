/**
 * bench:images — one run on a real Docker engine. For the node-typescript example and the
 * python-from-source example (a C extension: needs a compiler), builds
 *   (a) the naive single-stage pattern the seed article starts from: FROM the base, install the
 *       toolchain, COPY everything, install everything (dev dependencies and caches included), and
 *   (b) the Dockerfile ContainerImage.fromSource generates,
 * and prints final image size, cold build time and code-only rebuild time side by side, with
 * ratios. Targets: (b) ≤ 0.6× (a) in size where a toolchain is needed; code-only rebuild ≤ 0.10×
 * the cold build. Prints only, never asserts (timings vary by machine).
 *
 * The AWS base images cannot be pulled here, so both variants build on the stand-in bases of the
 * integ tests (Debian + Node.js 18 + aws-lambda-ric; Debian + Python 3.11), which use apt.
 */
import './support/outside-jest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SourceBuildSecret, SourceImageOptions } from '../lib/dockerfile';
import { stageSourceImage } from '../lib/dockerfile/stage-source';
import { build, docker, dockerAvailability, imageSize, removeImage } from '../test/integ/support/docker';
import { HOST_CA_BUNDLE, StandIns, ensureStandIns } from '../test/integ/support/standins';

interface Case {
  readonly name: string;
  readonly source: string;
  /** File whose change is the "code-only" change. */
  readonly codeFile: string;
  readonly naive: (bases: StandIns) => string;
  readonly naiveSecrets: { [id: string]: string };
  readonly generated: (bases: StandIns) => SourceImageOptions;
}

const EXAMPLES = path.join(__dirname, '..', 'examples');

const CASES: Case[] = [
  {
    name: 'node-typescript',
    source: path.join(EXAMPLES, 'node-typescript', 'function'),
    codeFile: 'src/index.ts',
    naive: b => [
      `FROM ${b.nodeTag}`,
      'COPY . /var/task/',
      // npm's registry needs the host CA bundle here; a secret, so the naive image is not also leaking it.
      'RUN --mount=type=secret,id=ca-bundle npm install --cafile /run/secrets/ca-bundle',
      'RUN npm run build',
      'CMD ["dist/index.handler"]',
    ].join('\n') + '\n',
    naiveSecrets: { 'ca-bundle': HOST_CA_BUNDLE },
    generated: b => ({
      base: b.node, handler: 'index.handler', buildCommand: 'npm run build', buildOutput: 'dist',
      buildSecrets: [SourceBuildSecret.caBundle(HOST_CA_BUNDLE)],
    }),
  },
  {
    name: 'python-from-source (C extension)',
    source: path.join(EXAMPLES, 'python-from-source', 'function'),
    codeFile: 'app.py',
    naive: b => [
      `FROM ${b.pythonTag}`,
      'RUN apt-get update && apt-get install -y gcc libc6-dev python3-dev',
      'COPY . /var/task/',
      'RUN pip install -r requirements.txt --target /var/task',
      'CMD ["app.lambda_handler"]',
    ].join('\n') + '\n',
    naiveSecrets: {},
    // On AWS's python base this is systemPackages: ['gcc']; the Debian stand-in also needs headers.
    generated: b => ({ base: b.python, handler: 'app.lambda_handler', systemPackages: ['gcc', 'libc6-dev', 'python3-dev'] }),
  },
];

interface Measure { readonly size: number; readonly cold: number; readonly rebuild: number }

function copySource(src: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-bench-'));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

function changeCode(dir: string, file: string): void {
  const comment = file.endsWith('.py') ? '#' : '//';
  fs.appendFileSync(path.join(dir, file), `\n${comment} bench change ${crypto.randomBytes(6).toString('hex')}\n`);
}

/**
 * Cache mounts (npm's download cache in the generated Dockerfile) survive --no-cache; clear them
 * so "cold" means what it says for both variants.
 */
async function clearCacheMounts(): Promise<void> {
  await docker(['builder', 'prune', '-f', '--filter', 'type=exec.cachemount'], { allowFailure: true });
}

async function measureNaive(c: Case, bases: StandIns, tag: string): Promise<Measure> {
  const dir = copySource(c.source);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), c.naive(bases));
  await clearCacheMounts();
  const cold = await build({ context: dir, tag, secrets: c.naiveSecrets, noCache: true });
  const size = await imageSize(tag);
  changeCode(dir, c.codeFile);
  const rebuild = await build({ context: dir, tag: `${tag}-v2`, secrets: c.naiveSecrets });
  return { size, cold: cold.seconds, rebuild: rebuild.seconds };
}

async function measureGenerated(c: Case, bases: StandIns, tag: string): Promise<Measure> {
  const dir = copySource(c.source);
  const options = c.generated(bases);
  const staged = stageSourceImage('Bench/Fn', dir, options);
  await clearCacheMounts();
  const cold = await build({ context: staged.directory, file: staged.file, tag, secrets: staged.buildSecrets, noCache: true });
  const size = await imageSize(tag);
  changeCode(dir, c.codeFile);
  const again = stageSourceImage('Bench/Fn', dir, options);
  const rebuild = await build({ context: again.directory, file: again.file, tag: `${tag}-v2`, secrets: again.buildSecrets });
  return { size, cold: cold.seconds, rebuild: rebuild.seconds };
}

const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const s = (x: number) => `${x.toFixed(1)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const pad = (x: string, n: number) => x.padEnd(n);

async function main() {
  const a = dockerAvailability();
  if (!a.ok) {
    process.stderr.write(`bench:images needs a Docker engine: ${a.reason}. Run .ci/setup-docker.sh.\n`);
    process.exit(1);
  }
  const bases = await ensureStandIns();
  const baseSizes = { node: await imageSize(bases.nodeTag), python: await imageSize(bases.pythonTag) };
  const rows: string[] = [];
  for (const c of CASES) {
    const id = c.name.split(' ')[0];
    process.stderr.write(`building ${c.name} ...\n`);
    const naive = await measureNaive(c, bases, `ccf-bench/${id}:naive`);
    const gen = await measureGenerated(c, bases, `ccf-bench/${id}:generated`);
    const baseSize = id.startsWith('node') ? baseSizes.node : baseSizes.python;
    rows.push(
      `\n${c.name}  (stand-in base ${mb(baseSize)})`,
      `  ${pad('', 22)}${pad('naive', 12)}${pad('generated', 12)}generated/naive`,
      `  ${pad('final image size', 22)}${pad(mb(naive.size), 12)}${pad(mb(gen.size), 12)}${ratio(gen.size, naive.size)}`
        + `   (above the base: ${mb(naive.size - baseSize)} vs ${mb(gen.size - baseSize)}, ${ratio(gen.size - baseSize, naive.size - baseSize)})`,
      `  ${pad('cold build', 22)}${pad(s(naive.cold), 12)}${pad(s(gen.cold), 12)}${ratio(gen.cold, naive.cold)}`,
      `  ${pad('code-only rebuild', 22)}${pad(s(naive.rebuild), 12)}${pad(s(gen.rebuild), 12)}${ratio(gen.rebuild, naive.rebuild)}`,
      `  ${pad('rebuild / cold', 22)}${pad(ratio(naive.rebuild, naive.cold), 12)}${pad(ratio(gen.rebuild, gen.cold), 12)}`,
    );
    for (const t of ['naive', 'naive-v2', 'generated', 'generated-v2']) await removeImage(`ccf-bench/${id}:${t}`);
  }
  process.stdout.write(`bench:images (${a.reason}, ${os.cpus().length} CPUs; one run, timings vary)\n`);
  process.stdout.write(rows.join('\n') + '\n');
  process.stdout.write('\ntargets: generated ≤ 0.60× naive size where a toolchain is needed; code-only rebuild ≤ 0.10× cold build\n');
}

main().catch(e => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
