/**
 * Jest snapshot serializer for CDK templates: masks what differs between machines and commits
 * (64-hex asset hashes, git SHAs, dirty-tag suffixes), so snapshots fail only on real changes.
 *
 * Add to jest config: `"snapshotSerializers": ["cdk-container-function/lib/testing/snapshot-serializer"]`.
 */

const ASSET_HASH = /[0-9a-f]{64}/g;
const DIRTY_SUFFIX = /-dirty-[0-9a-f]{8}/g;
// 7-40 lowercase hex with both a digit and a letter, not part of a longer lowercase hex run.
const GIT_SHA = /(?<![0-9a-f])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}(?![0-9a-f])/g;
const ANY = new RegExp(`${ASSET_HASH.source}|${DIRTY_SUFFIX.source}|${GIT_SHA.source}`);

/** Replaces asset hashes, dirty suffixes and git SHAs with stable placeholders. */
export function maskHashes(text: string): string {
  return text.replace(ASSET_HASH, '[ASSET_HASH]').replace(DIRTY_SUFFIX, '-dirty-[HASH]').replace(GIT_SHA, '[GIT_SHA]');
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
