import { Annotations, Fn, Stack, aws_ecr_assets as ecr_assets } from 'aws-cdk-lib';
import { ECRDeployment } from 'cdk-ecr-deployment';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';
import { copyResourceOf } from './ecr-deployment-internals';

/**
 * CDK context key of the development delivery for `cdk watch` and `cdk deploy --hotswap`: functions
 * run the image asset that `cdk deploy` publishes before it hotswaps, instead of the copy under the
 * function's own tag, which only CloudFormation makes (a custom resource, which hotswap skips).
 */
export const HOTSWAP_CONTEXT_KEY = 'cdk-container-function:hotswap';

/** Warning id that reminds, on every synth in the development delivery, how functions get back to their tags. */
export const HOTSWAP_DELIVERY_WARNING = 'cdk-container-function:HotswapDelivery';

/** Whether the app was synthesized with `-c cdk-container-function:hotswap=true`. */
export function hotswapDeliveryOn(scope: IConstruct): boolean {
  const value = scope.node.tryGetContext(HOTSWAP_CONTEXT_KEY);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw invalidInput(scope.node.path, `context '${HOTSWAP_CONTEXT_KEY}' is ${JSON.stringify(value)}`,
    `Pass -c ${HOTSWAP_CONTEXT_KEY}=true (cdk watch, cdk deploy --hotswap) or leave it out (every other deploy).`);
}

/** The image a function runs in the development delivery: the published asset, as `ImageTag.assetHash()` has it. */
export function publishedAsset(scope: IConstruct, asset: ecr_assets.DockerImageAsset): { imageUri: string; imageTag: string } {
  warnOncePerStack(scope);
  return { imageUri: asset.imageUri, imageTag: asset.imageTag };
}

/**
 * The tag as the function's `ImageUri` names it: `Fn::Select [0, [tag, Ref copy]]`, which is the tag,
 * read only once the copy resource exists. CloudFormation sees the same URI (and orders the function
 * after the copy). A hotswap, which skips the copy because it is a new custom resource, cannot resolve
 * the `Ref`: it stops with "could not be resolved" (or, with `--hotswap-fallback`, deploys through
 * CloudFormation), instead of pointing the function at a tag that was never pushed.
 */
export function tagOnceCopied(tag: string, copy: ECRDeployment): string {
  return Fn.select(0, [tag, copyResourceOf(copy).ref]);
}

const WARNED = new WeakSet<Stack>();

function warnOncePerStack(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (WARNED.has(stack)) return;
  WARNED.add(stack);
  Annotations.of(stack).addWarningV2(HOTSWAP_DELIVERY_WARNING,
    `${HOTSWAP_CONTEXT_KEY} is on: ContainerFunctions run their image assets from the CDK bootstrap repository, so cdk watch and cdk deploy --hotswap update them. ` +
    `Deploy without -c ${HOTSWAP_CONTEXT_KEY}=true to put them back on their own immutable tags.`);
}
