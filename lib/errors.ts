import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The path a construct will have, known before it exists, so validation can name it
 * before any resource is created.
 */
export function futurePath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/** An input error that names the construct path, the problem and the fix. */
export function invalidInput(path: string, problem: string, fix: string): Error {
  return new Error(`${path}: ${problem}. ${fix}`);
}

/**
 * Runs `check`; an input error it throws about the construct at `path` (its message starts with the path, as every one
 * of ours does) is re-pointed at the caller of `boundary`: the first frame of its stack, and the source line Node prints
 * above it, are then the user's `new ContainerFunction(...)`, not this package's internals (whose TypeScript is not
 * shipped). Any other error keeps its stack.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function reportedAtCaller<T>(boundary: Function, path: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${path}:`)) Error.captureStackTrace(e, boundary);
    throw e;
  }
}

/** Throws when a value that synth needs literally is still a token. */
export function requireResolved(path: string, value: unknown, what: string): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw invalidInput(path, `${what} is an unresolved token`, 'Pass a literal value: it is needed at synth time.');
  }
}
