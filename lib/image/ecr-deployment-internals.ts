import { CustomResource, aws_lambda as lambda } from 'aws-cdk-lib';
import { ECRDeployment } from 'cdk-ecr-deployment';

/**
 * The one place that knows cdk-ecr-deployment's internals, so an upgrade of it breaks here only:
 * where its SingletonFunction puts the copy function for a memory size (lambdaPurpose + slugified
 * uuid + `<size>MiB`, at the stack's top level), and the private field that holds the handler.
 */
export function copyFunctionId(memoryMiB: number): string {
  return `Custom::CDKECRDeployment${'bd07c930-edb9-4112-a20f-03f096f53666'.replace(/[^a-zA-Z0-9]/g, '')}${memoryMiB}MiB`;
}

/** The function an ECRDeployment runs on. */
export function copyFunctionOf(copy: ECRDeployment): lambda.Function {
  const singleton = (copy as unknown as { handler: lambda.SingletonFunction }).handler;
  // SingletonFunction forwards to the one real function at the stack's top level.
  return (singleton as unknown as { lambdaFunction: lambda.Function }).lambdaFunction;
}

/** The custom resource that performs the copy (its `Ref` exists once the copy has run). */
export function copyResourceOf(copy: ECRDeployment): CustomResource {
  return copy.node.findChild('CustomResource') as CustomResource;
}
