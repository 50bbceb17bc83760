// API Gateway REST API, Lambda proxy integration (payload format 1.0).
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
import { clfTime, EventContext } from './context';
import { httpRequest } from './http-request';

export function apigwRest(c: EventContext): object {
  const apiId = c.hex('api', 10);
  const domain = `${apiId}.execute-api.${c.o.region}.amazonaws.com`;
  const r = httpRequest(c, domain);
  const params = [...new URLSearchParams(r.query)];
  const single = params.length ? Object.fromEntries(params) : null;
  const multi = params.length ? params.reduce<{ [k: string]: string[] }>((m, [k, v]) => ({ ...m, [k]: [...(m[k] ?? []), v] }), {}) : null;
  return {
    resource: r.path,
    path: r.path,
    httpMethod: r.method,
    headers: r.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: single,
    multiValueQueryStringParameters: multi,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: c.o.account,
      apiId,
      resourceId: c.hex('resource', 6),
      resourcePath: r.path,
      httpMethod: r.method,
      path: `/prod${r.path}`,
      protocol: 'HTTP/1.1',
      stage: 'prod',
      requestId: c.uuid('request'),
      extendedRequestId: `${c.hex('ext', 14)}=`,
      requestTime: clfTime(c.now),
      requestTimeEpoch: c.now.getTime(),
      domainName: domain,
      domainPrefix: apiId,
      identity: { sourceIp: '203.0.113.10', userAgent: r.headers['user-agent'], accountId: null, caller: null, user: null, userArn: null, accessKey: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null },
    },
    body: r.body,
    isBase64Encoded: false,
  };
}
