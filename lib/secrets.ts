// Internal, imported by lib/checks and lib/image alike: what looks like a credential, and how to keep it out of every
// message, findings file and template. It sits at the bottom of the house (imports nothing) so the construct's synth-time
// checks and the checks' rules share one definition.

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

/** Everything a message must not repeat: URL credentials, secret-looking assignments, bearer tokens, AWS key ids. */
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

/**
 * `scheme://userinfo@` — the credentials part of a URL. The authority ends at the first `/`, `?`, `#` or space, and
 * the userinfo at the LAST `@` before that (the greedy class backtracks to it): a password with an unencoded `@`
 * (`https://user:pa@ss@host`) is still hidden whole, never shown as `user:***@ss@host`.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*(?:@[^\s/?#@]*)*)@(?=[^\s/?#@]*(?:[\s/?#]|$))/gi;

/**
 * A user name alone that is really a token: `https://ghp_…@github.com`, `https://<token>@host`. Git hosts accept a
 * token as the user name, so a long user name mixing letters and digits, or a known token prefix, counts as a secret.
 * Short plain user names (`ssh://git@host`, `https://deploy@host`) are not.
 */
const TOKEN_PREFIX = /^(gh[pousr]_|github_pat_|glpat-|glptt-|xox[abpr]-|npm_|pypi-|AKIA|ASIA|sk-|x-access-token)/;
function looksLikeToken(user: string): boolean {
  const decoded = safeDecode(user);
  if (TOKEN_PREFIX.test(decoded)) return true;
  return decoded.length >= 16 && /[0-9]/.test(decoded) && /[A-Za-z]/.test(decoded);
}

/** What a URL's userinfo holds: a password (`user:password`), a token used as the user name, or neither. */
function userinfoSecret(userinfo: string): { user: string; secret: boolean } {
  if (userinfo.startsWith('$')) return { user: userinfo, secret: false };
  const colon = userinfo.indexOf(':');
  if (colon >= 0) {
    const user = userinfo.slice(0, colon);
    const password = userinfo.slice(colon + 1);
    // `user:${TOKEN}` is a reference to a variable, not a credential.
    return { user, secret: password.length > 0 && !password.startsWith('$') };
  }
  return { user: userinfo, secret: looksLikeToken(userinfo) };
}

/** True when the text contains a URL with an inline password or token (not a `$VARIABLE` reference). */
export function hasUrlCredentials(text: string): boolean {
  for (const match of text.matchAll(URL_USERINFO)) {
    if (userinfoSecret(match[2]).secret) return true;
  }
  return false;
}

/** Replaces URL passwords and tokens with `***`: `https://user:***@host`, `https://***@github.com`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, (all, scheme: string, userinfo: string) => {
    const { user, secret } = userinfoSecret(userinfo);
    if (!secret) return all;
    return userinfo.includes(':') ? `${scheme}${user}:***@` : `${scheme}***@`;
  });
}

/** Shows a NAME=value pair with the value hidden when the name looks secret, else URL-redacted. */
export function redactAssignment(name: string, value: string | undefined | null, secretName: boolean): string {
  if (value === undefined || value === null) return name;
  if (secretName && value.length > 0 && !value.startsWith('$')) return `${name}=***`;
  return `${name}=${redactUrlCredentials(value)}`;
}

/**
 * Names of build args whose values look like credentials: a secret-looking name with a literal value, a URL with a
 * password or token, an AWS access key id, or a bearer token. Build args are written into the cloud assembly and the
 * image history, so a caller refuses these at synth and points to `buildSecrets`.
 */
export function findCredentialBuildArgs(buildArgs: Record<string, string>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(buildArgs)) {
    if (typeof value !== 'string') continue;
    const literalSecret = isSecretName(name) && value.length > 0 && !value.startsWith('$');
    if (literalSecret || hasUrlCredentials(value) || hasAwsAccessKey(value) || new RegExp(BEARER.source).test(value)) {
      names.push(name);
    }
  }
  return names;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
