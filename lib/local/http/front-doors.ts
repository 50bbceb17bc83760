// Every front door of an app, each API or Function URL on its own port (so paths are exactly the deployed
// ones, and each is its own origin for CORS, as on AWS), sharing one warm pool per function. Under --watch,
// update() serves the app as re-synthesized: routes change in place, a new API gets a port of its own, a removed one
// stops listening, and replaced functions' pools retire.
import { KeySet } from './authorizers/jwt-authorizer';
import { FrontDoor, functionKey } from './front-door';
import { RouteRow, routeRow } from './route-table';
import { ApiInfo, HttpRoute, MockRoute } from './routes';
import { LocalFunction } from '../functions/local-function';
import { FunctionPools } from '../service/function-pools';
import { RebuildGate } from '../watch/rebuild-gate';

export interface FrontDoorsOptions {
  readonly routes: readonly HttpRoute[];
  readonly mocks: readonly MockRoute[];
  readonly functions: readonly LocalFunction[];
  readonly maxConcurrency: number;
  readonly jwks?: KeySet;
  readonly log: (text: string) => void;
  /** How long a request waits for a --watch rebuild. @default WATCH_REQUEST_WAIT_MS */
  readonly rebuildWaitMs?: number;
}

/** What the app's routes say now. */
export interface AppDoors {
  readonly routes: readonly HttpRoute[];
  readonly mocks: readonly MockRoute[];
  readonly functions: readonly LocalFunction[];
}

const apiKey = (api: ApiInfo) => `${api.stackName}/${api.logicalId}`;

export class FrontDoors {
  readonly pools: FunctionPools;
  /** Requests wait here while --watch rebuilds. */
  readonly gate: RebuildGate;
  private readonly doors = new Map<string, FrontDoor>();
  private readonly ports = new Map<FrontDoor, number>();
  /** The functions served, by `<stack>/<logicalId>`: one map every door reads, so a swap reaches them all at once. */
  private readonly byKey = new Map<string, LocalFunction>();
  private current: AppDoors;
  private host = '127.0.0.1';
  private basePort = 0;

  constructor(private readonly o: FrontDoorsOptions) {
    this.pools = new FunctionPools({ maxConcurrency: o.maxConcurrency, log: o.log });
    this.gate = new RebuildGate(o.rebuildWaitMs);
    this.current = { routes: o.routes, mocks: o.mocks, functions: o.functions };
    for (const f of o.functions) this.byKey.set(functionKey(f.spec), f);
    for (const [id, api] of apisOf(o.routes)) this.doors.set(id, this.door(api, o.routes, o.mocks));
  }

  get apis(): ApiInfo[] {
    return [...this.doors.values()].map(d => d.api);
  }

  /** The functions served now. */
  get functions(): readonly LocalFunction[] {
    return this.current.functions;
  }

  /** Listens on `port`, `port + 1`, … (or any free ports with 0); returns each API's port. */
  async listen(port: number, host: string): Promise<Map<ApiInfo, number>> {
    this.host = host;
    this.basePort = port;
    for (const [i, d] of [...this.doors.values()].entries()) this.ports.set(d, await d.listen(port === 0 ? 0 : port + i, host));
    return new Map([...this.doors.values()].map(d => [d.api, this.ports.get(d)!]));
  }

  /** Starts one environment of every function the routes use (`--warm`). */
  async prewarm(): Promise<void> {
    await Promise.all(this.current.functions.map(f => this.pools.poolOf(f).prewarm()));
  }

  rows(): RouteRow[] {
    const pathOf = new Map(this.current.functions.map(f => [functionKey(f.spec), f.spec.path]));
    const portOf = (r: HttpRoute) => this.ports.get(this.doors.get(apiKey(r.api))!) ?? 0;
    return this.current.routes
      .map(r => routeRow(r, portOf(r), this.host, pathOf.get(functionKey(r.function)) ?? functionKey(r.function)))
      .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }

  /**
   * Serves `next` from now on (--watch): resolves once the replaced functions' requests are answered. Returns what
   * changed for the user: routes added and gone (with their URLs).
   */
  async update(next: AppDoors): Promise<string[]> {
    const before = this.rows();
    this.current = next;
    this.byKey.clear();
    for (const f of next.functions) this.byKey.set(functionKey(f.spec), f);
    const apis = apisOf(next.routes);
    for (const [id, door] of [...this.doors]) {
      if (apis.has(id)) continue;
      this.doors.delete(id);
      this.ports.delete(door);
      await door.close();
    }
    for (const [id, api] of apis) {
      const existing = this.doors.get(id);
      const routes = next.routes.filter(r => apiKey(r.api) === id);
      const mocks = next.mocks.filter(m => apiKey(m.api) === id);
      if (existing) { existing.update({ api, routes, mocks }); continue; }
      const door = this.door(api, next.routes, next.mocks);
      this.doors.set(id, door);
      this.ports.set(door, await this.listenNew(door));
    }
    await this.pools.retireAllBut(next.functions);
    const after = this.rows();
    const key = (r: RouteRow) => `${r.method} ${r.url}`;
    const had = new Set(before.map(key));
    const has = new Set(after.map(key));
    return [
      ...after.filter(r => !had.has(key(r))).map(r => `route added: ${r.method} ${r.url} → ${r.function}`),
      ...before.filter(r => !has.has(key(r))).map(r => `route gone: ${r.method} ${r.url}`),
    ];
  }

  /** Stops every listener and removes every container. */
  async close(): Promise<void> {
    await Promise.all([...this.doors.values()].map(d => d.close()));
    await this.pools.close();
  }

  private door(api: ApiInfo, routes: readonly HttpRoute[], mocks: readonly MockRoute[]): FrontDoor {
    const id = apiKey(api);
    return new FrontDoor({
      api,
      routes: routes.filter(r => apiKey(r.api) === id),
      mocks: mocks.filter(m => apiKey(m.api) === id),
      functions: this.byKey,
      pools: this.pools,
      jwks: this.o.jwks,
      log: this.o.log,
      gate: this.gate,
    });
  }

  /** A port for an API that appeared after the start: the next free one after those in use (any, with --port 0). */
  private async listenNew(door: FrontDoor): Promise<number> {
    if (this.basePort === 0) return door.listen(0, this.host);
    let port = Math.max(this.basePort - 1, ...this.ports.values()) + 1;
    for (let tries = 0; ; tries++, port++) {
      try {
        return await door.listen(port, this.host);
      } catch (e) {
        if (tries >= 20 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
  }
}

/** The APIs the routes belong to, by `<stack>/<logicalId>`, in the order of their paths (so ports are stable). */
function apisOf(routes: readonly HttpRoute[]): Map<string, ApiInfo> {
  const apis = new Map<string, ApiInfo>();
  for (const r of routes) apis.set(apiKey(r.api), r.api);
  return new Map([...apis.entries()].sort(([, a], [, b]) => a.path.localeCompare(b.path)));
}
