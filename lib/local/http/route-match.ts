// Which route answers a request, with API Gateway's precedence.
//
// HTTP APIs choose among routes by method and path together: a full match of path and method first, then
// routes with path variables, then a greedy path variable (`{proxy+}`), and an exact method before `ANY`;
// the `$default` route catches the rest; without one, 404 Not Found.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
//
// REST APIs first find the resource (the most specific path: a literal part before `{var}`, before
// `{proxy+}`), then the method on it (exact, else `ANY`); a resource without that method, or no resource,
// answers 403 Missing Authentication Token.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html#setup-method-resources
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html ("{proxy+}" and "ANY")
//
// In both, a greedy variable needs at least one path part (`/{proxy+}` does not match `/`), and variable
// values reach the function URL-decoded.

export interface Matchable {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R extends Matchable> {
  readonly route: R;
  /** `{ id: '42' }`, or undefined when the route has no variables. */
  readonly pathParameters?: { [name: string]: string };
}

function segments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** The path variables when `path` matches `pattern`, else undefined. */
export function matchPath(pattern: string, path: string): { [name: string]: string } | undefined {
  const want = segments(pattern);
  const got = segments(path);
  const params: { [name: string]: string } = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const greedy = /^\{(.+)\+\}$/.exec(w);
    if (greedy) {
      if (i !== want.length - 1 || got.length <= i) return undefined;
      params[greedy[1]] = decode(got.slice(i).join('/'));
      return params;
    }
    if (i >= got.length) return undefined;
    const variable = /^\{(.+)\}$/.exec(w);
    if (variable) {
      if (got[i] === '') return undefined;
      params[variable[1]] = decode(got[i]);
    } else if (w !== got[i]) {
      return undefined;
    }
  }
  return want.length === got.length ? params : undefined;
}

/** Per path part: 2 literal, 1 variable, 0 greedy. Compared part by part, then longer first. */
function specificity(pattern: string): number[] {
  return segments(pattern).map(s => /^\{.+\+\}$/.test(s) ? 0 : /^\{.+\}$/.test(s) ? 1 : 2);
}

function moreSpecific(a: string, b: string): number {
  const x = specificity(a);
  const y = specificity(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return y[i] - x[i];
  return y.length - x.length;
}

const withParams = <R extends Matchable>(route: R, params: { [name: string]: string }): RouteMatch<R> =>
  ({ route, pathParameters: Object.keys(params).length ? params : undefined });

/** HTTP API: the route for `method` and `path` (already without the stage part), or undefined (404). */
export function matchHttpRoute<R extends Matchable>(routes: readonly R[], method: string, path: string): RouteMatch<R> | undefined {
  const m = method.toUpperCase();
  const candidates = routes
    .filter(r => r.path !== '$default' && (r.method === m || r.method === 'ANY'))
    .map(r => ({ r, params: matchPath(r.path, path) }))
    .filter((c): c is { r: R; params: { [name: string]: string } } => c.params !== undefined)
    .sort((a, b) => moreSpecific(a.r.path, b.r.path) || (a.r.method === 'ANY' ? 1 : 0) - (b.r.method === 'ANY' ? 1 : 0));
  if (candidates.length) return withParams(candidates[0].r, candidates[0].params);
  const fallback = routes.find(r => r.path === '$default');
  return fallback ? { route: fallback } : undefined;
}

/** REST API: the method for `method` and `path` (already without the stage part), or undefined (403). */
export function matchRestRoute<R extends Matchable>(routes: readonly R[], method: string, path: string): RouteMatch<R> | undefined {
  const resources = [...new Set(routes.map(r => r.path))]
    .map(p => ({ p, params: matchPath(p, path) }))
    .filter((c): c is { p: string; params: { [name: string]: string } } => c.params !== undefined)
    .sort((a, b) => moreSpecific(a.p, b.p));
  if (!resources.length) return undefined;
  const { p, params } = resources[0];
  const m = method.toUpperCase();
  const route = routes.find(r => r.path === p && r.method === m) ?? routes.find(r => r.path === p && r.method === 'ANY');
  return route ? withParams(route, params) : undefined;
}
