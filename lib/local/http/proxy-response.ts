// From the function's answer to the HTTP response, per payload format.
//
// 1.0 (REST and HTTP API 1.0): the answer must be `{ statusCode, headers, multiValueHeaders, body,
// isBase64Encoded }`; REST accepts no other key. `headers` and `multiValueHeaders` are merged, and where
// both name a header the multi-value list wins. Anything else is a malformed proxy response.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
//
// 2.0 (HTTP API 2.0, Function URLs): an object with `statusCode` gives status, headers, `cookies` (one
// Set-Cookie each) and body; any other valid JSON is a 200 `application/json` response whose body is the
// answer itself.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
// @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-response-payload
import * as http from 'http';
import { decodeBase64Strict, restReturnsBinary } from './binary-media';
import { ApiKind } from './routes';

type Json = any;

export type MappedResponse =
  | { readonly ok: true; readonly status: number; readonly headers: [string, string][]; readonly body: Buffer }
  | { readonly ok: false; readonly reason: string };

const REST_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

const malformed = (reason: string): MappedResponse => ({ ok: false, reason });

/** Headers Node would refuse to send (a newline in a value, a space in a name) make the response malformed. */
function checked(status: number, headers: [string, string][], body: Buffer): MappedResponse {
  for (const [k, v] of headers) {
    try {
      http.validateHeaderName(k);
      http.validateHeaderValue(k, v);
    } catch {
      return malformed(`header ${JSON.stringify(k)} has a name or value HTTP does not allow`);
    }
  }
  return { ok: true, status, headers, body };
}

function statusOf(v: Json): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

const scalar = (v: Json) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function parse(payload: Buffer): { value: Json } | undefined {
  try { return { value: JSON.parse(payload.toString('utf8')) }; } catch { return undefined; }
}

function bodyBytes(body: Json, base64: boolean): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string') return undefined;
  return base64 ? decodeBase64Strict(body) : Buffer.from(body, 'utf8');
}

export interface V1Context {
  readonly kind: ApiKind;
  readonly binaryMediaTypes: readonly string[];
  /** The request's Accept header (REST decides on binary by it). */
  readonly accept?: string;
}

export function mapResponseV1(payload: Buffer, c: V1Context): MappedResponse {
  const parsed = parse(payload);
  if (!parsed) return malformed('the function\'s answer is not JSON');
  const r = parsed.value;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return malformed('the function\'s answer is not an object with statusCode');
  if (c.kind === 'rest') {
    const extra = Object.keys(r).filter(k => !REST_KEYS.has(k));
    if (extra.length) return malformed(`the answer has keys a Lambda proxy response cannot have: ${extra.join(', ')}`);
  }
  const status = statusOf(r.statusCode);
  if (status === undefined) return malformed(`statusCode ${JSON.stringify(r.statusCode)} is not an HTTP status`);
  const headers: [string, string][] = [];
  const multi = r.multiValueHeaders ?? {};
  if (typeof multi !== 'object' || Array.isArray(multi)) return malformed('multiValueHeaders is not an object');
  const multiNames = new Set<string>();
  for (const [k, vs] of Object.entries<Json>(multi)) {
    if (!Array.isArray(vs) || !vs.every(scalar)) return malformed(`multiValueHeaders.${k} is not a list of values`);
    multiNames.add(k.toLowerCase());
    for (const v of vs) headers.push([k, String(v)]);
  }
  const single = r.headers ?? {};
  if (typeof single !== 'object' || Array.isArray(single)) return malformed('headers is not an object');
  for (const [k, v] of Object.entries<Json>(single)) {
    if (!scalar(v)) return malformed(`headers.${k} is not a string`);
    if (!multiNames.has(k.toLowerCase())) headers.push([k, String(v)]);
  }
  const base64 = r.isBase64Encoded === true;
  const contentType = headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const decode = base64 && (c.kind !== 'rest' || restReturnsBinary(c.binaryMediaTypes, c.accept, contentType));
  const body = bodyBytes(r.body, decode);
  if (!body) return malformed(typeof r.body !== 'string' ? 'body is not a string' : 'body is not valid base64 although isBase64Encoded is true');
  if (!contentType) headers.push(['Content-Type', 'application/json']);
  return checked(status, headers, body);
}

export function mapResponseV2(payload: Buffer, kind: ApiKind): MappedResponse {
  const parsed = parse(payload);
  if (!parsed) return malformed('the function\'s answer is not JSON');
  const r = parsed.value;
  if (!r || typeof r !== 'object' || Array.isArray(r) || r.statusCode === undefined) {
    // Valid JSON without a status code: API Gateway infers a 200 JSON response.
    return { ok: true, status: 200, headers: [['Content-Type', 'application/json']], body: payload };
  }
  const status = statusOf(r.statusCode);
  if (status === undefined) return malformed(`statusCode ${JSON.stringify(r.statusCode)} is not an HTTP status`);
  const headers: [string, string][] = [];
  const single = r.headers ?? {};
  if (typeof single !== 'object' || Array.isArray(single)) return malformed('headers is not an object');
  for (const [k, v] of Object.entries<Json>(single)) {
    if (!scalar(v)) return malformed(`headers.${k} is not a string`);
    headers.push([k, String(v)]);
  }
  const cookies = r.cookies ?? [];
  if (!Array.isArray(cookies) || !cookies.every(x => typeof x === 'string')) return malformed('cookies is not a list of strings');
  for (const c of cookies) headers.push(['Set-Cookie', c]);
  const body = bodyBytes(r.body, r.isBase64Encoded === true);
  if (!body) return malformed(typeof r.body !== 'string' ? 'body is not a string' : 'body is not valid base64 although isBase64Encoded is true');
  if (kind !== 'url' && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
  return checked(status, headers, body);
}
