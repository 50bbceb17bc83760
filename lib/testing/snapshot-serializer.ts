/**
 * Jest snapshot serializer for CDK templates: masks what differs between machines and commits
 * (64-hex asset hashes, git SHAs, dirty-tag suffixes), so snapshots fail only on real changes.
 *
 * Add to jest config: `"snapshotSerializers": ["cdk-container-function/lib/testing/snapshot-serializer"]`.
 */

const ASSET_HASH = /[0-9a-f]{64}/g;
const DIRTY_SUFFIX = /-dirty-[0-9a-f]{8}/g;
// 12-40 lowercase hex (the default tag length and up) with both a digit and a letter, not part of a longer lowercase hex run.
const GIT_SHA = /(?<![0-9a-f])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,40}(?![0-9a-f])/g;
// A tag in a construct id moves the logical id's 8-hex path hash too (e.g. FnCopyImagefn<sha>CustomResource1A2B3C4D).
const ID_HASH_AFTER_SHA = /(\[GIT_SHA\](?:-dirty-\[HASH\]|dirty[0-9a-f]{8})?[A-Za-z0-9]*?)[0-9A-F]{8}$/;
const ANY = new RegExp(`${ASSET_HASH.source}|${DIRTY_SUFFIX.source}|${GIT_SHA.source}`);

/** Replaces asset hashes, dirty suffixes and git SHAs with stable placeholders. */
export function maskHashes(text: string): string {
  // Logical ids hold the tag without dashes: split a trailing 8-uppercase-hex id hash off before masking the SHA.
  const masked = text.replace(ASSET_HASH, '[ASSET_HASH]').replace(DIRTY_SUFFIX, '-dirty-[HASH]')
    .replace(/(?<![0-9a-f])((?=[0-9a-f]*[a-f])[0-9a-f]{12,40})([0-9A-F]{8})$/, '$1[ID_HASH]')
    .replace(GIT_SHA, '[GIT_SHA]');
  return masked.replace(ID_HASH_AFTER_SHA, '$1[ID_HASH]');
}

/** Jest: serialize strings that hold a hash. */
export function test(value: unknown): boolean {
  return typeof value === 'string' && ANY.test(value);
}

/** Jest: print the masked string the way Jest prints any string. */
export function serialize(value: string, config: unknown, indentation: string, depth: number, refs: unknown,
  printer: (v: unknown, c: unknown, i: string, d: number, r: unknown) => string): string {
  return printer(maskHashes(value), config, indentation, depth, refs);
}
