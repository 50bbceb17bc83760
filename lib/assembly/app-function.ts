// The one description of a Lambda function of a synthesized app that every tool reads: `invoke`, `serve`, `measure`,
// and the coming HTTP front doors and inner loop. Filled by read-app.ts from the cloud assembly (templates, asset
// manifests and metadata files); nothing else reads templates for functions.
import { ImageAsset } from './image-asset';

/** Where a function's image comes from. */
export type FunctionImage =
  /** A Docker image asset of the assembly: built locally as `cdk deploy` would publish it. */
  | { readonly kind: 'asset'; readonly asset: ImageAsset }
  /** A literal image URI (an ECR image this app does not build). */
  | { readonly kind: 'uri'; readonly uri: string }
  /**
   * An image asset the assembly's manifests do not describe (a stale or hand-edited assembly): its hash when the
   * template's `aws:asset:path` metadata names it.
   */
  | { readonly kind: 'unlisted-asset'; readonly assetHash?: string };

/**
 * A Function URL (`AWS::Lambda::Url`) that targets the function.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-url.html
 */
export interface FunctionUrlConfig {
  readonly logicalId: string;
  /** `AWS_IAM` or `NONE`. */
  readonly authType: string;
  /** `BUFFERED` (Lambda's default) or `RESPONSE_STREAM`. */
  readonly invokeMode: string;
  /** The template's `Cors` block, as written (values may be unresolved expressions). */
  readonly cors?: { readonly [key: string]: unknown };
  /** The alias or version the URL targets, when literal. */
  readonly qualifier?: string;
}

/** A container-image Lambda function (`AWS::Lambda::Function` with `PackageType: Image`) of the app. */
export interface AppFunction {
  /**
   * Construct path without the trailing `/Resource`, e.g. `CsvProcessor/Processor`. Taken from the stack's
   * `aws:cdk:logicalId` metadata (written with or without path metadata), so it is right on any assembly.
   */
  readonly path: string;
  readonly logicalId: string;
  /** The top-level stack as deployed (for a function in a nested stack: the stack that contains it). */
  readonly stackName: string;
  /** Cloud assembly artifact id of that stack (what `cdk deploy` selects). */
  readonly stackId: string;
  /** Construct path of the nested stack whose template declares the function, when it is in one. */
  readonly nestedStack?: string;
  /** The stack's region and account when the app pins them. */
  readonly region?: string;
  readonly account?: string;
  /**
   * The deployed name: `FunctionName` when literal, else `<stack>-<logicalId>` (the start of the name CloudFormation
   * generates), at most 64 characters.
   */
  readonly functionName: string;
  /** `MemorySize`, Lambda's default when left out (lib/lambda-facts.ts). */
  readonly memoryMb: number;
  /** `Timeout` in seconds, Lambda's default when left out (lib/lambda-facts.ts). */
  readonly timeoutSeconds: number;
  /** Lambda's architecture name, `x86_64` or `arm64` (`Architectures[0]`, x86_64 when left out). */
  readonly architecture: string;
  /** Literal environment values (numbers and booleans as CloudFormation passes them: as strings). */
  readonly environment: { readonly [name: string]: string };
  /** Variables whose value is a CloudFormation expression (a Ref, a GetAtt): unknown until deployed. */
  readonly unresolvedEnvironment: readonly string[];
  /** `ImageConfig`: each one replaces the image's own CMD, ENTRYPOINT, WORKDIR. */
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly workingDirectory?: string;
  readonly image: FunctionImage;
  /** The function's URL, when the template gives it one. */
  readonly functionUrl?: FunctionUrlConfig;
}
