// REST APIs' `BinaryMediaTypes`: which request bodies reach a Lambda proxy integration base64-encoded, and
// when a base64 body from the function goes back to the client as bytes.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html

/** Whether `contentType` (parameters ignored) matches one of `types` (`image/png`, `image/*`, `*\/*`). */
export function matchesMediaType(types: readonly string[], contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, sub] = contentType.split(';')[0].trim().toLowerCase().split('/');
  return types.some(t => {
    const [tt, ts] = t.trim().toLowerCase().split('/');
    return (tt === '*' || tt === type) && (ts === '*' || ts === sub);
  });
}

/**
 * A proxy response with `isBase64Encoded: true` is decoded to bytes when the request's `Accept` header
 * (its first media type) or, without one, the response's `Content-Type` is a binary media type; otherwise
 * the client receives the base64 text as it is.
 */
export function restReturnsBinary(types: readonly string[], accept: string | undefined, responseContentType: string | undefined): boolean {
  if (!types.length) return false;
  const firstAccept = accept?.split(',')[0]?.trim();
  return firstAccept ? matchesMediaType(types, firstAccept) : matchesMediaType(types, responseContentType);
}

/** Strict base64 (standard alphabet, padded): Node's decoder would silently skip anything else. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
