// Every front door of an app, each API or Function URL on its own port (so paths are exactly the deployed
// ones, and each is its own origin for CORS, as on AWS), sharing one warm pool per function.
import { KeySet } from './authorizers/jwt-authorizer';
import { FrontDoor, functionKey } from './front-door';
import { FunctionPools } from './function-pools';
import { RouteRow, routeRow } from './route-table';
import { ApiInfo, HttpRoute, MockRoute } from './routes';
import { LocalFunction } from '../functions/local-function';

export interface FrontDoorsOptions {
  readonly routes: readonly HttpRoute[];
  readonly mocks: readonly MockRoute[];
  readonly functions: readonly LocalFunction[];
  readonly maxConcurrency: number;
  readonly jwks?: KeySet;
  readonly log: (text: string) => void;
}

export class FrontDoors {
  readonly pools: FunctionPools;
  private readonly doors: FrontDoor[] = [];
  private readonly ports = new Map<FrontDoor, number>();
  private host = '127.0.0.1';

  constructor(private readonly o: FrontDoorsOptions) {
    this.pools = new FunctionPools({ maxConcurrency: o.maxConcurrency, log: o.log });
    const functions = new Map(o.functions.map(f => [functionKey(f.spec), f]));
    const apis = new Map<string, ApiInfo>();
    for (const r of o.routes) apis.set(`${r.api.stackName}/${r.api.logicalId}`, r.api);
    const sorted = [...apis.entries()].sort(([, a], [, b]) => a.path.localeCompare(b.path));
    for (const [id, api] of sorted) {
      this.doors.push(new FrontDoor({
        api,
        routes: o.routes.filter(r => `${r.api.stackName}/${r.api.logicalId}` === id),
        mocks: o.mocks.filter(m => `${m.api.stackName}/${m.api.logicalId}` === id),
        functions,
        pools: this.pools,
        jwks: o.jwks,
        log: o.log,
      }));
    }
  }

  get apis(): ApiInfo[] {
    return this.doors.map(d => d.api);
  }

  /** Listens on `port`, `port + 1`, … (or any free ports with 0); returns each API's port. */
  async listen(port: number, host: string): Promise<Map<ApiInfo, number>> {
    this.host = host;
    for (const [i, d] of this.doors.entries()) this.ports.set(d, await d.listen(port === 0 ? 0 : port + i, host));
    return new Map(this.doors.map(d => [d.api, this.ports.get(d)!]));
  }

  /** Starts one environment of every function the routes use (`--warm`). */
  async prewarm(): Promise<void> {
    await Promise.all(this.o.functions.map(f => this.pools.poolOf(f).prewarm()));
  }

  rows(): RouteRow[] {
    const pathOf = new Map(this.o.functions.map(f => [functionKey(f.spec), f.spec.path]));
    const portOf = (r: HttpRoute) => this.ports.get(this.doors.find(d => d.api === r.api)!) ?? 0;
    return this.o.routes
      .map(r => routeRow(r, portOf(r), this.host, pathOf.get(functionKey(r.function)) ?? functionKey(r.function)))
      .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }

  /** Stops every listener and removes every container. */
  async close(): Promise<void> {
    await Promise.all(this.doors.map(d => d.close()));
    await this.pools.close();
  }
}
