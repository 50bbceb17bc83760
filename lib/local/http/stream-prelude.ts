// A streamed Function URL response starts with the HTTP integration prelude: JSON (statusCode, headers,
// cookies), then 8 NUL bytes, then the body. `awslambda.HttpResponseStream.from()` writes it.
// @see https://docs.aws.amazon.com/lambda/latest/dg/response-streaming-tutorial.html
// @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming
type Json = any;

export const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** A prelude is small; past this without a delimiter, it is not one. */
const MAX_PRELUDE_BYTES = 64 * 1024;

export interface Prelude {
  readonly statusCode: number;
  readonly headers: [string, string][];
}

export type PreludeResult =
  /** `rest`: body bytes that came with the prelude; `ended`: the stream has ended already. */
  | { readonly ok: true; readonly prelude: Prelude; readonly rest: Buffer; readonly ended?: boolean }
  | { readonly ok: false; readonly reason: string };

export function parsePrelude(json: Json): Prelude | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const status = json.statusCode ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  const headers: [string, string][] = [];
  for (const [k, v] of Object.entries<Json>(json.headers ?? {})) headers.push([k, String(v)]);
  for (const c of Array.isArray(json.cookies) ? json.cookies : []) headers.push(['Set-Cookie', String(c)]);
  return { statusCode: status, headers };
}

/** Reads `body` up to the end of the prelude; the rest of the stream is left for the caller. */
export function readPrelude(body: NodeJS.ReadableStream): Promise<PreludeResult> {
  return new Promise(resolve => {
    let buf = Buffer.alloc(0);
    const done = (r: PreludeResult) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.pause();
      resolve(r);
    };
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const at = buf.indexOf(DELIMITER);
      if (at < 0) {
        if (buf.length > MAX_PRELUDE_BYTES) done({ ok: false, reason: 'the streamed response has no prelude delimiter' });
        return;
      }
      let json: Json;
      try { json = JSON.parse(buf.subarray(0, at).toString('utf8')); } catch { done({ ok: false, reason: 'the streamed response\'s prelude is not JSON' }); return; }
      const prelude = parsePrelude(json);
      if (!prelude) { done({ ok: false, reason: 'the streamed response\'s prelude has no valid statusCode' }); return; }
      done({ ok: true, prelude, rest: buf.subarray(at + DELIMITER.length) });
    };
    // A function that ends its stream without writing sends no prelude: an empty 200.
    const onEnd = () => done(buf.length === 0
      ? { ok: true, prelude: { statusCode: 200, headers: [] }, rest: buf, ended: true }
      : { ok: false, reason: 'the streamed response ended before its prelude' });
    body.on('data', onData);
    body.on('end', onEnd);
  });
}
