import { authText, baseUrl, formatRouteTable, routeRow } from '../../../lib/local/http/route-table';
import { ApiInfo, HttpRoute } from '../../../lib/local/http/routes';

const api = (o: Partial<ApiInfo>): ApiInfo => ({
  kind: 'http', stackName: 'S', logicalId: 'Api', path: 'S/Api', stage: '$default', stageVariables: {}, binaryMediaTypes: [], gatewayResponses: [], ...o,
});
const route = (a: ApiInfo, method: string, path: string, o: Partial<HttpRoute> = {}): HttpRoute =>
  ({ api: a, method, path, function: { stackName: 'S', logicalId: 'Fn' }, payloadVersion: '2.0', auth: { type: 'NONE' }, ...o });

test('URLs: REST and named HTTP API stages are the first path part; $default and Function URLs are the root', () => {
  expect(baseUrl(api({ kind: 'rest', stage: 'prod' }), '127.0.0.1', 3000)).toBe('http://127.0.0.1:3000/prod');
  expect(baseUrl(api({ stage: 'beta' }), '127.0.0.1', 3000)).toBe('http://127.0.0.1:3000/beta');
  expect(baseUrl(api({}), '::1', 3000)).toBe('http://[::1]:3000');
  expect(routeRow(route(api({ kind: 'url', invokeMode: 'RESPONSE_STREAM' }), 'ANY', '$default'), 3001, '127.0.0.1', 'S/Fn'))
    .toEqual({ kind: 'url', api: 'S/Api', stage: '$default', method: 'ANY', path: '$default', url: 'http://127.0.0.1:3001/', function: 'S/Fn', payloadVersion: '2.0', auth: 'NONE (streaming)' });
});

test('auth as the table shows it', () => {
  const a = { logicalId: 'A', name: 'Auth', identitySource: [] };
  expect(authText({ type: 'NONE' })).toBe('NONE');
  expect(authText({ type: 'LAMBDA', authorizer: { ...a, kind: 'TOKEN' } })).toBe('LAMBDA TOKEN Auth');
  expect(authText({ type: 'JWT', authorizer: { ...a, kind: 'JWT', issuer: 'https://i' }, scopes: ['a', 'b'] })).toBe('JWT https://i scopes a b');
});

test('the printed table: aligned columns, then what is not served and why', () => {
  const rows = [
    routeRow(route(api({}), 'GET', '/items/{id}'), 3000, '127.0.0.1', 'S/Fn'),
    routeRow(route(api({ kind: 'rest', stage: 'v1', path: 'S/Rest' }), 'ANY', '/{proxy+}', { payloadVersion: '1.0' }), 3001, '127.0.0.1', 'S/Other'),
  ];
  expect(formatRouteTable(rows, [{ kind: 'http', stackName: 'S', api: 'S/Api', method: 'GET', path: '/iam', reason: 'no IAM' }])).toBe([
    'METHOD  URL                                API (STAGE)       FUNCTION  PAYLOAD  AUTH',
    'GET     http://127.0.0.1:3000/items/{id}   S/Api ($default)  S/Fn      2.0      NONE',
    'ANY     http://127.0.0.1:3001/v1/{proxy+}  S/Rest (v1)       S/Other   1.0      NONE',
    '',
    'Not served:',
    '  S/Api GET /iam: no IAM',
  ].join('\n'));
});
