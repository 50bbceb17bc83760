// Internal: keeps secrets out of every message the checks print or write.

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|_KEY$)/i;
// Names that look secret but hold none: public keys, fingerprints, and paths to mounted secrets.
const NOT_SECRET = /(PUBLIC_?KEY|^GPG_KEYS?$|_(FILE|PATH|DIR)$)/i;

/** True for ARG/ENV/build-arg names that look like they hold a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** `NAME=value` (shell assignment, ENV/ARG, --build-arg) with the value optionally quoted. */
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"';&|]+)/g;
const BEARER = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g;

/** True when the text contains what looks like an AWS access key id. */
export function hasAwsAccessKey(text: string): boolean {
  return new RegExp(AWS_ACCESS_KEY_ID.source).test(text);
}

/** Literal values of secret-looking assignments in a text (not `$VAR`, `$(…)` references). */
export function secretAssignments(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    if (isSecretName(match[1]) && isLiteral(match[2])) names.push(match[1]);
  }
  return names;
}

/** Everything a message must not repeat: URL passwords, secret-looking assignments, bearer tokens. */
export function redactSecrets(text: string): string {
  return redactUrlCredentials(text)
    .replace(ASSIGNMENT, (all, name: string, value: string) => isSecretName(name) && isLiteral(value) ? `${name}=***` : all)
    .replace(BEARER, (_all, scheme: string) => `${scheme} ***`)
    .replace(AWS_ACCESS_KEY_ID, (_all, prefix: string) => `${prefix}***`);
}

function isLiteral(value: string): boolean {
  const unquoted = value.replace(/^["']|["']$/g, '');
  return unquoted.length > 0 && !unquoted.startsWith('$');
}

/** `scheme://user:password@` — the credentials part of a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]+):([^\s/@]+)@/gi;

/** True when the text contains a URL with an inline password (not a `$VARIABLE` reference). */
export function hasUrlCredentials(text: string): boolean {
  for (const match of text.matchAll(URL_CREDENTIALS)) {
    if (!match[3].startsWith('$')) return true;
  }
  return false;
}

/** Replaces URL passwords with `***`: `https://user:***@host`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (all, scheme: string, user: string, password: string) =>
    password.startsWith('$') ? all : `${scheme}${user}:***@`);
}

/** Shows a NAME=value pair with the value hidden when the name looks secret, else URL-redacted. */
export function redactAssignment(name: string, value: string | undefined | null, secretName: boolean): string {
  if (value === undefined || value === null) return name;
  if (secretName && value.length > 0 && !value.startsWith('$')) return `${name}=***`;
  return `${name}=${redactUrlCredentials(value)}`;
}
