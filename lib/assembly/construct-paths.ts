// Construct paths of a stack's resources, from the `aws:cdk:logicalId` metadata that every synth writes (into the
// manifest or, in recent CDK versions, the `<Stack>.metadata.json` file that @aws-cdk/cloud-assembly-api reads),
// whether or not path metadata (`aws:cdk:path` in the template) was turned on: `cdk synth` turns it on, a script's
// `new App().synth()` and `cdk synth --no-path-metadata` do not. The stack's metadata also holds the entries of its
// nested stacks' resources; each entry goes to the deepest nested stack whose construct path holds it.
import type { CloudFormationStackArtifact } from '@aws-cdk/cloud-assembly-api';

/** Logical id → construct path (no leading slash, with the trailing `/Resource` CDK adds to L1 resources). */
export type ConstructPaths = ReadonlyMap<string, string>;

const LOGICAL_ID = 'aws:cdk:logicalId';

/** The nested stack a CDK `NestedStack`'s resource stands for: `/A/Inner.NestedStack/Inner.NestedStackResource` → `A/Inner`. */
export function nestedStackPathOf(resourcePath: string): string | undefined {
  const match = /^\/?(.*)\.NestedStack\/[^/]*\.NestedStackResource$/.exec(resourcePath);
  return match?.[1];
}

/**
 * The construct paths of each template scope of a stack artifact: the stack's own template (key `''`) and each nested
 * stack (key: its construct path, as `nestedStackPathOf` gives it).
 */
export function constructPathsByScope(stack: CloudFormationStackArtifact): Map<string, Map<string, string>> {
  const entries = stack.findMetadataByType(LOGICAL_ID)
    .filter(e => typeof e.data === 'string')
    .map(e => ({ path: e.path.replace(/^\/+/, ''), logicalId: e.data as string }));
  const nested = entries.map(e => nestedStackPathOf(e.path)).filter((p): p is string => p !== undefined)
    .sort((a, b) => b.length - a.length); // deepest first
  const scopes = new Map<string, Map<string, string>>([['', new Map()], ...nested.map(p => [p, new Map()] as [string, Map<string, string>])]);
  for (const entry of entries) {
    const scope = nested.find(p => entry.path.startsWith(`${p}/`)) ?? '';
    scopes.get(scope)!.set(entry.logicalId, entry.path);
  }
  return scopes;
}

/** A function's construct path: `Stack/Fn/Resource` → `Stack/Fn`. */
export function withoutResourceSuffix(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/Resource$/, '');
}
