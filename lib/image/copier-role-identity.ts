import * as crypto from 'crypto';
import { Aws, Stack, Token } from 'aws-cdk-lib';

/** The IAM path of every copier role the library creates (it makes their ARNs recognisable; it grants nothing). */
export const COPIER_ROLE_PATH = '/cdk-container-function/';

/** IAM's limit on a role name. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
const ROLE_NAME_MAX = 64;
/** Room kept for the region: the longest region name today has 15 characters (`us-isof-south-1`). */
const REGION_ROOM = 21;
const MIDDLE = '-copier-';
const HASH_LENGTH = 8;
const PREFIX_MAX = ROLE_NAME_MAX - REGION_ROOM - MIDDLE.length - HASH_LENGTH - 1;

/**
 * The physical name of a stack's copier role: `<stack name, cut>-copier-<hash of the stack's identity>-<region>`.
 *
 * A fixed name makes the role's ARN a string that any stack of the app can write down: a repository in another stack
 * names its copiers exactly, without a cross-stack reference (which would be a cycle, since each copier already
 * references the repository it pushes to). IAM names are unique per account: a CloudFormation stack name is unique
 * per account and region, so the name holds the region too (as a token in a stack without one, which resolves to the
 * same region in every stack of that deployment). CDK's `PhysicalName.GENERATE_IF_NEEDED` does not fit: it names a
 * resource only when another environment references it, and needs a concrete account and region.
 */
export function copierRoleName(stack: Stack): string {
  const rootName = rootStackOf(stack).stackName;
  const prefix = rootName.slice(0, PREFIX_MAX);
  const hash = crypto.createHash('sha256').update(stackIdentity(stack)).digest('hex').slice(0, HASH_LENGTH);
  const name = `${prefix}${MIDDLE}${hash}-${regionOf(stack)}`;
  if (!Token.isUnresolved(name) && name.length > ROLE_NAME_MAX) {
    throw new Error(`${stack.node.path}: the image copier's role name ${name} is longer than IAM's ${ROLE_NAME_MAX} characters (region ${stack.region}).`);
  }
  return name;
}

/**
 * The ARN of the stack's copier role, written with unscoped pseudo parameters only (`AWS::Partition`, and
 * `AWS::AccountId`/`AWS::Region` when the stack has no concrete environment), so it is the same string in any stack of
 * the copier's environment and never becomes a cross-stack reference. This is what `aws:PrincipalArn` holds when the
 * copy function calls ECR: the role's ARN with its path, not the session's.
 */
export function copierRoleArn(stack: Stack): string {
  const account = Token.isUnresolved(stack.account) ? Aws.ACCOUNT_ID : stack.account;
  return `arn:${Aws.PARTITION}:iam::${account}:role${COPIER_ROLE_PATH}${copierRoleName(stack)}`;
}

/** A literal region where the stack has one; otherwise the deploying region (`Ref AWS::Region`, unscoped). */
function regionOf(stack: Stack): string {
  return Token.isUnresolved(stack.region) ? Aws.REGION : stack.region;
}

function rootStackOf(stack: Stack): Stack {
  return stack.nestedStackParent ? rootStackOf(stack.nestedStackParent) : stack;
}

/** What makes a stack unique in its account and region: its name, and for a nested stack its path under its parent. */
function stackIdentity(stack: Stack): string {
  return stack.nestedStackParent ? `${stackIdentity(stack.nestedStackParent)}/${stack.node.path}` : stack.stackName;
}
