// One HTTP request as the front door received it, before any event is built from it: the pieces every
// payload format reads (method, raw path and query, headers with duplicates kept, body bytes, client).
import { ApiInfo } from './routes';

export interface FrontDoorRequest {
  readonly method: string;
  /** Path as received, percent-encoding kept, stage part included (`/prod/items/a%20b`). */
  readonly rawPath: string;
  /** Query string as received, without `?`. */
  readonly rawQuery: string;
  /** Header names and values in arrival order (Node's `rawHeaders`, paired). */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly time: Date;
}

/** Where the function and the API live, as the event names them. */
export interface EventSite {
  readonly api: ApiInfo;
  /** 10 lower-case characters for APIs, 32 for Function URLs: stable per API (derived from its logical id). */
  readonly apiId: string;
  readonly accountId: string;
  readonly region: string;
}

/** All values of header `name` (any case), in order. */
export function headerValues(r: FrontDoorRequest, name: string): string[] {
  const n = name.toLowerCase();
  return r.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

export function header(r: FrontDoorRequest, name: string): string | undefined {
  return headerValues(r, name)[0];
}

/** Decoded query parameters in order, `+` as space (as API Gateway decodes them). */
export function queryPairs(rawQuery: string): [string, string][] {
  return [...new URLSearchParams(rawQuery)];
}

/** The API's domain as the event gives it: `<apiId>.execute-api.<region>.amazonaws.com` or `<id>.lambda-url.<region>.on.aws`. */
export function domainOf(site: EventSite): string {
  return site.api.kind === 'url' ? `${site.apiId}.lambda-url.${site.region}.on.aws` : `${site.apiId}.execute-api.${site.region}.amazonaws.com`;
}

/** API Gateway's request time format: `03/Dec/2026:04:05:06 +0000`. */
export function requestTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The path after the stage part: REST always has one, HTTP APIs unless the stage is `$default`. */
export function pathWithinStage(api: ApiInfo, rawPath: string): string | undefined {
  if (api.kind === 'url' || api.stage === '$default') return rawPath;
  const prefix = `/${api.stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}
