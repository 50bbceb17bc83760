import { Size, SizeRoundingBehavior, Token, aws_lambda as lambda } from 'aws-cdk-lib';
import { invalidInput } from './errors';

/** Lambda's limit on an image's uncompressed size. */
export const LAMBDA_IMAGE_SIZE_LIMIT = Size.gibibytes(10);

/** Checks the function options the library sets defaults for, before any resource exists. */
export function validateFunctionOptions(path: string, props: lambda.FunctionOptions & { maxImageSize?: Size }): void {
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (memory < 128 || memory > 10240 || !Number.isInteger(memory))) {
    throw invalidInput(path, `memorySize ${memory} MB is outside Lambda's range`, 'Use a whole number of MB from 128 to 10240.');
  }
  const timeout = props.timeout;
  if (timeout && !timeout.isUnresolved()) {
    const seconds = timeout.toSeconds({ integral: false });
    if (seconds > 900) {
      throw invalidInput(path, `timeout ${timeout.toHumanString()} is over Lambda's 15 minutes`, 'Use at most Duration.minutes(15); move longer work to Step Functions or ECS.');
    }
    if (seconds < 1) {
      throw invalidInput(path, `timeout ${timeout.toHumanString()} is under 1 second`, 'Use at least Duration.seconds(1).');
    }
  }
  if (props.logGroup && props.logRetention !== undefined) {
    throw invalidInput(path, 'logRetention applies to the log group the function creates, but logGroup was given', 'Set the retention on your log group, or drop logGroup.');
  }
  const budget = props.maxImageSize;
  if (budget) {
    if (budget.isUnresolved()) {
      throw invalidInput(path, 'maxImageSize is an unresolved token', 'Pass a literal Size: the checks compare it with the image at synth time.');
    }
    const bytes = budget.toBytes();
    if (bytes <= 0) {
      throw invalidInput(path, 'maxImageSize must be greater than 0', 'Pass a budget such as Size.mebibytes(500), or omit it to use the 10 GB limit.');
    }
    if (bytes > LAMBDA_IMAGE_SIZE_LIMIT.toBytes()) {
      throw invalidInput(path, `maxImageSize ${budget.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB is over Lambda's 10 GB image limit`, 'Pass at most Size.gibibytes(10).');
    }
  }
}
