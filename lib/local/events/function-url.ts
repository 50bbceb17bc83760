// Lambda function URL request (payload format 2.0, auth type NONE); `sam local generate-event` has none.
// @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
import { clfTime, EventContext } from './context';
import { httpRequest, queryParameters } from './http-request';

export function functionUrl(c: EventContext): object {
  const urlId = c.hex('url', 32);
  const domain = `${urlId}.lambda-url.${c.o.region}.on.aws`;
  const r = httpRequest(c, domain);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.path,
    rawQueryString: r.query,
    headers: r.headers,
    queryStringParameters: queryParameters(r.query),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: domain,
      domainPrefix: urlId,
      http: { method: r.method, path: r.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: r.headers['user-agent'] },
      requestId: c.uuid('request'),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(c.now),
      timeEpoch: c.now.getTime(),
    },
    body: r.body ?? undefined,
    isBase64Encoded: false,
  };
}
