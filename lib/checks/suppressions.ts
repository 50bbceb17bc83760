// Internal: suppressions are CDK acknowledgements (`Validations.acknowledge`) of our annotation ids,
// so CDK itself hides acknowledged warnings and records the reason in construct metadata; the
// engine reads the same metadata to also cover infos, errors and strict mode.
import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MIN_SUPPRESSION_REASON_LENGTH } from '../lambda-facts';

/** Prefix of every annotation id this library adds (`cdk-container-function:CCF101`). */
export const ID_PREFIX = 'cdk-container-function:';
/** Key of the template metadata that lists suppressions on a resource. */
export const TEMPLATE_METADATA_KEY = 'cdk-container-function';

const MIN_REASON = MIN_SUPPRESSION_REASON_LENGTH;
const ACKNOWLEDGED_ID = /(?:^|::)cdk-container-function:([A-Za-z0-9]+)$/;

/** A suppression of one rule on one construct (and its children). */
export interface Suppression {
  readonly construct: IConstruct;
  readonly ruleId: string;
  readonly reason: string;
}

/** Validates and records a suppression as a CDK acknowledgement. */
export function addSuppression(scope: IConstruct, ruleId: string, reason: string): void {
  if (!/^[A-Z]+[0-9]+$/.test(ruleId)) {
    throw new Error(`${scope.node.path}: '${ruleId}' is not a rule id. Pass an id such as 'CCF101' (see RULES.md).`);
  }
  if (typeof reason !== 'string' || reason.trim().length < MIN_REASON) {
    throw new Error(`${scope.node.path}: suppressing ${ruleId} needs a reason of at least ${MIN_REASON} characters `
      + 'saying why the finding does not apply.');
  }
  Validations.of(scope).acknowledge({ id: ID_PREFIX + ruleId, reason: reason.trim() });
}

/** Suppressions recorded directly on a construct (not inherited). */
export function suppressionsOn(construct: IConstruct): Suppression[] {
  const result: Suppression[] = [];
  for (const entry of construct.node.metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || !entry.data) continue;
    for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
      const match = ACKNOWLEDGED_ID.exec(id);
      if (match) result.push({ construct, ruleId: match[1], reason: String(reason ?? '') });
    }
  }
  return result;
}

/** The nearest suppression of a rule on the construct or one of its ancestors. */
export function findSuppression(construct: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const found = suppressionsOn(scope).find(s => s.ruleId === ruleId);
    if (found) return found;
  }
  return undefined;
}

/** Copies a construct's suppressions into the template metadata of every resource below it. */
export function recordInTemplate(construct: IConstruct, suppressions: Suppression[]): void {
  if (suppressions.length === 0) return;
  for (const child of construct.node.findAll()) {
    if (!CfnResource.isCfnResource(child)) continue;
    const existing = (child.getMetadata(TEMPLATE_METADATA_KEY) ?? {}) as { suppressions?: { id: string; reason: string }[] };
    const list = [...(existing.suppressions ?? [])];
    for (const s of suppressions) {
      if (!list.some(e => e.id === s.ruleId)) list.push({ id: s.ruleId, reason: s.reason });
    }
    child.addMetadata(TEMPLATE_METADATA_KEY, { ...existing, suppressions: list });
  }
}
