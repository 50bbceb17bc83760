/**
 * The delivery design relies on the copy keeping a single-architecture manifest's digest: the same
 * build inputs (asset hash) then always put the same image under the same tag, a retried or repeated
 * copy changes nothing, and the digest Lambda resolved at deploy time stays the one the tag names.
 *
 * Proven with Debian's skopeo, which uses containers/image, the library cdk-ecr-deployment's copy
 * handler uses, between two real local registries (Debian's docker-registry), with the same
 * architecture selection the handler gets (`imageArch` → `--override-arch`). ECR itself is not here.
 */
import { ChildProcess, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { docker } from './support/docker';
import { describeWithRegistryTools, startRegistry } from './support/registry';
import { finalImageTag } from '../../lib/image/image-tag';

function skopeo(...args: string[]): string {
  const result = spawnSync('skopeo', args, { encoding: 'utf-8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`skopeo ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

const digestOf = (ref: string) => skopeo('inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${ref}`);
const rawManifest = (ref: string) => JSON.parse(skopeo('inspect', '--tls-verify=false', '--raw', `docker://${ref}`));
/** What cdk-ecr-deployment's handler does with `imageArch: ['amd64']`: copy one architecture's manifest. */
const copyLikeTheHandler = (from: string, to: string) =>
  skopeo('copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false', '--override-arch', 'amd64', '--override-os', 'linux', `docker://${from}`, `docker://${to}`);

describeWithRegistryTools('the copy keeps the image digest (skopeo between two local registries)', () => {
  let work: string;
  let registries: Array<{ host: string; process: ChildProcess }>;
  let assetRef: string;
  let assetDigest: string;
  const assetHash = 'c0ffee'.padEnd(64, '0');

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-registries-'));
    registries = [await startRegistry(work), await startRegistry(work)];
    // A small single-architecture image, as the asset build makes one (FROM scratch: no base image to fetch).
    const context = path.join(work, 'context');
    fs.mkdirSync(context);
    fs.writeFileSync(path.join(context, 'app.py'), 'def handler(event, context):\n    return 1\n');
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.py /var/task/app.py\nCMD ["app.handler"]\n');
    assetRef = `${registries[0].host}/cdk-assets:${assetHash}`;
    await docker(['build', '--platform', 'linux/amd64', '-t', assetRef, context]);
    await docker(['push', assetRef]);
    assetDigest = digestOf(assetRef);
  }, 300_000);

  afterAll(async () => {
    registries?.forEach(r => r.process.kill());
    if (assetRef) await docker(['image', 'rm', '-f', assetRef], { allowFailure: true });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the copied tag names the very manifest the asset tag names', () => {
    const tag = finalImageTag('Test/Fn', { mode: 'copy', version: '3f2a1b9c4d5e', dirty: false }, assetHash);
    const destination = `${registries[1].host}/images:${tag}`;
    copyLikeTheHandler(assetRef, destination);
    expect(assetDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestOf(destination)).toBe(assetDigest);
    expect(rawManifest(destination).manifests).toBeUndefined(); // one image manifest, not an index
  });

  test('a retried copy (same tag) and a revert (same image, new tag) leave one image with one digest', () => {
    const first = `${registries[1].host}/images:${finalImageTag('Test/Fn', { mode: 'copy', version: 'aaaaaaaaaaaa', dirty: false }, assetHash)}`;
    const revert = `${registries[1].host}/images:${finalImageTag('Test/Fn', { mode: 'copy', version: 'bbbbbbbbbbbb', dirty: false }, assetHash)}`;
    copyLikeTheHandler(assetRef, first);
    copyLikeTheHandler(assetRef, first);
    copyLikeTheHandler(assetRef, revert);
    expect(new Set([digestOf(first), digestOf(revert), assetDigest]).size).toBe(1);
  });

  test('from an image index, the architecture selection copies that architecture\'s manifest, not the index', async () => {
    const context = path.join(work, 'context');
    const base = `${registries[0].host}/multi`;
    for (const arch of ['amd64', 'arm64']) {
      await docker(['build', '--platform', `linux/${arch}`, '-t', `${base}:${arch}`, context]);
      await docker(['push', `${base}:${arch}`]);
    }
    await docker(['manifest', 'create', '--insecure', `${base}:index`, `${base}:amd64`, `${base}:arm64`]);
    await docker(['manifest', 'push', '--insecure', '--purge', `${base}:index`]);
    const index = rawManifest(`${base}:index`);
    expect(index.manifests.map((m: any) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    const amd64 = index.manifests.find((m: any) => m.platform.architecture === 'amd64').digest;
    const destination = `${registries[1].host}/images:from-index`;
    copyLikeTheHandler(`${base}:index`, destination);
    expect(digestOf(destination)).toBe(amd64);
    expect(rawManifest(destination).manifests).toBeUndefined(); // a single image manifest: what Lambda accepts
    for (const arch of ['amd64', 'arm64']) await docker(['image', 'rm', '-f', `${base}:${arch}`], { allowFailure: true });
  }, 300_000);
});
