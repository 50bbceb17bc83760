// Small readers shared by the REST, HTTP API and Function URL route readers.
import { CorsConfig } from './routes';

type Json = any;

export type Resources = { [logicalId: string]: Json };

/**
 * The resource's construct path (without `/Resource`): from its `aws:cdk:path` metadata (cdk synth), else
 * from the assembly's `aws:cdk:logicalId` metadata (`paths`, which apps synthesized by a script also
 * have), else `<stack>/<logicalId>`.
 */
export function constructPath(stackName: string, logicalId: string, resource: Json, paths?: ReadonlyMap<string, string>): string {
  const p = resource?.Metadata?.['aws:cdk:path'] ?? paths?.get(logicalId);
  return typeof p === 'string' ? p.replace(/^\//, '').replace(/\/Resource$/, '') : `${stackName}/${logicalId}`;
}

/** The logical id a `{ Ref: X }` or `{ Fn::GetAtt: [X, …] }` points at. */
export function refId(v: Json): string | undefined {
  if (v && typeof v === 'object') {
    if (typeof v.Ref === 'string') return v.Ref;
    const g = v['Fn::GetAtt'];
    if (Array.isArray(g)) return String(g[0]);
    if (typeof g === 'string') return g.split('.')[0];
  }
  return undefined;
}

/** Resources of one type, as [logicalId, resource] pairs, in template order. */
export function resourcesOfType(resources: Resources, type: string): [string, Json][] {
  return Object.entries<Json>(resources).filter(([, r]) => r?.Type === type);
}

export function stringList(v: Json): string[] {
  return Array.isArray(v) ? v.filter(x => typeof x === 'string') : [];
}

/** Literal string values of a map (stage variables); expressions are left out. */
export function literalMap(v: Json): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const [k, x] of Object.entries<Json>(v ?? {})) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return out;
}

/** An HTTP API `CorsConfiguration` or a Function URL `Cors` (same field names). */
export function corsConfig(v: Json): CorsConfig | undefined {
  if (!v || typeof v !== 'object') return undefined;
  return {
    allowOrigins: stringList(v.AllowOrigins),
    allowMethods: stringList(v.AllowMethods).map(m => m.toUpperCase()),
    allowHeaders: stringList(v.AllowHeaders).map(h => h.toLowerCase()),
    exposeHeaders: stringList(v.ExposeHeaders).map(h => h.toLowerCase()),
    maxAge: typeof v.MaxAge === 'number' ? v.MaxAge : undefined,
    allowCredentials: v.AllowCredentials === true,
  };
}
