import { decodeBase64Strict, matchesMediaType, restReturnsBinary } from '../../../lib/local/http/binary-media';
import { gatewayError } from '../../../lib/local/http/gateway-errors';
import { mapResponseV1, mapResponseV2 } from '../../../lib/local/http/proxy-response';

const j = (v: unknown) => Buffer.from(JSON.stringify(v));
const rest = { kind: 'rest' as const, binaryMediaTypes: ['image/png'] };

describe('payload 1.0 responses', () => {
  test('status, headers merged with multiValueHeaders (multi wins), body', () => {
    const r = mapResponseV1(j({ statusCode: 201, headers: { 'X-A': '1', 'Set-Cookie': 'ignored' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'hi' }), rest);
    expect(r).toEqual({ ok: true, status: 201, headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-A', '1'], ['Content-Type', 'application/json']], body: Buffer.from('hi') });
  });

  test.each([
    ['not JSON', Buffer.from('plain text'), /not JSON/],
    ['a bare string', j('hello'), /not an object with statusCode/],
    ['no statusCode', j({ body: 'x' }), /statusCode undefined/],
    ['an extra key (REST)', j({ statusCode: 200, body: 'x', cookies: [] }), /cannot have: cookies/],
    ['a body that is not a string', j({ statusCode: 200, body: { a: 1 } }), /body is not a string/],
    ['a header that is an object', j({ statusCode: 200, headers: { a: {} } }), /headers.a is not a string/],
    ['a header value with a newline', j({ statusCode: 200, headers: { a: 'x\ny' } }), /HTTP does not allow/],
    ['a status out of range', j({ statusCode: 99 }), /not an HTTP status/],
  ])('malformed: %s', (_label, payload, reason) => {
    const r = mapResponseV1(payload, rest);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  test('HTTP API 1.0 tolerates keys REST refuses', () => {
    expect(mapResponseV1(j({ statusCode: 200, body: 'x', extra: 1 }), { kind: 'http', binaryMediaTypes: [] }).ok).toBe(true);
  });

  test('REST: base64 becomes bytes only for a binary media type the client accepts; else the text as is', () => {
    const png = { statusCode: 200, headers: { 'Content-Type': 'image/png' }, isBase64Encoded: true, body: 'AQID' };
    expect(mapResponseV1(j(png), { ...rest, accept: 'image/png' })).toMatchObject({ ok: true, body: Buffer.from([1, 2, 3]) });
    expect(mapResponseV1(j(png), { ...rest, accept: 'text/html,image/png' })).toMatchObject({ ok: true, body: Buffer.from('AQID') });
    expect(mapResponseV1(j(png), { ...rest })).toMatchObject({ ok: true, body: Buffer.from([1, 2, 3]) });
    expect(mapResponseV1(j(png), { kind: 'rest', binaryMediaTypes: [], accept: 'image/png' })).toMatchObject({ ok: true, body: Buffer.from('AQID') });
    expect(mapResponseV1(j({ ...png, body: '***' }), { ...rest, accept: 'image/png' })).toMatchObject({ ok: false, reason: expect.stringMatching(/not valid base64/) });
  });
});

describe('payload 2.0 responses', () => {
  test('structured: status, headers, cookies as Set-Cookie, base64 body', () => {
    const r = mapResponseV2(j({ statusCode: 202, headers: { 'x-a': '1' }, cookies: ['a=1', 'b=2; Path=/'], body: 'AQID', isBase64Encoded: true }), 'http');
    expect(r).toEqual({ ok: true, status: 202, headers: [['x-a', '1'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2; Path=/'], ['Content-Type', 'application/json']], body: Buffer.from([1, 2, 3]) });
  });

  test.each([
    ['an object without statusCode', { hello: 'world' }],
    ['a string', 'hello'],
    ['a number', 42],
    ['a list', [1, 2]],
  ])('inferred from valid JSON without statusCode: %s → 200 application/json, the answer as body', (_label, value) => {
    expect(mapResponseV2(j(value), 'http')).toEqual({ ok: true, status: 200, headers: [['Content-Type', 'application/json']], body: j(value) });
  });

  test.each([
    ['not JSON', Buffer.from('<html>'), /not JSON/],
    ['malformed base64', j({ statusCode: 200, isBase64Encoded: true, body: 'abc' }), /not valid base64/],
    ['cookies not a list', j({ statusCode: 200, cookies: 'a=1' }), /cookies is not a list/],
    ['a status that is not a number', j({ statusCode: 'ok' }), /not an HTTP status/],
  ])('malformed: %s', (_label, payload, reason) => {
    const r = mapResponseV2(payload, 'http');
    expect(!r.ok && r.reason).toMatch(reason);
  });

  test('Function URLs add no content type of their own', () => {
    expect(mapResponseV2(j({ statusCode: 200, body: 'x' }), 'url')).toEqual({ ok: true, status: 200, headers: [], body: Buffer.from('x') });
  });
});

describe('binary media types and base64', () => {
  test('wildcards and parameters', () => {
    expect(matchesMediaType(['image/*'], 'image/png; q=1')).toBe(true);
    expect(matchesMediaType(['*/*'], 'text/plain')).toBe(true);
    expect(matchesMediaType(['image/png'], 'image/jpeg')).toBe(false);
    expect(matchesMediaType(['image/png'], undefined)).toBe(false);
    expect(restReturnsBinary([], 'image/png', 'image/png')).toBe(false);
  });
  test('strict base64', () => {
    expect(decodeBase64Strict('AQID')).toEqual(Buffer.from([1, 2, 3]));
    expect(decodeBase64Strict('AQ==')).toEqual(Buffer.from([1]));
    for (const bad of ['AQI', 'A?ID', 'AQ=D', '***not base64***']) expect(decodeBase64Strict(bad)).toBeUndefined();
  });
});

describe('gateway errors, per front door', () => {
  test.each([
    ['rest', 'MISSING_AUTHENTICATION_TOKEN', 403, '{"message":"Missing Authentication Token"}'],
    ['rest', 'INTEGRATION_FAILURE', 502, '{"message":"Internal server error"}'],
    ['rest', 'INTEGRATION_TIMEOUT', 504, '{"message":"Endpoint request timed out"}'],
    ['rest', 'ACCESS_DENIED', 403, '{"Message":"User is not authorized to access this resource with an explicit deny"}'],
    ['rest', 'UNAUTHORIZED', 401, '{"message":"Unauthorized"}'],
    ['rest', 'REQUEST_TOO_LARGE', 413, '{"message":"Request Too Long"}'],
    ['http', 'MISSING_AUTHENTICATION_TOKEN', 404, '{"message":"Not Found"}'],
    ['http', 'INTEGRATION_FAILURE', 500, '{"message":"Internal Server Error"}'],
    ['http', 'INTEGRATION_TIMEOUT', 503, '{"message":"Service Unavailable"}'],
    ['http', 'ACCESS_DENIED', 403, '{"message":"Forbidden"}'],
    ['http', 'REQUEST_TOO_LARGE', 413, '{"message":"Request Entity Too Large"}'],
    ['url', 'INTEGRATION_FAILURE', 502, 'Internal Server Error'],
    ['url', 'REQUEST_TOO_LARGE', 413, 'Request Entity Too Large'],
  ] as const)('%s %s → %d %s', (kind, type, status, body) => {
    expect(gatewayError(kind, type)).toMatchObject({ status, body });
  });
  test('REST words an implicit denial differently', () => {
    expect(gatewayError('rest', 'ACCESS_DENIED', true).body).toBe('{"Message":"User is not authorized to access this resource"}');
  });
});
