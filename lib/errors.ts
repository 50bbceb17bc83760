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

/** Throws when a value that synth needs literally is still a token. */
export function requireResolved(path: string, value: unknown, what: string): void {
  if (value !== undefined && Token.isUnresolved(value)) {
    throw invalidInput(path, `${what} is an unresolved token`, 'Pass a literal value: it is needed at synth time.');
  }
}
