// API Gateway's and Function URLs' own answers when a request never reaches the function, or the
// function's answer cannot be used: status and body as each front door sends them.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html (REST types and statuses)
// @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html (function errors: 502, {"message": "Internal server error"})
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html (HTTP API: 500 Internal Server Error, 503 on timeout)
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html ({"message":"Not Found"})
import { ApiKind } from './routes';

/** Why the front door answers itself. Named after REST's gateway response types. */
export type GatewayErrorType =
  | 'MISSING_AUTHENTICATION_TOKEN' // no route
  | 'METHOD_NOT_ALLOWED' // Function URLs: never; kept for the table's completeness
  | 'REQUEST_TOO_LARGE'
  | 'UNAUTHORIZED' // authorizer: no identity, or the authorizer said Unauthorized / the JWT is invalid
  | 'ACCESS_DENIED' // authorizer: deny
  | 'AUTHORIZER_FAILURE' // authorizer: failed or answered nonsense
  | 'INTEGRATION_FAILURE' // function error, malformed proxy response
  | 'INTEGRATION_TIMEOUT'
  | 'LAMBDA_REJECTED' // Lambda refused the invocation (an event over its 6 MB payload limit): 500
  | 'BAD_REQUEST_BODY'; // e.g. a malformed request

export interface GatewayError {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly type: GatewayErrorType;
}

const json = (status: number, message: unknown, type: GatewayErrorType, key = 'message'): GatewayError =>
  ({ status, body: JSON.stringify({ [key]: message }), contentType: 'application/json', type });

/** REST API: each type's default status and message. */
function restError(type: GatewayErrorType, implicit: boolean): GatewayError {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN': return json(403, 'Missing Authentication Token', type);
    case 'METHOD_NOT_ALLOWED': return json(405, 'Method Not Allowed', type);
    case 'REQUEST_TOO_LARGE': return json(413, 'Request Too Long', type);
    case 'UNAUTHORIZED': return json(401, 'Unauthorized', type);
    case 'ACCESS_DENIED': return json(403, implicit ? 'User is not authorized to access this resource' : 'User is not authorized to access this resource with an explicit deny', type, 'Message');
    case 'AUTHORIZER_FAILURE': return json(500, null, type);
    case 'INTEGRATION_FAILURE': return json(502, 'Internal server error', type);
    case 'INTEGRATION_TIMEOUT': return json(504, 'Endpoint request timed out', type);
    case 'LAMBDA_REJECTED': return json(500, 'Internal server error', type);
    case 'BAD_REQUEST_BODY': return json(400, 'Bad Request', type);
  }
}

/** HTTP API: its fixed answers. */
function httpError(type: GatewayErrorType): GatewayError {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN': return json(404, 'Not Found', type);
    case 'METHOD_NOT_ALLOWED': return json(404, 'Not Found', type);
    case 'REQUEST_TOO_LARGE': return json(413, 'Request Entity Too Large', type);
    case 'UNAUTHORIZED': return json(401, 'Unauthorized', type);
    case 'ACCESS_DENIED': return json(403, 'Forbidden', type);
    case 'AUTHORIZER_FAILURE': return json(500, 'Internal Server Error', type);
    case 'INTEGRATION_FAILURE': return json(500, 'Internal Server Error', type);
    case 'INTEGRATION_TIMEOUT': return json(503, 'Service Unavailable', type);
    case 'LAMBDA_REJECTED': return json(500, 'Internal Server Error', type);
    case 'BAD_REQUEST_BODY': return json(400, 'Bad Request', type);
  }
}

/**
 * Function URLs: a function error or an unusable response is 502 with a plain-text body; a request over
 * 6 MB is 413. @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 */
function urlError(type: GatewayErrorType): GatewayError {
  const text = (status: number, body: string): GatewayError => ({ status, body, contentType: 'text/plain', type });
  switch (type) {
    case 'REQUEST_TOO_LARGE': return text(413, 'Request Entity Too Large');
    case 'UNAUTHORIZED': return json(403, 'Forbidden', type, 'Message');
    case 'ACCESS_DENIED': return json(403, 'Forbidden', type, 'Message');
    case 'BAD_REQUEST_BODY': return text(400, 'Bad Request');
    default: return text(502, 'Internal Server Error');
  }
}

/** `implicit`: an authorizer's policy allowed nothing (REST words that denial differently from a Deny). */
export function gatewayError(kind: ApiKind, type: GatewayErrorType, implicit = false): GatewayError {
  if (kind === 'rest') return restError(type, implicit);
  if (kind === 'http') return httpError(type);
  return urlError(type);
}

/** REST gateway response types fall back to DEFAULT_4XX / DEFAULT_5XX for their headers and status. */
export function gatewayResponseTypes(e: GatewayError): string[] {
  return [e.type, e.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
}
