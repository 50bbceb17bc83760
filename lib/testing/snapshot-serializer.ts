/**
 * Jest snapshot serializer for CDK templates: masks what differs between machines, commits and
 * uncommitted edits, so a snapshot fails only on a real change of the infrastructure.
 *
 * - image tags `<git sha>-<asset hash>` and `<git sha>-dirty-<asset hash>` → `[GIT_SHA]-[ASSET_HASH]`
 *   (a dirty working copy snapshots like a clean one);
 * - any other 64-hex asset hash → `[ASSET_HASH]` (`ImageTag.of('1.2.3')` → `1.2.3-[ASSET_HASH]`);
 * - in a logical id, a tag without its dashes (`...Copy3f2a1b9c4d5e<hash>CustomResource1A2B3C4D`) →
 *   `[GIT_SHA][ASSET_HASH]`, and the trailing 8-hex path hash, which moves with it → `[ID_HASH]`.
 * Other hex (fixed ids such as cdk-ecr-deployment's handler uuid, ARNs, numbers) is left alone.
 *
 * Add to jest config: `"snapshotSerializers": ["cdk-container-function/lib/testing/snapshot-serializer"]`.
 */

const GIT_SHA_TAG = /(?<![0-9A-Za-z])[0-9a-f]{7,40}-(?:dirty-)?[0-9a-f]{64}(?![0-9a-f])/g;
const ASSET_HASH = /[0-9a-f]{64}/g;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;
/** A `<git sha>[-dirty]-<asset hash>` tag as CDK writes it into a logical id: dashes dropped. */
const GIT_SHA_TAG_IN_ID = /(?<![0-9a-f])[0-9a-f]{7,40}(?:dirty)?[0-9a-f]{64}(?![0-9a-f])/g;
const ID_HASH = /[0-9A-F]{8}$/;

/** Replaces image tags, asset hashes and the logical-id hashes that follow them with stable placeholders. */
export function maskHashes(text: string): string {
  const isLogicalId = LOGICAL_ID.test(text) && new RegExp(ASSET_HASH.source).test(text);
  if (isLogicalId) {
    // A version that ends in hex digits runs into the hash: the hash is the last 64 of the run.
    return text.replace(GIT_SHA_TAG_IN_ID, '[GIT_SHA][ASSET_HASH]').replace(/[0-9a-f]{64}(?![0-9a-f])/g, '[ASSET_HASH]').replace(ID_HASH, '[ID_HASH]');
  }
  return text.replace(GIT_SHA_TAG, '[GIT_SHA]-[ASSET_HASH]').replace(ASSET_HASH, '[ASSET_HASH]');
}

/** Jest: serialize strings that hold an asset hash. */
export function test(value: unknown): boolean {
  return typeof value === 'string' && new RegExp(ASSET_HASH.source).test(value);
}

/** Jest: print the masked string the way Jest prints any string. */
export function serialize(value: string, config: unknown, indentation: string, depth: number, refs: unknown,
  printer: (v: unknown, c: unknown, i: string, d: number, r: unknown) => string): string {
  return printer(maskHashes(value), config, indentation, depth, refs);
}
