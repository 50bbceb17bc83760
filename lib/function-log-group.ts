import { RemovalPolicy, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { invalidInput } from './errors';

/** How long a function's logs are kept unless `logRetention` says otherwise: never forever. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * The child id aws-cdk-lib's `Function` gives the log group it manages under
 * `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (the flag `cdk init` turns on); ours takes the same id,
 * so turning the flag on or off keeps the log group's logical ID.
 */
const LOG_GROUP_ID = 'LogGroup';

/** The log options this module applies itself, so they never reach `Function` (which would add a second log group). */
export interface LogGroupOptions {
  readonly logGroup?: logs.ILogGroupRef;
  readonly logRetention?: logs.RetentionDays;
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** Refuses combinations that have no log group to apply to, before any construct exists. */
export function validateLogGroupOptions(path: string, options: LogGroupOptions): void {
  if (options.logGroup && options.logRetention !== undefined) {
    throw invalidInput(path, 'logRetention applies to the log group the function creates, but logGroup was given', 'Set the retention on your log group, or drop logGroup.');
  }
  if (options.logGroup && options.logRemovalPolicy !== undefined) {
    throw invalidInput(path, 'logRemovalPolicy applies to the log group the function creates, but logGroup was given', 'Set the removal policy on your log group, or drop logGroup.');
  }
}

export interface FunctionLogGroupOptions {
  /** @default DEFAULT_LOG_RETENTION */
  readonly retention?: logs.RetentionDays;
  /** @default - the log group's own default (RETAIN) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Gives `fn` exactly one log group with finite retention. Under `useCdkManagedLogGroup`, `Function`
 * has already made one (with CDK's two-year default): that one is configured. Otherwise one is
 * created and named in the function's logging config, so Lambda never creates `/aws/lambda/<name>`
 * with unlimited retention on the first invoke.
 */
export function ensureFunctionLogGroup(fn: lambda.Function, options: FunctionLogGroupOptions = {}): logs.ILogGroup {
  const retention = options.retention ?? DEFAULT_LOG_RETENTION;
  const existing = fn.node.tryFindChild(LOG_GROUP_ID);
  if (existing && !(existing instanceof logs.LogGroup)) {
    throw new Error(`${fn.node.path}: its '${LOG_GROUP_ID}' child is a ${existing.constructor.name}, not a log group; the function's log group cannot be configured.`);
  }
  const logGroup = existing ?? new logs.LogGroup(fn, LOG_GROUP_ID, { retention });
  if (existing) {
    // LogGroup has no setter for retention: the L1 property is the one place it is rendered (INFINITE renders as absent).
    (existing.node.defaultChild as logs.CfnLogGroup).retentionInDays = retention === logs.RetentionDays.INFINITE ? undefined : retention;
  } else {
    const cfn = fn.node.defaultChild as lambda.CfnFunction;
    cfn.loggingConfig = { ...(cfn.loggingConfig as object), logGroup: logGroup.logGroupName };
  }
  if (options.removalPolicy !== undefined) logGroup.applyRemovalPolicy(options.removalPolicy);
  return logGroup;
}
