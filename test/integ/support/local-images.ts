/**
 * Images for the local runtime's real-Docker tests, built once and reused (each tag carries a hash of
 * its inputs): the Node.js and Python test functions on the stand-in bases, and the Python stand-in
 * with Debian's pandas and boto3 under the AWS base image's own name, so the unmodified csv-processor
 * Dockerfile builds here.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOnce, stepPrinter } from './build-once';
import { docker } from './docker';
import { ensureStandIns } from './standins';
import { FUNCTIONS } from './workspace';
import { AppFunction } from '../../../lib/assembly/app-function';
import { OWNER_LABEL } from '../../../lib/local/runtime/sandbox';

function hashOf(dir: string, extra: string): string {
  const h = crypto.createHash('sha256').update(extra);
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

/** Builds `context` as `tag` unless it exists (once across jest's workers, with progress). */
function buildFixture(tag: string, context: string, args: string[] = []): Promise<string> {
  return buildOnce(tag, async () => {
    await docker(['build', '--progress=plain', '-t', tag, ...args, context], { timeoutMs: 20 * 60_000, onLine: stepPrinter(tag) });
  });
}

/** test/fixtures/functions/local-node on the Node.js stand-in (the real aws-lambda-ric). */
export async function nodeFunctionImage(): Promise<string> {
  const { nodeTag } = await ensureStandIns();
  const dir = path.join(FUNCTIONS, 'local-node');
  return buildFixture(`ccf-local-fixture/node:${hashOf(dir, nodeTag)}`, dir, ['--build-arg', `BASE=${nodeTag}`]);
}

/** test/fixtures/functions/local-python on the Python stand-in (our own bootstrap). */
export async function pythonFunctionImage(): Promise<string> {
  const { pythonTag } = await ensureStandIns();
  const dir = path.join(FUNCTIONS, 'local-python');
  return buildFixture(`ccf-local-fixture/python:${hashOf(dir, pythonTag)}`, dir, ['--build-arg', `BASE=${pythonTag}`]);
}

/** The AWS base image the csv-processor example's Dockerfile starts FROM. */
export const CSV_PROCESSOR_FROM = 'public.ecr.aws/lambda/python:3.12';

/**
 * The Python stand-in plus Debian's pandas and boto3 (PyPI is unreachable here), under a tag of its own: tests point a
 * variant of the example's Dockerfile at it (support/asset-variant.ts), never the AWS name at the stand-in.
 */
export async function ensureCsvProcessorBase(): Promise<string> {
  const { pythonTag } = await ensureStandIns();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-csv-base-'));
  try {
    const dockerfile = `FROM ${pythonTag}\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pandas python3-boto3 && rm -rf /var/lib/apt/lists/*\n`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    return await buildFixture(`ccf-local-fixture/python-pandas:${crypto.createHash('sha256').update(dockerfile).digest('hex').slice(0, 12)}`, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Containers the local runtime started from this process that still exist (running or not). */
export async function leftoverContainers(): Promise<string[]> {
  const r = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${process.pid}`, '--format', '{{.Names}}']);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * An arm64 image that builds on any machine (FROM scratch and a COPY run nothing, so no emulation is
 * needed), for the architecture checks.
 */
export async function arm64ScratchImage(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-arm64-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY marker /marker\nENTRYPOINT ["/lambda-entrypoint.sh"]\nCMD ["app.handler"]\n');
  fs.writeFileSync(path.join(dir, 'marker'), 'arm64\n');
  try {
    return await buildFixture('ccf-local-fixture/arm64-scratch:1', dir, ['--platform', 'linux/arm64']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A function's settings as a template would give them, for a test image (Lambda-like defaults; override any). */
export function testFunctionSpec(image: string, overrides: Partial<AppFunction> = {}): AppFunction {
  return {
    stackName: 'Local',
    stackId: 'Local',
    logicalId: 'FnABC123',
    path: 'Local/Fn',
    functionName: 'Local-FnABC123',
    memoryMb: 256,
    timeoutSeconds: 10,
    architecture: 'x86_64',
    environment: {},
    unresolvedEnvironment: [],
    image: { kind: 'uri', uri: image },
    ...overrides,
  };
}
