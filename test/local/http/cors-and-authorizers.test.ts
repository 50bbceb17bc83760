import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { checkJwt, readJwks } from '../../../lib/local/http/authorizers/jwt-authorizer';
import { AuthorizerRequest, FunctionAnswer, authorizerEvent, runLambdaAuthorizer } from '../../../lib/local/http/authorizers/lambda-authorizer';
import { evaluatePolicy } from '../../../lib/local/http/authorizers/policy';
import { isPreflight, originAllowed, preflightHeaders, withCorsHeaders } from '../../../lib/local/http/cors';
import { EventSite, FrontDoorRequest } from '../../../lib/local/http/request';
import { ApiInfo, AuthorizerInfo, CorsConfig, HttpRoute } from '../../../lib/local/http/routes';

// Generous: RSA key generation for the JWT tests is slow on a loaded machine.
jest.setTimeout(60_000);

const cors: CorsConfig = {
  allowOrigins: ['https://app.example.com', 'https://*.example.org'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['content-type', 'authorization'],
  exposeHeaders: ['x-echo'],
  maxAge: 300,
  allowCredentials: false,
};

describe('CORS (HTTP API CorsConfiguration, Function URL Cors)', () => {
  test('origins: exact, wildcard subdomains, any', () => {
    expect(originAllowed(cors, 'https://app.example.com')).toBe(true);
    expect(originAllowed(cors, 'https://a.b.example.org')).toBe(true);
    expect(originAllowed(cors, 'https://example.org')).toBe(false);
    expect(originAllowed(cors, 'https://evil.example')).toBe(false);
    expect(originAllowed({ ...cors, allowOrigins: ['*'] }, 'http://x')).toBe(true);
  });

  test('a preflight from an allowed origin gets the configured headers', () => {
    expect(isPreflight('OPTIONS', 'https://app.example.com', 'POST')).toBe(true);
    expect(isPreflight('OPTIONS', 'https://app.example.com', undefined)).toBe(false);
    expect(preflightHeaders(cors, 'https://app.example.com', 'POST', 'Content-Type')).toEqual([
      ['Access-Control-Allow-Origin', 'https://app.example.com'],
      ['Access-Control-Allow-Methods', 'GET,POST'],
      ['Access-Control-Allow-Headers', 'content-type,authorization'],
      ['Access-Control-Max-Age', '300'],
    ]);
  });

  test('a preflight for a foreign origin, a method or a header not allowed gets no CORS headers', () => {
    expect(preflightHeaders(cors, 'https://evil.example', 'GET', undefined)).toEqual([]);
    expect(preflightHeaders(cors, 'https://app.example.com', 'DELETE', undefined)).toEqual([]);
    expect(preflightHeaders(cors, 'https://app.example.com', 'GET', 'x-custom')).toEqual([]);
  });

  test('responses: the function\'s CORS headers are replaced by the configured ones', () => {
    const fromFunction: [string, string][] = [['content-type', 'text/plain'], ['Access-Control-Allow-Origin', '*']];
    expect(withCorsHeaders(cors, 'https://app.example.com', fromFunction)).toEqual([
      ['content-type', 'text/plain'], ['Access-Control-Allow-Origin', 'https://app.example.com'], ['Access-Control-Expose-Headers', 'x-echo'],
    ]);
    expect(withCorsHeaders(cors, 'https://evil.example', fromFunction)).toEqual([['content-type', 'text/plain']]);
    expect(withCorsHeaders({ ...cors, allowOrigins: ['*'], allowCredentials: true }, 'https://x.test', [])).toEqual([
      ['Access-Control-Allow-Origin', 'https://x.test'], ['Access-Control-Expose-Headers', 'x-echo'], ['Access-Control-Allow-Credentials', 'true'],
    ]);
  });
});

describe('IAM policies of Lambda authorizers', () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/items/42';
  const policy = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
  test.each([
    [policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }), 'allow'],
    [policy({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/*' }), 'allow'],
    [policy({ Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['arn:aws:execute-api:*:*:abc/prod/GET/items/?2'] }), 'allow'],
    [policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: arn }), 'deny'],
    [policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/*' }), 'no-allow'],
    [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), 'no-allow'],
    [policy({ Effect: 'Maybe', Action: 'execute-api:Invoke', Resource: '*' }), 'malformed'],
    [{ Version: '2012-10-17' }, 'malformed'],
    [undefined, 'malformed'],
  ])('%j → %s', (doc, verdict) => {
    expect(evaluatePolicy(doc, arn)).toBe(verdict);
  });
});

const api = (o: Partial<ApiInfo>): ApiInfo => ({
  kind: 'rest', stackName: 'S', logicalId: 'Api', path: 'S/Api', stage: 'prod', stageVariables: {}, binaryMediaTypes: [], gatewayResponses: [], ...o,
});
const request = (headers: [string, string][], o: Partial<FrontDoorRequest> = {}): FrontDoorRequest => ({
  method: 'GET',
  rawPath: '/prod/items/42',
  rawQuery: 'q=1',
  headers,
  body: Buffer.from('secret body'),
  sourceIp: '127.0.0.1',
  requestId: '11111111-2222-4333-8444-555555555555',
  time: new Date(0),
  ...o,
});

function authCall(authorizer: AuthorizerInfo, kind: 'rest' | 'http', headers: [string, string][], answer: (event: any) => FunctionAnswer, payloadVersion: '1.0' | '2.0' = '1.0') {
  const a = api({ kind, stage: kind === 'rest' ? 'prod' : '$default' });
  const route: HttpRoute = { api: a, method: 'GET', path: '/items/{id}', function: { stackName: 'S', logicalId: 'Fn' }, payloadVersion, auth: { type: 'LAMBDA', authorizer }, resourceId: 'R1' };
  const site: EventSite = { api: a, apiId: 'abc', accountId: '123456789012', region: 'us-east-1' };
  const events: any[] = [];
  const call: AuthorizerRequest = {
    route,
    authorizer,
    request: request(headers, kind === 'http' ? { rawPath: '/items/42' } : {}),
    site,
    path: '/items/42',
    pathParameters: { id: '42' },
    invoke: async (_fn, event) => { events.push(event); return answer(event); },
  };
  return { call, events };
}

const ok = (v: unknown): FunctionAnswer => ({ payload: Buffer.from(JSON.stringify(v)), functionError: false });
const allowPolicy = (effect: string, resource: string) => ({ principalId: 'alice', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] }, context: { user: 'alice', n: 1 } });

describe('Lambda authorizers', () => {
  const token: AuthorizerInfo = { logicalId: 'T', name: 'T', kind: 'TOKEN', function: { stackName: 'S', logicalId: 'AuthFn' }, identitySource: ['method.request.header.Authorization'], validationExpression: '^Bearer .+$' };

  test('REST TOKEN: the documented event, an Allow policy lets the request through with principalId and context', async () => {
    const { call, events } = authCall(token, 'rest', [['Authorization', 'Bearer abc']], e => ok(allowPolicy('Allow', e.methodArn)));
    expect(await runLambdaAuthorizer(call)).toEqual({ allow: true, context: { user: 'alice', n: 1, principalId: 'alice', integrationLatency: 0 } });
    expect(events).toEqual([{ type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/items/42' }]);
  });

  test('REST TOKEN: Deny → 403 explicit, no Allow → 403 implicit, missing token and a failed validation expression → 401 without running it', async () => {
    expect(await runLambdaAuthorizer(authCall(token, 'rest', [['Authorization', 'Bearer abc']], e => ok(allowPolicy('Deny', e.methodArn))).call))
      .toMatchObject({ allow: false, error: 'ACCESS_DENIED', implicit: undefined });
    expect(await runLambdaAuthorizer(authCall(token, 'rest', [['Authorization', 'Bearer abc']], () => ok(allowPolicy('Allow', 'arn:aws:execute-api:*:*:abc/prod/POST/*'))).call))
      .toMatchObject({ allow: false, error: 'ACCESS_DENIED', implicit: true });
    const missing = authCall(token, 'rest', [], () => ok({}));
    expect(await runLambdaAuthorizer(missing.call)).toMatchObject({ allow: false, error: 'UNAUTHORIZED' });
    const badToken = authCall(token, 'rest', [['Authorization', 'Basic x']], () => ok({}));
    expect(await runLambdaAuthorizer(badToken.call)).toMatchObject({ allow: false, error: 'UNAUTHORIZED' });
    expect(missing.events.length + badToken.events.length).toBe(0);
  });

  test('errors: "Unauthorized" → 401; any other error, a non-policy answer or an object context on REST → 500', async () => {
    const fail = (message: string) => () => ({ payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: message })), functionError: true });
    const h: [string, string][] = [['Authorization', 'Bearer abc']];
    expect(await runLambdaAuthorizer(authCall(token, 'rest', h, fail('Unauthorized')).call)).toMatchObject({ error: 'UNAUTHORIZED' });
    expect(await runLambdaAuthorizer(authCall(token, 'rest', h, fail('boom')).call)).toMatchObject({ error: 'AUTHORIZER_FAILURE' });
    expect(await runLambdaAuthorizer(authCall(token, 'rest', h, () => ok({ hello: 1 })).call)).toMatchObject({ error: 'AUTHORIZER_FAILURE' });
    expect(await runLambdaAuthorizer(authCall(token, 'rest', h, e => ok({ ...allowPolicy('Allow', e.methodArn), context: { nested: { a: 1 } } })).call))
      .toMatchObject({ error: 'AUTHORIZER_FAILURE' });
  });

  test('REST REQUEST: the 1.0 request fields without the body, with type and methodArn', async () => {
    const req: AuthorizerInfo = { ...token, kind: 'REQUEST', validationExpression: undefined, identitySource: ['method.request.header.Authorization', 'method.request.querystring.q'] };
    const { call, events } = authCall(req, 'rest', [['Authorization', 'x']], e => ok(allowPolicy('Allow', e.methodArn)));
    await runLambdaAuthorizer(call);
    expect(events[0]).toMatchObject({ type: 'REQUEST', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/items/42', resource: '/items/{id}', path: '/items/42', httpMethod: 'GET', pathParameters: { id: '42' }, queryStringParameters: { q: '1' } });
    expect('body' in events[0]).toBe(false);
  });

  test('HTTP API 2.0 simple responses: the documented event; isAuthorized false → 403; context under lambda', async () => {
    const simple: AuthorizerInfo = { logicalId: 'A', name: 'A', kind: 'REQUEST', function: { stackName: 'S', logicalId: 'AuthFn' }, identitySource: ['$request.header.Authorization'], payloadVersion: '2.0', simpleResponses: true };
    const yes = authCall(simple, 'http', [['authorization', 'letmein']], () => ok({ isAuthorized: true, context: { user: 'bob' } }), '2.0');
    expect(await runLambdaAuthorizer(yes.call)).toEqual({ allow: true, context: { lambda: { user: 'bob' } } });
    const e = yes.events[0];
    expect(Object.keys(e).sort()).toEqual(['headers', 'identitySource', 'pathParameters', 'rawPath', 'rawQueryString', 'queryStringParameters', 'requestContext', 'routeArn', 'routeKey', 'type', 'version'].sort());
    expect(e).toMatchObject({ version: '2.0', type: 'REQUEST', routeArn: 'arn:aws:execute-api:us-east-1:123456789012:abc/$default/GET/items/42', identitySource: ['letmein'], routeKey: 'GET /items/{id}' });
    expect(await runLambdaAuthorizer(authCall(simple, 'http', [['authorization', 'no']], () => ok({ isAuthorized: false }), '2.0').call)).toMatchObject({ allow: false, error: 'ACCESS_DENIED' });
  });

  test('authorizerEvent for HTTP API 1.0: identitySource and authorizationToken as strings', () => {
    const v1: AuthorizerInfo = { logicalId: 'A', name: 'A', kind: 'REQUEST', function: { stackName: 'S', logicalId: 'F' }, identitySource: ['$request.header.Authorization'], payloadVersion: '1.0' };
    const e = authorizerEvent(authCall(v1, 'http', [['authorization', 't']], () => ok({})).call, ['t']);
    expect(e).toMatchObject({ type: 'REQUEST', identitySource: 't', authorizationToken: 't', version: '1.0', methodArn: expect.stringContaining('/$default/GET/items/42') });
  });
});

describe('JWT authorizers (jose, a local JWKS file)', () => {
  let dir: string;
  let sign: (claims: object, o?: { exp?: number | string; kid?: string }) => Promise<string>;
  let keys: ReturnType<typeof readJwks>;
  const issuer = 'https://issuer.example.com';
  const authorizer: AuthorizerInfo = { logicalId: 'J', name: 'J', kind: 'JWT', identitySource: ['$request.header.Authorization'], issuer, audience: ['local-tests'] };
  const check = (token: string | undefined, scopes: string[] = []) => checkJwt({
    authorizer,
    scopes,
    api: api({ kind: 'http' }),
    keys,
    payloadVersion: '2.0',
    request: request(token ? [['authorization', `Bearer ${token}`]] : []),
  });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-jwks-'));
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }));
    keys = readJwks(path.join(dir, 'jwks.json'));
    sign = async (claims, o = {}) => {
      const jwt = new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'k1' }).setIssuedAt();
      if (o.exp !== undefined) jwt.setExpirationTime(o.exp);
      return jwt.sign(o.kid === 'other' ? other.privateKey : privateKey);
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a good token: claims as strings and scopes under jwt', async () => {
    const t = await sign({ iss: issuer, aud: 'local-tests', sub: 'u1', scope: 'items/read items/write', n: 5 }, { exp: '5m' });
    const d = await check(t, ['items/read']);
    expect(d).toMatchObject({ allow: true, context: { jwt: { claims: { sub: 'u1', n: '5', aud: 'local-tests', iss: issuer }, scopes: ['items/read', 'items/write'] } } });
  });

  test('client_id stands in for aud', async () => {
    expect((await check(await sign({ iss: issuer, client_id: 'local-tests' }, { exp: '5m' }))).allow).toBe(true);
  });

  test.each([
    ['no token', async () => undefined],
    ['another key', async () => sign({ iss: issuer, aud: 'local-tests' }, { exp: '5m', kid: 'other' })],
    ['another issuer', async () => sign({ iss: 'https://elsewhere', aud: 'local-tests' }, { exp: '5m' })],
    ['another audience', async () => sign({ iss: issuer, aud: 'someone-else' }, { exp: '5m' })],
    ['expired', async () => sign({ iss: issuer, aud: 'local-tests' }, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['no exp', async () => sign({ iss: issuer, aud: 'local-tests' })],
    ['not a JWT', async () => 'abc.def.ghi'],
  ])('401: %s', async (_label, make) => {
    expect(await check(await make())).toMatchObject({ allow: false, error: 'UNAUTHORIZED' });
  });

  test('403 when the token has none of the route\'s scopes', async () => {
    const t = await sign({ iss: issuer, aud: 'local-tests', scp: ['other'] }, { exp: '5m' });
    expect(await check(t, ['items/read'])).toMatchObject({ allow: false, error: 'ACCESS_DENIED' });
  });

  test('a JWKS file that is not one names the file and the fix', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"nope": 1}');
    expect(() => readJwks(bad)).toThrow(`--jwks ${bad}: not a JSON Web Key Set (expected {"keys": [...]} with at least one key).`);
    expect(() => readJwks(path.join(dir, 'missing.json'))).toThrow(/ENOENT.*Pass a JSON Web Key Set file/);
  });
});
