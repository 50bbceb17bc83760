// CORS from an HTTP API's `CorsConfiguration` or a Function URL's `Cors`: the front door answers preflight
// requests itself, and adds the configured headers to every response of an allowed origin, its own error
// responses included (a denied authorizer too, where SAM sends none: aws-sam-cli#9087). The function's own
// CORS headers are replaced by the configured ones.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
// @see https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors
// REST APIs have no such setting: their preflights are `OPTIONS` methods (MOCK integrations, see
// rest-api-routes) and their error responses carry the headers of `AWS::ApiGateway::GatewayResponse`s.
import { CorsConfig } from './routes';

export type Headers = [string, string][];

/** `https://*.example.com` matches one or more subdomain labels; `*` matches any origin. */
export function originAllowed(c: CorsConfig, origin: string): boolean {
  return c.allowOrigins.some(o => {
    if (o === '*') return true;
    if (o.toLowerCase() === origin.toLowerCase()) return true;
    if (!o.includes('*')) return false;
    const pattern = new RegExp(`^${o.split('*').map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`, 'i');
    return pattern.test(origin);
  });
}

function allowOriginValue(c: CorsConfig, origin: string): string {
  return c.allowOrigins.includes('*') && !c.allowCredentials ? '*' : origin;
}

/** Whether a request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
export function isPreflight(method: string, origin: string | undefined, requestMethod: string | undefined): boolean {
  return method === 'OPTIONS' && !!origin && !!requestMethod;
}

/**
 * The preflight answer's headers, or an empty list when the origin, method or a requested header is not
 * allowed (the browser then refuses the real request, as it would against AWS).
 */
export function preflightHeaders(c: CorsConfig, origin: string, requestMethod: string, requestHeaders: string | undefined): Headers {
  if (!originAllowed(c, origin)) return [];
  const method = requestMethod.toUpperCase();
  if (!c.allowMethods.includes('*') && !c.allowMethods.includes(method)) return [];
  const asked = (requestHeaders ?? '').split(',').map(h => h.trim().toLowerCase()).filter(Boolean);
  if (!c.allowHeaders.includes('*') && asked.some(h => !c.allowHeaders.includes(h))) return [];
  const out: Headers = [['Access-Control-Allow-Origin', allowOriginValue(c, origin)]];
  out.push(['Access-Control-Allow-Methods', c.allowMethods.includes('*') ? method : c.allowMethods.join(',')]);
  if (asked.length) out.push(['Access-Control-Allow-Headers', c.allowHeaders.includes('*') ? asked.join(',') : c.allowHeaders.join(',')]);
  if (c.maxAge !== undefined) out.push(['Access-Control-Max-Age', String(c.maxAge)]);
  if (c.allowCredentials) out.push(['Access-Control-Allow-Credentials', 'true']);
  return out;
}

/** Replaces the response's CORS headers with the configured ones for `origin` (none when not allowed). */
export function withCorsHeaders(c: CorsConfig, origin: string | undefined, headers: Headers): Headers {
  const kept = headers.filter(([k]) => !k.toLowerCase().startsWith('access-control-'));
  if (!origin || !originAllowed(c, origin)) return kept;
  kept.push(['Access-Control-Allow-Origin', allowOriginValue(c, origin)]);
  if (c.exposeHeaders.length) kept.push(['Access-Control-Expose-Headers', c.exposeHeaders.join(',')]);
  if (c.allowCredentials) kept.push(['Access-Control-Allow-Credentials', 'true']);
  return kept;
}
