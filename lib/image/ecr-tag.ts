import { invalidInput } from '../errors';

/** ECR's tag grammar. */
const ECR_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a literal tag against ECR's grammar and refuses the mutable `latest` (in any case).
 * `what` names the tag in the message; `latestFix` says what to use instead where the tag came from.
 */
export function checkEcrTag(path: string, tag: string, what: string, latestFix: string): void {
  if (!ECR_TAG.test(tag)) {
    throw invalidInput(path, `${what} '${tag}' is not a valid ECR tag`, 'Use 1 to 128 characters from [A-Za-z0-9._-], starting with a letter, digit or underscore.');
  }
  if (tag.toLowerCase() === 'latest') {
    throw invalidInput(path, `${what} 'latest' is mutable`, latestFix);
  }
}
