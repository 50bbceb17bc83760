// The routes of a whole app, checked against what can run locally: each route's function (and Lambda
// authorizer) must be a container-image function of the app, and JWT routes need keys (`--jwks`). The
// others join the refused list with the reason and the fix.
import { HttpRoute, MockRoute, RefusedRoute, TemplateRoutes } from './routes';
import { constructPath } from './template-parts';
import { RouteReadOptions, templateRoutes } from './template-routes';

export interface AppStackTemplate {
  readonly stackName: string;
  readonly template: unknown;
  /** Construct paths by logical id (the assembly's `aws:cdk:logicalId` metadata). */
  readonly paths?: ReadonlyMap<string, string>;
}

export interface AppRouteOptions extends RouteReadOptions {
  /** `<stack>/<logicalId>` of every container-image function of the app. */
  readonly imageFunctions: ReadonlySet<string>;
  /** Paths of functions by `<stack>/<logicalId>`, for messages. */
  readonly functionPaths: ReadonlyMap<string, string>;
  /** Whether `--jwks` was given. */
  readonly haveJwks: boolean;
}

const key = (f: { stackName: string; logicalId: string }) => `${f.stackName}/${f.logicalId}`;

export function appRoutes(stacks: readonly AppStackTemplate[], o: AppRouteOptions): TemplateRoutes {
  const routes: HttpRoute[] = [];
  const mocks: MockRoute[] = [];
  const refused: RefusedRoute[] = [];
  for (const s of stacks) {
    const t = templateRoutes(s.stackName, s.template, { ...o, paths: s.paths });
    mocks.push(...t.mocks);
    refused.push(...t.refused);
    for (const r of t.routes) {
      const refuse = (reason: string) =>
        refused.push({ kind: r.api.kind, stackName: r.api.stackName, api: r.api.path, method: r.method, path: r.path, reason });
      const fns = [r.function, ...(r.auth.type === 'LAMBDA' && r.auth.authorizer.function ? [r.auth.authorizer.function] : [])];
      const zip = fns.find(f => !o.imageFunctions.has(key(f)));
      if (zip) {
        const resource = (s.template as any)?.Resources?.[zip.logicalId];
        refuse(`${o.functionPaths.get(key(zip)) ?? constructPath(zip.stackName, zip.logicalId, resource, s.paths)} is not a container-image function (a zip function); \`api\` runs the app's container-image functions only`);
        continue;
      }
      if (r.auth.type === 'JWT' && !o.haveJwks) {
        refuse(`its JWT authorizer needs the issuer's keys: pass --jwks FILE with a JSON Web Key Set (for ${r.auth.authorizer.issuer ?? 'the issuer'}: its /.well-known/jwks.json)`);
        continue;
      }
      routes.push(r);
    }
  }
  return { routes, mocks, refused };
}
