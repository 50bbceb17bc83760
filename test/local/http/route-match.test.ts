import { pathWithinStage } from '../../../lib/local/http/request';
import { matchHttpRoute, matchPath, matchRestRoute } from '../../../lib/local/http/route-match';
import { ApiInfo } from '../../../lib/local/http/routes';

const r = (key: string) => {
  const [method, path] = key === '$default' ? ['ANY', '$default'] : key.split(' ');
  return { method, path, key };
};

describe('matchPath', () => {
  test.each([
    ['/items/{id}', '/items/42', { id: '42' }],
    ['/items/{id}', '/items/a%20b', { id: 'a b' }],
    ['/{proxy+}', '/a/b/c', { proxy: 'a/b/c' }],
    ['/files/{folder}/{name}', '/files/x/y.txt', { folder: 'x', name: 'y.txt' }],
    ['/items', '/items/', {}],
    ['/', '/', {}],
  ])('%s matches %s', (pattern, path, params) => {
    expect(matchPath(pattern, path)).toEqual(params);
  });

  test.each([
    ['/{proxy+}', '/'],
    ['/items/{id}', '/items'],
    ['/items/{id}', '/items/1/2'],
    ['/items', '/other'],
    ['/items/{id}', '/items//'],
  ])('%s does not match %s', (pattern, path) => {
    expect(matchPath(pattern, path)).toBeUndefined();
  });
});

describe('HTTP API precedence', () => {
  // ANY before GET in the list: the exact method must win by precedence, not by order.
  const routes = ['ANY /items/{id}', 'ANY /{proxy+}', 'GET /items/{id}', 'GET /items/special', 'POST /items', '$default'].map(r);
  test.each([
    ['GET', '/items/special', 'GET /items/special', undefined],
    ['GET', '/items/42', 'GET /items/{id}', { id: '42' }],
    ['DELETE', '/items/42', 'ANY /items/{id}', { id: '42' }],
    ['POST', '/items', 'POST /items', undefined],
    ['GET', '/items', 'ANY /{proxy+}', { proxy: 'items' }],
    ['PUT', '/a/b', 'ANY /{proxy+}', { proxy: 'a/b' }],
    ['GET', '/', '$default', undefined],
  ])('%s %s → %s', (method, path, key, params) => {
    const m = matchHttpRoute(routes, method, path)!;
    expect(m.route.key).toBe(key);
    expect(m.pathParameters).toEqual(params);
  });

  test('without $default, no match is undefined (404)', () => {
    expect(matchHttpRoute(['GET /items'].map(r), 'POST', '/items')).toBeUndefined();
    expect(matchHttpRoute(['GET /items'].map(r), 'GET', '/nope')).toBeUndefined();
  });
});

describe('REST precedence: resource first, then method', () => {
  const routes = ['GET /items', 'ANY /items/{id}', 'GET /items/{id}', 'ANY /{proxy+}', 'OPTIONS /items'].map(r);
  test.each([
    ['GET', '/items/1', 'GET /items/{id}'],
    ['PATCH', '/items/1', 'ANY /items/{id}'],
    ['OPTIONS', '/items', 'OPTIONS /items'],
    ['GET', '/x/y', 'ANY /{proxy+}'],
  ])('%s %s → %s', (method, path, key) => {
    expect(matchRestRoute(routes, method, path)!.route.key).toBe(key);
  });

  test('a resource without the method is not found (403), even when a greedy resource has ANY', () => {
    expect(matchRestRoute(routes, 'POST', '/items')).toBeUndefined();
    expect(matchRestRoute(['GET /a'].map(r), 'GET', '/b')).toBeUndefined();
  });
});

describe('pathWithinStage', () => {
  const api = (kind: ApiInfo['kind'], stage: string) => ({ kind, stage } as ApiInfo);
  test('REST: the stage is the first part', () => {
    expect(pathWithinStage(api('rest', 'prod'), '/prod/items')).toBe('/items');
    expect(pathWithinStage(api('rest', 'prod'), '/prod')).toBe('/');
    expect(pathWithinStage(api('rest', 'prod'), '/production/items')).toBeUndefined();
    expect(pathWithinStage(api('rest', 'prod'), '/items')).toBeUndefined();
  });
  test('HTTP $default stage and Function URLs: the whole path', () => {
    expect(pathWithinStage(api('http', '$default'), '/items')).toBe('/items');
    expect(pathWithinStage(api('http', 'beta'), '/beta/items')).toBe('/items');
    expect(pathWithinStage(api('url', '$default'), '/x')).toBe('/x');
  });
});
