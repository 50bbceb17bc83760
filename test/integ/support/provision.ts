/**
 * Provisions what the real-Docker tests build on, the same way on a developer's machine and in CI (.ci/run and
 * .ci/setup-docker.sh call this file): the Debian base the Lambda stand-ins are built from, and the AWS base images
 * under their own names.
 *
 * In order, for the Debian base (`local/debian:bookworm`, or CCF_DEBIAN_BASE):
 *   1. already there: nothing to do;
 *   2. a registry is reachable: pull Debian's own image (`debian:bookworm`) and tag it;
 *   3. root with debootstrap (CI's machines, no registry): debootstrap a minimal rootfs and import it;
 *   4. otherwise it cannot be provisioned, and the caller skips with the reason and how to enable the tests.
 * For an AWS base image (`public.ecr.aws/lambda/nodejs:22`): one that exists is used as it is; an absent one is pulled
 * where a registry is reachable, else the stand-in is tagged with its name (BuildKit then uses the local image for FROM
 * without pulling), and the suite's teardown removes the name again.
 *
 * Everything is idempotent and synchronous where jest needs a decision before `describe` (whether to skip), and jest's
 * parallel workers take a lock so only one of them debootstraps.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The Debian image the stand-ins are built FROM. CCF_DEBIAN_BASE names another tag (to prove provisioning without touching the shared one). */
export const DEBIAN_BASE = process.env.CCF_DEBIAN_BASE ?? 'local/debian:bookworm';
/** The tag the stand-in fixtures' Dockerfiles name in FROM. */
export const DEFAULT_DEBIAN_BASE = 'local/debian:bookworm';
/** Debian's own image, pulled where a registry is reachable. */
const DEBIAN_UPSTREAM = process.env.CCF_DEBIAN_UPSTREAM ?? 'debian:bookworm';
const MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** The docker client: CCF_DOCKER, else CDK_DOCKER (what CDK and cdk-assets honour), else Debian's (BuildKit built in). */
export const DOCKER = process.env.CCF_DOCKER ?? process.env.CDK_DOCKER ?? (fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
const ENV = { ...process.env, DOCKER_BUILDKIT: '1' };

export interface Provisioned {
  readonly ok: boolean;
  /** How it was provisioned ('present', 'pulled debian:bookworm', 'debootstrap'), or why it could not be. */
  readonly how: string;
}

/** How to make the real-Docker tests run, for skip messages. */
export const HOW_TO_ENABLE = 'start a Docker engine with access to a registry (Docker Desktop does), or run .ci/setup-docker.sh as root '
  + '(debootstrap, no registry needed)';

function dockerSync(args: string[], options: { input?: Buffer; timeoutMs?: number } = {}) {
  return spawnSync(DOCKER, args, { env: ENV, input: options.input, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 });
}

export function imageExistsSync(tag: string): boolean {
  return dockerSync(['image', 'inspect', tag], { timeoutMs: 30_000 }).status === 0;
}

function log(message: string): void {
  // Straight to stderr: jest keeps console output of skipped files to itself.
  process.stderr.write(`[provision] ${message}\n`);
}

/** Pulls an image; false (quickly, on a machine without a registry) when it cannot. */
function pull(image: string): boolean {
  const r = dockerSync(['pull', '-q', image], { timeoutMs: 10 * 60_000 });
  return r.status === 0;
}

function canDebootstrap(): { ok: boolean; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'debootstrap needs root' };
  const found = spawnSync('sh', ['-c', 'command -v debootstrap'], { encoding: 'utf8' });
  if (found.status !== 0) return { ok: false, reason: 'debootstrap is not installed (apt-get install debootstrap)' };
  return { ok: true, reason: '' };
}

function debootstrapInto(tag: string): void {
  const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-bookworm-rootfs-'));
  try {
    log(`debootstrap bookworm into ${rootfs} (first run only, about a minute; its progress follows)`);
    // Its output straight to stderr, as it comes: this is the longest silent step of a first run otherwise.
    const boot = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', rootfs, MIRROR], { stdio: ['ignore', 2, 2], timeout: 20 * 60_000 });
    if (boot.status !== 0) throw new Error(`debootstrap failed (exit ${boot.status}${boot.error ? `, ${boot.error.message}` : ''}); its output is above`);
    // Containers reach the mirror over http only; keep apt's lists out of the image.
    for (const dir of ['var/lib/apt/lists', 'var/cache/apt/archives']) {
      for (const entry of fs.readdirSync(path.join(rootfs, dir))) {
        if (dir.endsWith('lists') || entry.endsWith('.deb')) fs.rmSync(path.join(rootfs, dir, entry), { recursive: true, force: true });
      }
    }
    const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 2 * 1024 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar of ${rootfs} failed: ${tar.stderr}`);
    const imported = dockerSync(['import', '-', tag], { input: tar.stdout, timeoutMs: 10 * 60_000 });
    if (imported.status !== 0) throw new Error(`docker import ${tag} failed: ${imported.stderr}`);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
}

/** Runs fn holding a lock that jest's parallel workers (and CI's setup step) share; waits for another holder first. */
function withLock<T>(name: string, fn: () => T): T {
  const lock = path.join(os.tmpdir(), `ccf-provision-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.lock`);
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A holder that died leaves its lock: older than 20 minutes is stale.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 20 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 30 minutes for ${lock}; remove it if no provisioning runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

let debianResult: Provisioned | undefined;

/** Makes sure the Debian base exists (see the order above). Never throws: the result says how, or why not. */
export function ensureDebianBase(): Provisioned {
  debianResult ??= provisionDebianBase();
  return debianResult;
}

function provisionDebianBase(): Provisioned {
  if (imageExistsSync(DEBIAN_BASE)) return { ok: true, how: 'present' };
  try {
    return withLock(DEBIAN_BASE, () => {
      if (imageExistsSync(DEBIAN_BASE)) return { ok: true, how: 'present (provisioned by another worker)' };
      if (pull(DEBIAN_UPSTREAM)) {
        const tagged = dockerSync(['tag', DEBIAN_UPSTREAM, DEBIAN_BASE]);
        if (tagged.status !== 0) throw new Error(`docker tag ${DEBIAN_UPSTREAM} ${DEBIAN_BASE} failed: ${tagged.stderr}`);
        log(`${DEBIAN_BASE}: pulled ${DEBIAN_UPSTREAM}`);
        return { ok: true, how: `pulled ${DEBIAN_UPSTREAM}` };
      }
      const debootstrap = canDebootstrap();
      if (!debootstrap.ok) {
        return { ok: false, how: `${DEBIAN_BASE} is missing, no registry is reachable to pull ${DEBIAN_UPSTREAM}, and ${debootstrap.reason}` };
      }
      debootstrapInto(DEBIAN_BASE);
      log(`${DEBIAN_BASE}: imported from debootstrap`);
      return { ok: true, how: 'debootstrap' };
    });
  } catch (e) {
    return { ok: false, how: `${DEBIAN_BASE} could not be provisioned: ${(e as Error).message}` };
  }
}

/**
 * Makes `image` (an AWS base image name) available for FROM without changing what the user's own builds resolve. A name
 * that exists is used as it is: the user's image (the real one), or one this run already borrowed. An absent one is
 * pulled where a registry is reachable, else tagged onto the stand-in; either way the suite's teardown removes it again,
 * as it was absent (support/engine-images.ts, test/support/global-teardown.ts).
 */
export function ensureAwsBase(image: string, standInTag: string): 'present' | 'pulled' | 'stand-in' {
  if (imageExistsSync(image)) return 'present';
  if (process.env.CCF_USE_STANDINS !== '1' && pull(image)) return 'pulled';
  const tagged = dockerSync(['tag', standInTag, image]);
  if (tagged.status !== 0) throw new Error(`docker tag ${standInTag} ${image} failed: ${tagged.stderr}`);
  return 'stand-in';
}

// `ts-node test/integ/support/provision.ts`: what .ci/setup-docker.sh runs once the engine is up.
if (require.main === module) {
  const result = ensureDebianBase();
  // eslint-disable-next-line no-console
  console.log(`[provision] ${DEBIAN_BASE}: ${result.ok ? 'ready' : 'NOT ready'} (${result.how})`);
  if (!result.ok) process.exit(1);
}
