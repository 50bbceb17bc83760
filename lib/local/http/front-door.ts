// One API (REST or HTTP API, one stage) or one Function URL served on a local port: a request is matched
// to its route with API Gateway's precedence, authorized, turned into the route's event, run on the
// function's warm pool, and its answer mapped back, with API Gateway's own answers where it would give
// them (gateway-errors), and CORS as the API or URL configures it. No request can take the server down:
// every failure becomes a gateway answer, and a response already under way is cut off, as API Gateway
// does.
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo, isIP } from 'net';
import { checkJwt, KeySet } from './authorizers/jwt-authorizer';
import { AuthDecision, FunctionAnswer, runLambdaAuthorizer } from './authorizers/lambda-authorizer';
import { isPreflight, preflightHeaders, withCorsHeaders } from './cors';
import { eventV1 } from './event-v1';
import { eventV2 } from './event-v2';
import { GatewayError, GatewayErrorType, gatewayError, gatewayResponseTypes } from './gateway-errors';
import { GATEWAY_MAX_REQUEST_BYTES } from './gateway-facts';
import { MappedResponse, mapResponseV1, mapResponseV2 } from './proxy-response';
import { EventSite, FrontDoorRequest, header, pathWithinStage } from './request';
import { matchHttpRoute, matchRestRoute } from './route-match';
import { ApiInfo, FunctionRef, HttpRoute, MockRoute, routeName } from './routes';
import { PRELUDE_CONTENT_TYPE, readPrelude } from './stream-prelude';
import { MAX_SYNC_REQUEST_BYTES } from '../../lambda-facts';
import { LocalFunction } from '../functions/local-function';
import { StreamedResponse } from '../runtime/runtime-api';
import { InvocationResult } from '../runtime/sandbox';
import { FunctionPools } from '../service/function-pools';
import { RebuildGate } from '../watch/rebuild-gate';

type Headers = [string, string][];

export interface FrontDoorOptions {
  readonly api: ApiInfo;
  readonly routes: readonly HttpRoute[];
  readonly mocks: readonly MockRoute[];
  /** The app's runnable functions by `<stack>/<logicalId>`. */
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly pools: FunctionPools;
  /** `--jwks`: keys for JWT authorizers (routes with JWT auth are not given to a server without them). */
  readonly jwks?: KeySet;
  readonly log: (text: string) => void;
  /** --watch: requests wait here while a rebuild runs. */
  readonly gate?: RebuildGate;
}

export const functionKey = (f: FunctionRef) => `${f.stackName}/${f.logicalId}`;

/** A stable id of the API's kind and length (API Gateway: 10 characters; Function URLs: 32). */
export function localApiId(api: ApiInfo): string {
  const h = crypto.createHash('sha256').update(`${api.stackName}/${api.logicalId}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...h].slice(0, api.kind === 'url' ? 32 : 10).map(b => alphabet[b % alphabet.length]).join('');
}

/** Loopback names and IP literals only: a DNS-rebinding page reaches us under its own host name. */
export function hostAllowed(hostHeader: string | undefined, bindHost: string): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0 || name === bindHost.toLowerCase();
}

export class FrontDoor {
  private readonly server: http.Server;
  private readonly apiId: string;
  private bindHost = '127.0.0.1';

  constructor(private o: FrontDoorOptions) {
    this.apiId = localApiId(o.api);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(e => {
        this.o.log(`${o.api.path}: ${(e as Error).stack ?? e}\n`);
        this.sendError(res, undefined, gatewayError(o.api.kind, 'INTEGRATION_FAILURE'));
      });
    });
    // `Expect: 100-continue` (curl, for large bodies): a body over the limit is refused before it is sent.
    this.server.on('checkContinue', (req, res) => {
      if (Number(req.headers['content-length'] ?? 0) <= this.requestLimit()) res.writeContinue();
      this.server.emit('request', req, res);
    });
    // A slow client must not hold a socket for ever; the integration itself is bounded by its timeout.
    this.server.requestTimeout = 60_000;
  }

  /** Function URLs take Lambda's 6 MB invocation payload; APIs take API Gateway's 10 MB. */
  private requestLimit(): number {
    return this.o.api.kind === 'url' ? MAX_SYNC_REQUEST_BYTES : GATEWAY_MAX_REQUEST_BYTES;
  }

  get api(): ApiInfo {
    return this.o.api;
  }

  /** Serves the API as the app now describes it (--watch, after a synth). */
  update(changes: Pick<FrontDoorOptions, 'api' | 'routes' | 'mocks'>): void {
    this.o = { ...this.o, ...changes };
  }

  async listen(port: number, host: string): Promise<number> {
    this.bindHost = host;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => { this.server.off('error', reject); resolve(); });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(r => this.server.close(() => r()));
  }

  private site(fn: LocalFunction): EventSite {
    return { api: this.o.api, apiId: this.apiId, accountId: fn.o.account ?? '123456789012', region: fn.o.region };
  }

  /** The construct paths of the functions this API's routes and authorizers run. */
  private functionPaths(): string[] {
    const refs = this.o.routes.flatMap(r => [r.function, ...(r.auth.type === 'LAMBDA' && r.auth.authorizer.function ? [r.auth.authorizer.function] : [])]);
    return refs.map(ref => this.o.functions.get(functionKey(ref))?.spec.path).filter((p): p is string => p !== undefined);
  }

  private fn(ref: FunctionRef): LocalFunction {
    const f = this.o.functions.get(functionKey(ref));
    if (!f) throw new Error(`function ${functionKey(ref)} is not loaded`);
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const api = this.o.api;
    const requestId = crypto.randomUUID();
    const origin = req.headers.origin;
    if (!hostAllowed(req.headers.host, this.bindHost)) {
      req.resume();
      this.sendError(res, origin, { status: 403, body: '{"message":"Forbidden"}', contentType: 'application/json', type: 'ACCESS_DENIED' }, requestId);
      return;
    }
    const body = await readBody(req, this.requestLimit());
    if (!body) { this.sendError(res, origin, gatewayError(api.kind, 'REQUEST_TOO_LARGE'), requestId); return; }
    const target = new URL(req.url ?? '/', 'http://localhost');
    const rawQuery = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?') + 1) : '';
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const request: FrontDoorRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath: target.pathname,
      rawQuery,
      headers: pairs,
      body,
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      requestId,
      time: new Date(),
    };

    // CORS preflights the API or URL answers itself.
    if (api.cors && isPreflight(request.method, origin, header(request, 'access-control-request-method'))) {
      const h = preflightHeaders(api.cors, origin!, header(request, 'access-control-request-method')!, header(request, 'access-control-request-headers'));
      this.send(res, api.kind === 'url' ? 200 : 204, [...h, ...this.idHeaders(requestId)], Buffer.alloc(0));
      return;
    }

    // --watch: a request waits for a rebuild of this API's functions under way; past the bound it is not answered by old
    // code either. (An edit to the app's source holds every API: it may change the routes.)
    if (this.o.gate && !await this.o.gate.pass(this.functionPaths())) {
      this.o.log(`${api.path} ${request.method} ${request.rawPath}: still rebuilding (--watch); answered 503\n`);
      this.sendError(res, origin, { status: 503, body: '{"message":"Service Unavailable"}', contentType: 'application/json', type: 'INTEGRATION_FAILURE' }, requestId);
      return;
    }
    const path = pathWithinStage(api, request.rawPath);
    let route: HttpRoute | undefined;
    let pathParameters: { [name: string]: string } | undefined;
    if (path !== undefined) {
      if (api.kind === 'url') {
        route = this.o.routes[0];
      } else if (api.kind === 'http') {
        const m = matchHttpRoute(this.o.routes, request.method, path);
        route = m?.route;
        pathParameters = m?.pathParameters;
      } else {
        const m = matchRestRoute<HttpRoute | MockRoute>([...this.o.routes, ...this.o.mocks], request.method, path);
        if (m && 'response' in m.route) {
          const mock = m.route;
          this.send(res, mock.response.statusCode, [...Object.entries(mock.response.headers), ['Content-Type', 'application/json'], ...this.idHeaders(requestId)], Buffer.alloc(0));
          return;
        }
        route = m?.route as HttpRoute | undefined;
        pathParameters = m?.pathParameters;
      }
    }
    if (!route || path === undefined) {
      this.sendError(res, origin, gatewayError(api.kind, 'MISSING_AUTHENTICATION_TOKEN'), requestId);
      return;
    }

    const fn = this.fn(route.function);
    const site = this.site(fn);
    const decision = await this.authorize(route, request, site, path, pathParameters);
    if (!decision.allow) {
      this.o.log(`${api.path} ${request.method} ${request.rawPath}: ${decision.error} (${decision.why})\n`);
      this.sendError(res, origin, gatewayError(api.kind, decision.error, decision.implicit), requestId);
      return;
    }
    const authorizer = route.auth.type === 'NONE' ? undefined : decision.context;
    const event = route.payloadVersion === '2.0'
      ? eventV2(request, site, { routeKey: api.kind === 'url' ? '$default' : routeName(route), pathParameters, authorizer })
      : eventV1(request, site, { resource: route.path === '$default' ? '$default' : route.path, path, pathParameters, resourceId: route.resourceId ?? (api.kind === 'http' ? routeName(route) : undefined), authorizer });
    const payload = Buffer.from(JSON.stringify(event));
    if (payload.length > MAX_SYNC_REQUEST_BYTES) {
      this.o.log(`${api.path} ${request.method} ${request.rawPath}: the event is ${payload.length} bytes, over Lambda's ${MAX_SYNC_REQUEST_BYTES}-byte limit\n`);
      this.sendError(res, origin, gatewayError(api.kind, api.kind === 'url' ? 'REQUEST_TOO_LARGE' : 'LAMBDA_REJECTED'), requestId);
      return;
    }

    // The function as it is now: a rebuild may have replaced it while the authorizer ran.
    const current = this.fn(route.function);
    if (api.invokeMode === 'RESPONSE_STREAM') {
      await this.runStreaming(current, payload, request, res, origin);
      return;
    }
    const result = await this.runWithTimeout(route, current, payload, requestId);
    if (result === 'timeout') {
      this.sendError(res, origin, gatewayError(api.kind, 'INTEGRATION_TIMEOUT'), requestId);
      return;
    }
    if (result.functionError) {
      this.sendError(res, origin, gatewayError(api.kind, 'INTEGRATION_FAILURE'), requestId);
      return;
    }
    const mapped: MappedResponse = route.payloadVersion === '2.0'
      ? mapResponseV2(result.payload, api.kind)
      : mapResponseV1(result.payload, { kind: api.kind, binaryMediaTypes: api.binaryMediaTypes, accept: header(request, 'accept') });
    if (!mapped.ok) {
      this.o.log(`${api.path} ${routeName(route)}: malformed Lambda proxy response: ${mapped.reason}\n`);
      this.sendError(res, origin, gatewayError(api.kind, 'INTEGRATION_FAILURE'), requestId);
      return;
    }
    this.send(res, mapped.status, this.cors(origin, [...mapped.headers, ...this.idHeaders(requestId)]), mapped.body);
  }

  private async authorize(route: HttpRoute, request: FrontDoorRequest, site: EventSite, path: string,
    pathParameters?: { [name: string]: string }): Promise<AuthDecision> {
    const auth = route.auth;
    if (auth.type === 'NONE') return { allow: true, context: undefined };
    if (auth.type === 'JWT') {
      if (!this.o.jwks) return { allow: false, error: 'UNAUTHORIZED', why: 'no --jwks keys' };
      const keys = this.o.jwks;
      return checkJwt({ authorizer: auth.authorizer, scopes: auth.scopes, request, api: this.o.api, keys, payloadVersion: route.payloadVersion });
    }
    return runLambdaAuthorizer({
      route,
      authorizer: auth.authorizer,
      request,
      site,
      path,
      pathParameters,
      invoke: async (ref, event): Promise<FunctionAnswer> => {
        const r = await this.o.pools.invoke(this.fn(ref), Buffer.from(JSON.stringify(event)));
        return { payload: r.payload, functionError: r.functionError !== undefined };
      },
    });
  }

  /** The integration's timeout (REST 29 s, HTTP API 30 s at most) ends the wait; the function runs on. */
  private async runWithTimeout(route: HttpRoute, fn: LocalFunction, payload: Buffer, requestId: string): Promise<InvocationResult | 'timeout'> {
    const run = this.o.pools.invoke(fn, payload, { requestId });
    if (!route.timeoutMs) return run;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(r => { timer = setTimeout(() => r('timeout'), route.timeoutMs); });
    run.catch(() => undefined);
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** RESPONSE_STREAM: the prelude's status and headers, then every chunk as the function writes it. */
  private async runStreaming(fn: LocalFunction, payload: Buffer, request: FrontDoorRequest, res: http.ServerResponse,
    origin?: string): Promise<void> {
    let streaming: Promise<void> | undefined;
    const onStream = (s: StreamedResponse) => {
      streaming = (async () => {
        let status = 200;
        let headers: Headers = [['Content-Type', s.contentType]];
        let rest: Buffer = Buffer.alloc(0);
        let ended = false;
        if (s.contentType === PRELUDE_CONTENT_TYPE) {
          const p = await readPrelude(s.body);
          if (!p.ok) {
            this.o.log(`${this.o.api.path}: ${p.reason}\n`);
            s.body.resume();
            this.sendError(res, origin, gatewayError('url', 'INTEGRATION_FAILURE'), request.requestId);
            return;
          }
          rest = p.rest;
          ended = p.ended ?? false;
          status = p.prelude.statusCode;
          headers = p.prelude.headers;
        }
        res.writeHead(status, flat(this.cors(origin, [...headers, ...this.idHeaders(request.requestId)])));
        res.flushHeaders();
        if (rest.length) res.write(rest);
        if (ended) { res.end(); return; }
        await new Promise<void>(resolve => {
          s.body.on('data', (c: Buffer) => res.write(c));
          s.body.on('end', () => { res.end(); resolve(); });
          s.body.on('error', () => resolve());
          s.body.resume();
        });
      })();
    };
    const result = await this.o.pools.invoke(fn, payload, { requestId: request.requestId, onStream });
    if (streaming) await streaming;
    if (result.functionError) {
      // Mid-stream, the client sees the connection end early, as with Lambda.
      this.sendError(res, origin, gatewayError('url', 'INTEGRATION_FAILURE'), request.requestId);
      return;
    }
    if (!streaming) {
      // A handler that did not stream answered whole: mapped as a buffered response.
      const mapped = mapResponseV2(result.payload, 'url');
      if (!mapped.ok) { this.sendError(res, origin, gatewayError('url', 'INTEGRATION_FAILURE'), request.requestId); return; }
      this.send(res, mapped.status, this.cors(origin, [...mapped.headers, ...this.idHeaders(request.requestId)]), mapped.body);
    }
  }

  private idHeaders(requestId: string): Headers {
    if (this.o.api.kind === 'http') return [['Apigw-Requestid', requestId]];
    return [['x-amzn-RequestId', requestId]];
  }

  private cors(origin: string | undefined, headers: Headers): Headers {
    return this.o.api.cors ? withCorsHeaders(this.o.api.cors, origin, headers) : headers;
  }

  private send(res: http.ServerResponse, status: number, headers: Headers, body: Buffer): void {
    if (res.headersSent) { res.destroy(); return; }
    res.writeHead(status, flat([...headers, ['Content-Length', String(body.length)]])).end(body);
  }

  /** API Gateway's own answer, with CORS (HTTP API, URL) or the REST API's gateway response headers. */
  private sendError(res: http.ServerResponse, origin: string | undefined, e: GatewayError, requestId: string = crypto.randomUUID()): void {
    if (res.headersSent) { res.destroy(); return; }
    let status = e.status;
    let headers: Headers = [['Content-Type', e.contentType], ...this.idHeaders(requestId)];
    if (this.o.api.kind === 'rest') {
      headers.push(['x-amzn-ErrorType', errorTypeHeader(e.type)]);
      for (const type of gatewayResponseTypes(e)) {
        const g = this.o.api.gatewayResponses.find(x => x.type === type);
        if (!g) continue;
        headers.push(...Object.entries(g.headers));
        if (g.statusCode) status = g.statusCode;
        break;
      }
    } else {
      headers = this.cors(origin, headers);
    }
    this.send(res, status, headers, Buffer.from(e.body));
  }
}

/** Node takes repeated headers (Set-Cookie) as a list. */
function flat(headers: Headers): http.OutgoingHttpHeaders {
  const out: { [k: string]: string | string[] } = {};
  const names = new Map<string, string>();
  for (const [k, v] of headers) {
    const lower = k.toLowerCase();
    const key = names.get(lower) ?? k;
    names.set(lower, key);
    const prev = out[key];
    if (prev === undefined) out[key] = v;
    else if (lower === 'set-cookie') out[key] = [...(Array.isArray(prev) ? prev : [prev]), v];
    else out[key] = v;
  }
  return out;
}

function errorTypeHeader(t: GatewayErrorType): string {
  switch (t) {
    case 'MISSING_AUTHENTICATION_TOKEN': return 'MissingAuthenticationTokenException';
    case 'ACCESS_DENIED': return 'AccessDeniedException';
    case 'UNAUTHORIZED': return 'UnauthorizedException';
    case 'REQUEST_TOO_LARGE': return 'RequestTooLargeException';
    default: return 'InternalServerErrorException';
  }
}

/** The body, or undefined when it is over `limit` (the rest is drained, never kept). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) { req.resume(); return Promise.resolve(undefined); }
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => { bytes += c.length; if (bytes <= limit) chunks.push(c); });
    req.on('end', () => resolve(bytes > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}
