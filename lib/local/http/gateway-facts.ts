// API Gateway's and Function URLs' own limits, each with its source. (Lambda's own limits, such as the
// 6 MB invocation payload that also bounds Function URL requests, live in lib/lambda-facts.ts.)

/**
 * REST API integration timeout: 50 ms to 29 seconds, 29 s by default.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html ("Integration timeout")
 */
export const REST_INTEGRATION_TIMEOUT_MS = 29_000;

/**
 * HTTP API integration timeout: at most 30 seconds, the default.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html ("Maximum integration timeout")
 */
export const HTTP_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * Request payload: 10 MB for REST and HTTP APIs.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html ("Payload size")
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html ("Payload size")
 */
export const GATEWAY_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * Content types API Gateway HTTP APIs and Function URLs pass as text; others arrive base64-encoded
 * (`isBase64Encoded: true`).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads ("base64-encodes ... if the content type is not text")
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const t = contentType.split(';')[0].trim().toLowerCase();
  return t.startsWith('text/')
    || /^application\/(json|javascript|xml|yaml|x-yaml|ld\+json|graphql)$/.test(t)
    || /\+(json|xml)$/.test(t);
}
