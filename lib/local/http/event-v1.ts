// The event of payload format 1.0: REST APIs' Lambda proxy integration, and HTTP API routes whose
// integration asks for 1.0. Single-value `headers` and `queryStringParameters` carry the last value,
// `multiValue*` all of them; empty parts are null. REST keeps header names as the client sent them, HTTP
// APIs lower-case them. REST bodies are base64 only for the API's binary media types.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format (1.0)
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-multivalue-headers-and-parameters.html
import { matchesMediaType } from './binary-media';
import { eventBody } from './event-v2';
import { isTextContentType } from './gateway-facts';
import { EventSite, FrontDoorRequest, domainOf, header, queryPairs, requestTime } from './request';

type Json = any;

export interface EventV1Options {
  /** The route's path pattern (`/items/{id}`), `resource` and `requestContext.resourcePath`. */
  readonly resource: string;
  /** The path within the stage (`/items/42`). */
  readonly path: string;
  readonly pathParameters?: { [name: string]: string };
  /** REST: the resource's id. */
  readonly resourceId?: string;
  /** `requestContext.authorizer` (REST: principalId and the authorizer's context). */
  readonly authorizer?: Json;
}

function identity(r: FrontDoorRequest): Json {
  return {
    accessKey: null,
    accountId: null,
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: r.sourceIp,
    user: null,
    userAgent: header(r, 'user-agent') ?? null,
    userArn: null,
  };
}

export function eventV1(r: FrontDoorRequest, site: EventSite, o: EventV1Options): Json {
  const rest = site.api.kind === 'rest';
  const name = (k: string) => rest ? k : k.toLowerCase();
  const headers: { [k: string]: string } = {};
  const multiHeaders: { [k: string]: string[] } = {};
  for (const [k, v] of r.headers) {
    const n = name(k);
    headers[n] = v;
    (multiHeaders[n] ??= []).push(v);
  }
  const query: { [k: string]: string } = {};
  const multiQuery: { [k: string]: string[] } = {};
  for (const [k, v] of queryPairs(r.rawQuery)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  const hasHeaders = Object.keys(headers).length > 0;
  const stageVariables = Object.keys(site.api.stageVariables).length ? site.api.stageVariables : null;
  const contentType = header(r, 'content-type');
  const base64 = rest ? matchesMediaType(site.api.binaryMediaTypes, contentType) : !isTextContentType(contentType);
  const { body, isBase64Encoded } = eventBody(r, base64);
  const domain = domainOf(site);
  const requestContext: Json = {
    accountId: site.accountId,
    apiId: site.apiId,
    authorizer: o.authorizer ?? (rest ? undefined : { claims: null, scopes: null }),
    domainName: domain,
    domainPrefix: site.apiId,
    extendedRequestId: extendedId(r.requestId),
    httpMethod: r.method,
    identity: identity(r),
    path: rest ? `/${site.api.stage}${o.path}` : r.rawPath,
    protocol: 'HTTP/1.1',
    requestId: r.requestId,
    requestTime: requestTime(r.time),
    requestTimeEpoch: r.time.getTime(),
    resourceId: o.resourceId ?? null,
    resourcePath: o.resource,
    stage: site.api.stage,
  };
  if (requestContext.authorizer === undefined) delete requestContext.authorizer;
  return {
    ...(rest ? {} : { version: '1.0' }),
    resource: o.resource,
    path: o.path,
    httpMethod: r.method,
    headers: hasHeaders ? headers : null,
    multiValueHeaders: hasHeaders ? multiHeaders : null,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    requestContext,
    pathParameters: o.pathParameters ?? null,
    stageVariables,
    body: body ?? null,
    isBase64Encoded,
  };
}

/** API Gateway's extended request id: 16 characters ending in `=`. */
function extendedId(requestId: string): string {
  return `${Buffer.from(requestId.replace(/-/g, ''), 'hex').toString('base64').replace(/[+/]/g, 'A').slice(0, 15)}=`;
}
