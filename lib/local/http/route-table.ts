// The route table `api` prints, and the same rows as JSON for scripts and editors (`--routes FILE`).
import { ApiInfo, HttpRoute, RefusedRoute, RouteAuth, routeName } from './routes';

export interface RouteRow {
  readonly kind: 'rest' | 'http' | 'url';
  /** The API's or URL's construct path. */
  readonly api: string;
  readonly stage: string;
  readonly method: string;
  /** The route's pattern, e.g. `/items/{id}`, or `$default`. */
  readonly path: string;
  /** The full local URL of the pattern. */
  readonly url: string;
  /** The function's construct path. */
  readonly function: string;
  readonly payloadVersion: string;
  readonly auth: string;
}

/** `http://127.0.0.1:3000` plus the stage part for REST and named HTTP API stages. */
export function baseUrl(api: ApiInfo, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const stage = api.kind === 'rest' || (api.kind === 'http' && api.stage !== '$default') ? `/${api.stage}` : '';
  return `http://${h}:${port}${stage}`;
}

export function authText(a: RouteAuth): string {
  if (a.type === 'NONE') return 'NONE';
  if (a.type === 'JWT') return `JWT ${a.authorizer.issuer ?? ''}${a.scopes.length ? ` scopes ${a.scopes.join(' ')}` : ''}`.trim();
  return `LAMBDA ${a.authorizer.kind} ${a.authorizer.name}`;
}

export function routeRow(r: HttpRoute, port: number, host: string, functionPath: string): RouteRow {
  const base = baseUrl(r.api, host, port);
  return {
    kind: r.api.kind,
    api: r.api.path,
    stage: r.api.stage,
    method: r.method,
    path: r.path,
    url: r.path === '$default' ? `${base}/` : `${base}${r.path}`,
    function: functionPath,
    payloadVersion: r.payloadVersion,
    auth: r.api.kind === 'url' ? `NONE${r.api.invokeMode === 'RESPONSE_STREAM' ? ' (streaming)' : ''}` : authText(r.auth),
  };
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  return rows.map(r => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function formatRouteTable(rows: readonly RouteRow[], refused: readonly RefusedRoute[]): string {
  const out: string[] = [];
  if (rows.length) {
    out.push(columns([
      ['METHOD', 'URL', 'API (STAGE)', 'FUNCTION', 'PAYLOAD', 'AUTH'],
      ...rows.map(r => [r.method, r.url, `${r.api} (${r.stage})`, r.function, r.payloadVersion, r.auth]),
    ]));
  }
  if (refused.length) {
    out.push('', 'Not served:');
    for (const r of refused) out.push(`  ${r.api} ${routeName(r)}: ${r.reason}`);
  }
  return out.join('\n');
}
