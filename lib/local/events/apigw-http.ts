// API Gateway HTTP API, payload format 2.0.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
import { clfTime, EventContext } from './context';
import { httpRequest, queryParameters } from './http-request';

export function apigwHttp(c: EventContext): object {
  const apiId = c.hex('api', 10);
  const domain = `${apiId}.execute-api.${c.o.region}.amazonaws.com`;
  const r = httpRequest(c, domain);
  const routeKey = `${r.method} ${r.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: r.path,
    rawQueryString: r.query,
    headers: r.headers,
    queryStringParameters: queryParameters(r.query),
    requestContext: {
      accountId: c.o.account,
      apiId,
      domainName: domain,
      domainPrefix: apiId,
      http: { method: r.method, path: r.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: r.headers['user-agent'] },
      requestId: `${c.hex('rid', 14)}=`,
      routeKey,
      stage: '$default',
      time: clfTime(c.now),
      timeEpoch: c.now.getTime(),
    },
    body: r.body ?? undefined,
    isBase64Encoded: false,
  };
}
