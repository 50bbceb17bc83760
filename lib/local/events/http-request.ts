// The request parts shared by the HTTP-shaped events (API Gateway REST and HTTP APIs, function URLs).
import { EventContext } from './context';

export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string | null;
  readonly headers: { [name: string]: string };
}

export function httpRequest(c: EventContext, host: string): HttpRequest {
  const [path, query = ''] = (c.o.path ?? '/items/42?verbose=true').split('?');
  const body = c.o.body ?? null;
  const headers: { [name: string]: string } = {
    'accept': 'application/json',
    'host': host,
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': `Root=1-${Math.floor(c.now.getTime() / 1000).toString(16)}-${c.hex('trace', 24)}`,
    'x-forwarded-for': '203.0.113.10',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (body !== null) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return { method: (c.o.method ?? (body === null ? 'GET' : 'POST')).toUpperCase(), path, query, body, headers };
}

/** `a=1&b=2&a=3` → `{ a: '1,3', b: '2' }` (HTTP API v2 joins repeated values with commas). */
export function queryParameters(query: string): { [name: string]: string } | undefined {
  if (!query) return undefined;
  const out: { [name: string]: string } = {};
  for (const [k, v] of new URLSearchParams(query)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}
