import { Size, Token, aws_lambda as lambda } from 'aws-cdk-lib';
import { invalidInput } from './errors';
import { LAMBDA_ARCHITECTURES, LAMBDA_IMAGE_SIZE_LIMIT_BYTES, LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SECONDS, lambdaArchitecture } from './lambda-facts';
import { formatSize } from './size-format';


/** Checks the function options the library sets defaults for, before any resource exists. */
export function validateFunctionOptions(path: string, props: lambda.FunctionOptions & { maxImageSize?: Size }): void {
  const architecture = props.architecture;
  if (architecture && !Token.isUnresolved(architecture.name) && !LAMBDA_ARCHITECTURES.some(a => a.name === architecture.name)) {
    // The image is built for the function's architecture; one Lambda does not run has no platform to build for. Lambda's
    // API takes only its own names, so an alias such as 'aarch64' is refused too, with the name to use.
    const known = lambdaArchitecture(architecture.name);
    throw invalidInput(path, `architecture '${architecture.name}' is not one Lambda runs (${LAMBDA_ARCHITECTURES.map(a => a.name).join(', ')})`,
      known ? `Use Architecture.${known.name === 'arm64' ? 'ARM_64' : 'X86_64'}, Lambda's name for it.` : 'Use Architecture.X86_64 or Architecture.ARM_64.');
  }
  const memory = props.memorySize;
  const memoryValid = memory === undefined || Token.isUnresolved(memory)
    || (memory >= LAMBDA_MEMORY_MB.min && memory <= LAMBDA_MEMORY_MB.max && Number.isInteger(memory));
  if (!memoryValid) {
    throw invalidInput(path, `memorySize ${memory} MB is ${Number.isInteger(memory) ? "outside Lambda's range" : 'not a whole number'}`,
      `Use a whole number of MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}.`);
  }
  const timeout = props.timeout;
  if (timeout && !timeout.isUnresolved()) {
    const seconds = timeout.toSeconds({ integral: false });
    if (seconds > LAMBDA_TIMEOUT_SECONDS.max) {
      throw invalidInput(path, `timeout ${timeout.toHumanString()} is over Lambda's 15 minutes`, 'Use at most Duration.minutes(15); move longer work to Step Functions or ECS.');
    }
    if (seconds < LAMBDA_TIMEOUT_SECONDS.min) {
      throw invalidInput(path, `timeout ${timeout.toHumanString()} is under 1 second`, 'Use at least Duration.seconds(1).');
    }
  }
  const budget = props.maxImageSize;
  if (budget) {
    if (budget.isUnresolved()) {
      throw invalidInput(path, 'maxImageSize is an unresolved token', 'Pass a literal Size: the checks compare it with the image at synth time.');
    }
    const bytes = budget.toBytes();
    if (bytes <= 0) {
      throw invalidInput(path, 'maxImageSize must be greater than 0', `Pass a budget such as Size.mebibytes(500), or omit it to use Lambda's ${formatSize(LAMBDA_IMAGE_SIZE_LIMIT_BYTES)} limit.`);
    }
    if (bytes > LAMBDA_IMAGE_SIZE_LIMIT_BYTES) {
      throw invalidInput(path, `maxImageSize ${formatSize(bytes)} is over Lambda's ${formatSize(LAMBDA_IMAGE_SIZE_LIMIT_BYTES)} image limit`, `Pass at most Size.gibibytes(${LAMBDA_IMAGE_SIZE_LIMIT_BYTES / 1024 ** 3}).`);
    }
  }
}
