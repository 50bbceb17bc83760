// Internal: keeps secrets out of every message the checks print or write.

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
