/**
 * Builds the stand-ins for AWS's Lambda base images (no registry is reachable here) from
 * test/fixtures/standins, once per run: each tag carries a hash of its fixture files, so an
 * existing image is reused and a changed fixture gets a new build.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildOnce, stepPrinter } from './build-once';
import { build } from './docker';
import { DEBIAN_BASE, DEFAULT_DEBIAN_BASE, HOW_TO_ENABLE, ensureDebianBase } from './provision';
import { BaseImageFamily, LambdaBaseImage } from '../../../lib/dockerfile';

export { DEBIAN_BASE };
/** Host CA bundle: npm reaches its registry over https only with it (passed as a BuildKit secret). */
export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'standins');

export interface StandIns {
  /** Node.js 18 + npm + the real aws-lambda-ric 3.3.0, Lambda-style entrypoint. */
  readonly node: LambdaBaseImage;
  /** Python 3.11 + pip + a Runtime API client bootstrap, Lambda-style entrypoint. */
  readonly python: LambdaBaseImage;
  readonly nodeTag: string;
  readonly pythonTag: string;
  /** Plain Debian Node.js 18 + npm (no runtime client): an "alternative base image" that gets aws-lambda-ric installed. */
  readonly nodePlainTag: string;
}

function fixtureHash(dir: string): string {
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f)));
  // Another Debian base (CCF_DEBIAN_BASE) gives other stand-ins; the default keeps the tags it always had.
  if (DEBIAN_BASE !== DEFAULT_DEBIAN_BASE) h.update('\0base\0').update(DEBIAN_BASE);
  return h.digest('hex').slice(0, 12);
}

/** The fixture's Dockerfile, FROM the Debian base in use (a copy outside the context when it is not the default). */
function dockerfileFor(dir: string): string | undefined {
  if (DEBIAN_BASE === DEFAULT_DEBIAN_BASE) return undefined;
  const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').split(DEFAULT_DEBIAN_BASE).join(DEBIAN_BASE);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-standin-')), 'Dockerfile');
  fs.writeFileSync(file, text);
  return file;
}

/** Builds test/fixtures/standins/<fixture> (optionally one target of it) as ccf-standin/<image>:<fixture hash>, once. */
async function ensure(fixture: string, image: string, secrets: { [id: string]: string }, target?: string): Promise<string> {
  const dir = path.join(FIXTURES, fixture);
  const tag = `ccf-standin/${image}:${fixtureHash(dir)}`;
  return buildOnce(tag, async () => {
    // CCF_STANDIN_NO_CACHE=1 measures a fresh machine's cost without pruning the shared build cache.
    const file = dockerfileFor(dir);
    try {
      await build({ context: dir, file, tag, secrets, target, noCache: process.env.CCF_STANDIN_NO_CACHE === '1', onLine: stepPrinter(`stand-in ${image}`) });
    } finally {
      if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
}

/** Two apt-heavy builds at once only help with cores to spare; on a small machine they only contend. */
const PARALLEL_BUILDS = os.cpus().length >= 4;

let pending: Promise<StandIns> | undefined;
let pendingJava: Promise<string> | undefined;

/**
 * The Java stand-in (OpenJDK 17 JRE + a small Runtime API client), built on demand by the tests that need it and by
 * .ci/build-standins.ts; its tag. Separate from ensureStandIns() so the other tests never wait for a JRE.
 */
export function ensureJavaStandIn(): Promise<string> {
  pendingJava ??= (async () => {
    const debian = ensureDebianBase();
    if (!debian.ok) throw new Error(`${debian.how}. To run the real-Docker tests: ${HOW_TO_ENABLE}.`);
    return ensure('java', 'java', {}, 'lambda');
  })();
  return pendingJava;
}

/** Builds (or reuses) both stand-ins and describes them as custom bases that carry their runtime client. */
export function ensureStandIns(): Promise<StandIns> {
  pending ??= (async () => {
    const debian = ensureDebianBase();
    if (!debian.ok) throw new Error(`${debian.how}. To run the real-Docker tests: ${HOW_TO_ENABLE}.`);
    const node = async () => {
      const lambda = await ensure('node', 'node', { 'ca-bundle': HOST_CA_BUNDLE }, 'lambda');
      return { lambda, plain: await ensure('node', 'node-plain', {}, 'node-plain') }; // a stage of the above: cached
    };
    const python = () => ensure('python', 'python', {});
    const [{ lambda: nodeTag, plain: nodePlainTag }, pythonTag] = PARALLEL_BUILDS
      ? await Promise.all([node(), python()])
      : [await node(), await python()];
    const custom = (tag: string, family: BaseImageFamily) =>
      LambdaBaseImage.custom(tag, { family, includesRuntimeInterfaceClient: true });
    return {
      node: custom(nodeTag, BaseImageFamily.NODEJS),
      python: custom(pythonTag, BaseImageFamily.PYTHON),
      nodeTag,
      pythonTag,
      nodePlainTag,
    };
  })();
  return pending;
}
