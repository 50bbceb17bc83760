// The events the front door builds, checked field by field against AWS's documented example events:
// the same fields at every level, the same value types, and the documented values for the same request.
import { eventV1 } from '../../../lib/local/http/event-v1';
import { eventV2 } from '../../../lib/local/http/event-v2';
import { EventSite, FrontDoorRequest } from '../../../lib/local/http/request';
import { ApiInfo } from '../../../lib/local/http/routes';

// Payload format 2.0 (HTTP API), as documented (the mTLS `authentication` part left out: not emulated).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
const DOC_V2 = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  cookies: ['cookie1', 'cookie2'],
  headers: { header1: 'value1', header2: 'value1,value2' },
  queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api-id',
    authorizer: { jwt: { claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] } },
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
    requestId: 'id',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  body: 'Hello from Lambda',
  pathParameters: { parameter1: 'value1' },
  isBase64Encoded: false,
  stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
};

// Payload format 1.0 (REST proxy integration and HTTP API 1.0), as documented (mTLS clientCert left out).
// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
const DOC_V1 = {
  version: '1.0',
  resource: '/my/path',
  path: '/my/path',
  httpMethod: 'GET',
  headers: { header1: 'value1', header2: 'value2' },
  multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'] },
  queryStringParameters: { parameter1: 'value1', parameter2: 'value' },
  multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
  requestContext: {
    accountId: '123456789012',
    apiId: 'id',
    authorizer: { claims: null, scopes: null },
    domainName: 'id.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'id',
    extendedRequestId: 'request-id',
    httpMethod: 'GET',
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '192.0.2.1',
      user: null,
      userAgent: 'user-agent',
      userArn: null,
    },
    path: '/my/path',
    protocol: 'HTTP/1.1',
    requestId: 'id=',
    requestTime: '04/Mar/2020:19:15:17 +0000',
    requestTimeEpoch: 1583349317135,
    resourceId: null,
    resourcePath: '/my/path',
    stage: '$default',
  },
  pathParameters: null,
  stageVariables: null,
  body: 'Hello from Lambda!',
  isBase64Encoded: false,
};

/** Each field's path and JSON type, recursively ({} and [] are types, their contents are fields). */
function shape(v: any, prefix = ''): string[] {
  if (v === null) return [`${prefix}:null`];
  if (Array.isArray(v)) return [`${prefix}:array`];
  if (typeof v !== 'object') return [`${prefix}:${typeof v}`];
  return Object.entries(v).flatMap(([k, x]) => [`${prefix}.${k}`, ...shape(x, `${prefix}.${k}`)]).sort();
}

/** The fields the documented example has below `at` (headers and parameters differ by request, not by shape). */
function fieldsOf(v: any): string[] {
  return shape(v).filter(s => !/^\.(headers|multiValueHeaders|queryStringParameters|multiValueQueryStringParameters|pathParameters|stageVariables)\./.test(s)
    && !/^\.requestContext\.authorizer\./.test(s));
}

const api = (o: Partial<ApiInfo>): ApiInfo => ({
  kind: 'http', stackName: 'S', logicalId: 'Api', path: 'S/Api', stage: '$default', stageVariables: {}, binaryMediaTypes: [], gatewayResponses: [], ...o,
});

const request = (o: Partial<FrontDoorRequest> = {}): FrontDoorRequest => ({
  method: 'POST',
  rawPath: '/my/path',
  rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
  headers: [['Header1', 'value1'], ['header2', 'value1'], ['Header2', 'value2'], ['Cookie', 'cookie1; cookie2'], ['User-Agent', 'agent'], ['Content-Type', 'text/plain']],
  body: Buffer.from('Hello from Lambda'),
  sourceIp: '192.0.2.1',
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  time: new Date(1583348638390),
  ...o,
});

describe('payload format 2.0 (HTTP API)', () => {
  const site: EventSite = { api: api({ stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' } }), apiId: 'abcdef1234', accountId: '123456789012', region: 'us-east-1' };
  const e = eventV2(request(), site, { routeKey: '$default', pathParameters: { parameter1: 'value1' }, authorizer: { jwt: { claims: { sub: 'x' }, scopes: null } } });

  test('has exactly the documented fields, with the documented types', () => {
    expect(fieldsOf(e)).toEqual(fieldsOf(DOC_V2));
  });

  test('values as documented for the same request', () => {
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: DOC_V2.rawQueryString,
      cookies: ['cookie1', 'cookie2'],
      queryStringParameters: DOC_V2.queryStringParameters,
      body: 'Hello from Lambda',
      isBase64Encoded: false,
      stageVariables: DOC_V2.stageVariables,
    });
    // Lower-case names, repeated headers joined with commas, no cookie header.
    expect(e.headers).toEqual({ 'header1': 'value1', 'header2': 'value1,value2', 'user-agent': 'agent', 'content-type': 'text/plain' });
    expect(e.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: DOC_V2.requestContext.http,
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    });
  });

  test('no cookies, query, path parameters or stage variables: those fields are left out; binary bodies are base64', () => {
    const bare = eventV2(request({ rawQuery: '', headers: [['content-type', 'image/png']], body: Buffer.from([0, 255]) }), { ...site, api: api({}) }, { routeKey: 'POST /my/path' });
    expect(Object.keys(bare)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'body', 'isBase64Encoded']);
    expect(bare).toMatchObject({ body: 'AP8=', isBase64Encoded: true, routeKey: 'POST /my/path' });
    expect(bare.requestContext.routeKey).toBe('POST /my/path');
    const empty = eventV2(request({ body: Buffer.alloc(0) }), site, { routeKey: '$default' });
    expect('body' in empty).toBe(false);
    expect(empty.isBase64Encoded).toBe(false);
  });

  test('Function URLs: routeKey and stage $default, accountId anonymous, the URL domain', () => {
    const url = eventV2(request(), { api: api({ kind: 'url' }), apiId: 'a'.repeat(32), accountId: '123456789012', region: 'eu-west-1' }, { routeKey: '$default' });
    expect(url.requestContext).toMatchObject({ accountId: 'anonymous', routeKey: '$default', stage: '$default', domainName: `${'a'.repeat(32)}.lambda-url.eu-west-1.on.aws` });
    expect(url.routeKey).toBe('$default');
  });

  test('form posts are base64 (HTTP APIs and URLs pass only text types as text); JSON is text', () => {
    const form = eventV2(request({ headers: [['content-type', 'application/x-www-form-urlencoded']], body: Buffer.from('a=1') }), site, { routeKey: '$default' });
    expect(form).toMatchObject({ body: Buffer.from('a=1').toString('base64'), isBase64Encoded: true });
    const json = eventV2(request({ headers: [['content-type', 'application/json; charset=utf-8']], body: Buffer.from('{"a":1}') }), site, { routeKey: '$default' });
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });
});

describe('payload format 1.0', () => {
  const doc = { ...DOC_V1 };

  test('HTTP API 1.0: exactly the documented fields and types', () => {
    const site: EventSite = { api: api({}), apiId: 'abcdef1234', accountId: '123456789012', region: 'us-east-1' };
    const e = eventV1(request({ method: 'GET' }), site, { resource: '/my/path', path: '/my/path', resourceId: 'GET /my/path' });
    expect(fieldsOf({ ...e, requestContext: { ...e.requestContext, resourceId: null } })).toEqual(fieldsOf(doc));
    expect(e.multiValueHeaders.header2).toEqual(['value1', 'value2']);
    expect(e.headers.header2).toBe('value2');
    expect(e.queryStringParameters).toEqual({ parameter1: 'value2', parameter2: 'value' });
    expect(e.multiValueQueryStringParameters).toEqual(doc.multiValueQueryStringParameters);
    expect(e.requestContext.authorizer).toEqual({ claims: null, scopes: null });
    expect(e.requestContext).toMatchObject({ httpMethod: 'GET', path: '/my/path', stage: '$default', requestTime: '04/Mar/2020:19:03:58 +0000', identity: { sourceIp: '192.0.2.1', userAgent: 'agent' } });
    expect(e.requestContext.extendedRequestId).toMatch(/^[A-Za-z0-9]{15}=$/);
  });

  test('REST: no version field, header names as sent, the stage in requestContext.path, path parameters and stage variables', () => {
    const site: EventSite = { api: api({ kind: 'rest', stage: 'prod', stageVariables: { color: 'blue' } }), apiId: 'abcdef1234', accountId: '123456789012', region: 'us-east-1' };
    const e = eventV1(request({ method: 'GET', rawPath: '/prod/items/42' }), site, { resource: '/items/{id}', path: '/items/42', pathParameters: { id: '42' }, resourceId: 'Res123' });
    const { version: _v, ...restDoc } = doc;
    const { authorizer: _a, ...restContext } = restDoc.requestContext;
    // A REST method has a resource id (the HTTP API example shows null).
    expect(fieldsOf(e)).toEqual(fieldsOf({ ...restDoc, requestContext: { ...restContext, resourceId: 'abc123' }, pathParameters: {}, stageVariables: {} }));
    expect(e.headers).toMatchObject({ Header1: 'value1', Header2: 'value2', header2: 'value1' });
    expect(e).toMatchObject({ resource: '/items/{id}', path: '/items/42', pathParameters: { id: '42' }, stageVariables: { color: 'blue' } });
    expect(e.requestContext).toMatchObject({ path: '/prod/items/42', resourcePath: '/items/{id}', resourceId: 'Res123', stage: 'prod' });
  });

  test('REST bodies: text unless the content type is a binary media type; no body is null; no query is null', () => {
    const site: EventSite = { api: api({ kind: 'rest', stage: 'v1', binaryMediaTypes: ['image/*'] }), apiId: 'abcdef1234', accountId: '1', region: 'r' };
    const png = eventV1(request({ rawQuery: '', headers: [['Content-Type', 'image/png']], body: Buffer.from([1, 2]) }), site, { resource: '/u', path: '/u' });
    expect(png).toMatchObject({ body: 'AQI=', isBase64Encoded: true, queryStringParameters: null, multiValueQueryStringParameters: null });
    const form = eventV1(request({ headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: Buffer.from('a=1') }), site, { resource: '/u', path: '/u' });
    expect(form).toMatchObject({ body: 'a=1', isBase64Encoded: false });
    expect(eventV1(request({ body: Buffer.alloc(0) }), site, { resource: '/u', path: '/u' }).body).toBeNull();
  });
});
