// The event of payload format 2.0, as HTTP APIs and Function URLs send it: header names lower case and
// repeated headers joined with commas, cookies in their own list (not in headers), repeated query values
// joined with commas, the raw path and query, and empty parts left out.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format
// @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads (Function URLs: routeKey and stage $default, accountId "anonymous" for auth type NONE)
import { isTextContentType } from './gateway-facts';
import { EventSite, FrontDoorRequest, domainOf, header, queryPairs, requestTime } from './request';

type Json = any;

export interface EventV2Options {
  /** `GET /items/{id}` or `$default`. */
  readonly routeKey: string;
  readonly pathParameters?: { [name: string]: string };
  /** `requestContext.authorizer`: `{ lambda: context }` or `{ jwt: { claims, scopes } }`. */
  readonly authorizer?: Json;
}

/** Lower-case names; repeated headers joined with commas; `cookie` left out (it is `cookies`). */
export function joinedHeaders(r: FrontDoorRequest): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const [k, v] of r.headers) {
    const n = k.toLowerCase();
    if (n === 'cookie') continue;
    out[n] = n in out ? `${out[n]},${v}` : v;
  }
  return out;
}

/** `a=1; b=2` headers → `['a=1', 'b=2']`. */
export function cookiesOf(r: FrontDoorRequest): string[] {
  return r.headers.filter(([k]) => k.toLowerCase() === 'cookie').flatMap(([, v]) => v.split(';').map(c => c.trim()).filter(Boolean));
}

/** Body as the event carries it: text for text content types, else base64. */
export function eventBody(r: FrontDoorRequest, base64: boolean): { body?: string; isBase64Encoded: boolean } {
  if (r.body.length === 0) return { isBase64Encoded: false };
  return base64 ? { body: r.body.toString('base64'), isBase64Encoded: true } : { body: r.body.toString('utf8'), isBase64Encoded: false };
}

export function eventV2(r: FrontDoorRequest, site: EventSite, o: EventV2Options): Json {
  const query: { [name: string]: string } = {};
  for (const [k, v] of queryPairs(r.rawQuery)) query[k] = k in query ? `${query[k]},${v}` : v;
  const cookies = cookiesOf(r);
  const domain = domainOf(site);
  const isUrl = site.api.kind === 'url';
  const requestContext: Json = {
    accountId: isUrl ? 'anonymous' : site.accountId,
    apiId: site.apiId,
    ...(o.authorizer ? { authorizer: o.authorizer } : {}),
    domainName: domain,
    domainPrefix: site.apiId,
    http: {
      method: r.method,
      path: decodePath(r.rawPath),
      protocol: 'HTTP/1.1',
      sourceIp: r.sourceIp,
      userAgent: header(r, 'user-agent') ?? '',
    },
    requestId: r.requestId,
    routeKey: o.routeKey,
    stage: site.api.stage,
    time: requestTime(r.time),
    timeEpoch: r.time.getTime(),
  };
  const stageVariables = site.api.stageVariables;
  return {
    version: '2.0',
    routeKey: o.routeKey,
    rawPath: r.rawPath,
    rawQueryString: r.rawQuery,
    ...(cookies.length ? { cookies } : {}),
    headers: joinedHeaders(r),
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext,
    ...eventBody(r, !isTextContentType(header(r, 'content-type'))),
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    ...(Object.keys(stageVariables).length ? { stageVariables } : {}),
  };
}

/** `requestContext.http.path` is decoded; `rawPath` keeps the encoding. */
function decodePath(p: string): string {
  try { return decodeURI(p); } catch { return p; }
}
