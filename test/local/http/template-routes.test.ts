// The route readers on a template synthesized by plain aws-cdk-lib (HttpApi, LambdaRestApi, RestApi,
// Function URLs, authorizers), and on hand-written templates for the intrinsics CDK does not write.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from '@aws-cdk/cloud-assembly-api';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { appRoutes } from '../../../lib/local/http/app-routes';
import { functionTarget } from '../../../lib/local/http/function-target';
import { HttpRoute, routeName } from '../../../lib/local/http/routes';
import { templateRoutes } from '../../../lib/local/http/template-routes';
import { httpApisStack } from '../../fixtures/apps/http-apis/stack';

let outdir: string;
let template: any;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-http-routes-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  template = Template.fromStack(httpApisStack(app, { nodeBase: 'base:1', allowedOrigin: 'http://localhost:5000' })).toJSON();
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const byKey = (routes: HttpRoute[], kind: string) =>
  Object.fromEntries(routes.filter(r => r.api.kind === kind).map(r => [`${r.api.path} ${routeName(r)}`, r]));

describe('templateRoutes on a CDK app', () => {
  test('HTTP API: route keys, payload versions, functions, stage, CORS', () => {
    const { routes } = templateRoutes('HttpApis', template);
    const http = byKey(routes, 'http');
    expect(Object.keys(http).sort()).toEqual([
      'HttpApis/Http ANY /{proxy+}', 'HttpApis/Http GET /bad-base64', 'HttpApis/Http GET /bad-header', 'HttpApis/Http GET /infer',
      'HttpApis/Http GET /items/{id}', 'HttpApis/Http GET /jwt', 'HttpApis/Http GET /plain', 'HttpApis/Http GET /private',
      'HttpApis/Http GET /throws', 'HttpApis/Http GET /v1/items/{id}', 'HttpApis/Http GET /zip', 'HttpApis/Http POST /items',
    ]);
    const get = http['HttpApis/Http GET /items/{id}'];
    expect(get).toMatchObject({ payloadVersion: '2.0', function: { stackName: 'HttpApis', logicalId: expect.stringMatching(/^Echo/) }, timeoutMs: 30_000, auth: { type: 'NONE' } });
    expect(get.api).toMatchObject({ kind: 'http', stage: '$default', path: 'HttpApis/Http' });
    expect(get.api.cors).toEqual({
      allowOrigins: ['http://localhost:5000'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['content-type', 'authorization'],
      exposeHeaders: ['x-echo'],
      maxAge: 300,
      allowCredentials: false,
    });
    expect(http['HttpApis/Http GET /v1/items/{id}'].payloadVersion).toBe('1.0');
    expect(http['HttpApis/Http GET /zip'].function.logicalId).toMatch(/^Zip/);
  });

  test('HTTP API authorizers: Lambda REQUEST with simple responses, JWT with issuer, audience and scopes', () => {
    const http = byKey(templateRoutes('HttpApis', template).routes, 'http');
    expect(http['HttpApis/Http GET /private'].auth).toMatchObject({
      type: 'LAMBDA',
      authorizer: { kind: 'REQUEST', payloadVersion: '2.0', simpleResponses: true, identitySource: ['$request.header.Authorization'], function: { logicalId: expect.stringMatching(/^SimpleAuthorizer/) } },
    });
    expect(http['HttpApis/Http GET /jwt'].auth).toMatchObject({
      type: 'JWT', scopes: ['items/read'], authorizer: { kind: 'JWT', issuer: 'https://issuer.example.com', audience: ['local-tests'] },
    });
  });

  test('refused with the reason: an HTTP (non-Lambda) integration and AWS_IAM auth', () => {
    const { refused } = templateRoutes('HttpApis', template);
    expect(refused).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'http', api: 'HttpApis/Http', method: 'GET', path: '/elsewhere', reason: expect.stringContaining('HTTP_PROXY; only Lambda proxy integrations') }),
      expect.objectContaining({ kind: 'http', method: 'GET', path: '/iam', reason: expect.stringContaining('AWS_IAM authorization is not emulated') }),
    ]));
    expect(refused).toHaveLength(2);
  });

  test('LambdaRestApi: ANY / and ANY /{proxy+} on stage prod with its variables', () => {
    const rest = byKey(templateRoutes('HttpApis', template).routes, 'rest');
    const root = rest['HttpApis/Proxy ANY /'];
    const proxy = rest['HttpApis/Proxy ANY /{proxy+}'];
    expect(root).toMatchObject({ payloadVersion: '1.0', timeoutMs: 29_000, function: { logicalId: expect.stringMatching(/^Echo/) } });
    expect(proxy.api).toMatchObject({ kind: 'rest', stage: 'prod', stageVariables: { color: 'blue' } });
    expect(proxy.resourceId).toMatch(/^Proxyproxy/);
  });

  test('REST API: nested resources, binary media types, TOKEN authorizer, integration timeout, OPTIONS mocks, gateway responses', () => {
    const { routes, mocks } = templateRoutes('HttpApis', template);
    const rest = byKey(routes, 'rest');
    expect(rest['HttpApis/Files GET /files/{folder}/{name}'].api).toMatchObject({ stage: 'v1', binaryMediaTypes: ['image/png'] });
    expect(rest['HttpApis/Files GET /files/{folder}/logo.png'].function.logicalId).toMatch(/^Png/);
    expect(rest['HttpApis/Files GET /slow'].timeoutMs).toBe(1000);
    expect(rest['HttpApis/Files GET /secret'].auth).toMatchObject({
      type: 'LAMBDA', authorizer: { kind: 'TOKEN', identitySource: ['method.request.header.Authorization'], function: { logicalId: expect.stringMatching(/^TokenAuthorizer/) } },
    });
    const preflight = mocks.find(m => m.api.path === 'HttpApis/Files' && m.path === '/files/{folder}/{name}')!;
    expect(preflight.method).toBe('OPTIONS');
    expect(preflight.response).toEqual({
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Headers': 'content-type,authorization',
        'Access-Control-Allow-Origin': 'http://localhost:5000',
        'Vary': 'Origin',
        'Access-Control-Allow-Methods': 'GET,POST',
      },
    });
    expect(rest['HttpApis/Files GET /secret'].api.gatewayResponses).toEqual([
      { type: 'DEFAULT_4XX', statusCode: undefined, headers: { 'Access-Control-Allow-Origin': 'http://localhost:5000' } },
      { type: 'DEFAULT_5XX', statusCode: undefined, headers: { 'Access-Control-Allow-Origin': 'http://localhost:5000' } },
    ]);
  });

  test('Function URLs: CORS and invoke mode', () => {
    const urls = templateRoutes('HttpApis', template).routes.filter(r => r.api.kind === 'url');
    expect(urls.map(u => [u.api.path, u.api.invokeMode, u.method, u.path, u.payloadVersion])).toEqual([
      ['HttpApis/Echo/FunctionUrl', 'BUFFERED', 'ANY', '$default', '2.0'],
      ['HttpApis/Stream/FunctionUrl', 'RESPONSE_STREAM', 'ANY', '$default', '2.0'],
    ]);
    expect(urls[0].api.cors).toMatchObject({ allowOrigins: ['http://localhost:5000'], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'] });
  });

  test('--stage picks a stage; an unknown one refuses the API with the stages it has', () => {
    const { routes, refused } = templateRoutes('HttpApis', template, { stage: 'prod' });
    expect(routes.filter(r => r.api.kind === 'rest').every(r => r.api.path === 'HttpApis/Proxy')).toBe(true);
    expect(refused).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'rest', api: 'HttpApis/Files', reason: 'it has no stage named prod (stages: v1)' }),
      expect.objectContaining({ kind: 'http', api: 'HttpApis/Http', reason: 'it has no stage named prod (stages: $default)' }),
    ]));
  });
});

describe('functionTarget', () => {
  const resources = {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'named-fn' } },
    Other: { Type: 'AWS::Lambda::Function' },
    Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, Name: 'live' } },
    Bucket: { Type: 'AWS::S3::Bucket' },
  };
  test.each([
    ['GetAtt', { 'Fn::GetAtt': ['Fn', 'Arn'] }],
    ['GetAtt string form', { 'Fn::GetAtt': 'Fn.Arn' }],
    ['Ref', { Ref: 'Fn' }],
    ['Join of the invocation URI', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:us-east-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '/invocations']] }],
    ['Sub with an attribute', { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' }],
    ['Sub with a variable map', { 'Fn::Sub': ['arn:aws:apigateway:r:lambda:path/2015-03-31/functions/${Target}/invocations', { Target: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] }],
    ['an alias', { Ref: 'Alias' }],
    ['a literal ARN with the function\'s literal name', 'arn:aws:lambda:us-east-1:123456789012:function:named-fn'],
    ['Select over Split of the ARN', { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] }],
  ])('%s', (_label, value) => {
    expect(functionTarget(value, resources)).toEqual({ logicalId: 'Fn' });
  });

  test.each([
    ['an import', { 'Fn::ImportValue': 'SharedFnArn' }, /imports the function from another stack/],
    ['two functions', { 'Fn::If': ['Cond', { 'Fn::GetAtt': ['Fn', 'Arn'] }, { 'Fn::GetAtt': ['Other', 'Arn'] }] }, /more than one function \(Fn, Other\)/],
    ['not a function', { 'Fn::GetAtt': ['Bucket', 'Arn'] }, /no function of this stack is named/],
    ['an unknown literal ARN', 'arn:aws:lambda:us-east-1:123456789012:function:elsewhere', /no function of this stack is named/],
  ])('refuses %s with the reason', (_label, value, reason) => {
    const r = functionTarget(value, resources);
    expect('error' in r && r.error).toMatch(reason);
  });
});

describe('an app synthesized by a script, without aws:cdk:path metadata', () => {
  test('API and Function URL construct paths come from the assembly\'s aws:cdk:logicalId metadata', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-http-nometa-'));
    try {
      const app = new App({ outdir: dir });
      httpApisStack(app, { nodeBase: 'base:1', allowedOrigin: 'http://localhost:5000' });
      app.synth();
      const stack = new CloudAssembly(dir).getStackByName('HttpApis');
      expect(JSON.stringify(stack.template)).not.toContain('aws:cdk:path');
      const paths = new Map(stack.findMetadataByType('aws:cdk:logicalId').map(m => [String(m.data), m.path] as [string, string]));
      const { routes, refused } = appRoutes([{ stackName: 'HttpApis', template: stack.template, paths }], {
        imageFunctions: new Set(Object.keys(stack.template.Resources).filter(id => id !== 'Zip9471D920').map(id => `HttpApis/${id}`)),
        functionPaths: new Map(),
        haveJwks: false,
      });
      expect([...new Set(routes.map(r => r.api.path))].sort()).toEqual(['HttpApis/Echo/FunctionUrl', 'HttpApis/Files', 'HttpApis/Http', 'HttpApis/Proxy', 'HttpApis/Stream/FunctionUrl']);
      expect(refused).toEqual(expect.arrayContaining([
        expect.objectContaining({ path: '/zip', reason: expect.stringMatching(/^HttpApis\/Zip is not a container-image function/) }),
        expect.objectContaining({ path: '/jwt', reason: expect.stringContaining('pass --jwks FILE') }),
      ]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
