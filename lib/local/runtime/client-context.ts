// The Invoke API's X-Amz-Client-Context (base64 of a JSON object, up to 3,583 bytes) reaches the
// runtime as the Lambda-Runtime-Client-Context header, decoded. A header value must be visible ASCII,
// so the JSON is re-serialized with every other character escaped (`ü` → `\u00fc`, a newline inside a
// string → `\n`): the runtime parses the same object, and no request can put a byte into a header that
// Node.js refuses to send.
// @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax (ClientContext)
// @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-next (Lambda-Runtime-Client-Context)
import { MAX_CLIENT_CONTEXT_BYTES } from '../../lambda-facts';

/** Why a client context is refused; the Invoke API answers it as 400 InvalidRequestContentException. */
export class ClientContextError extends Error {}

/** JSON text with everything outside printable ASCII escaped, safe as an HTTP header value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether `text` may be sent as a header value as it is (printable ASCII only). */
export function isHeaderSafe(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** The header value the runtime gets for an X-Amz-Client-Context, or a ClientContextError saying why not. */
export function clientContextHeader(base64: string): string {
  if (Buffer.byteLength(base64) > MAX_CLIENT_CONTEXT_BYTES) {
    throw new ClientContextError(`X-Amz-Client-Context is ${Buffer.byteLength(base64)} bytes; Lambda accepts up to ${MAX_CLIENT_CONTEXT_BYTES}.`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64.trim()) || base64.trim().length % 4 !== 0) {
    throw new ClientContextError('X-Amz-Client-Context must be base64-encoded JSON.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64.trim(), 'base64').toString('utf8'));
  } catch (e) {
    throw new ClientContextError(`X-Amz-Client-Context must be base64-encoded JSON (${(e as Error).message}).`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ClientContextError('X-Amz-Client-Context must be base64 of a JSON object, such as {"custom":{...}}.');
  }
  return asciiJson(parsed);
}
