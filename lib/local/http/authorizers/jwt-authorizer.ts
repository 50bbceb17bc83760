// HTTP API JWT authorizers, checked as API Gateway checks them: the token from the identity source (a
// leading `Bearer ` dropped), its signature against the keys of a local JWKS file (`--jwks`; API Gateway
// fetches the issuer's, which a local server must not), `iss` equal to the configured issuer, `aud` or
// `client_id` one of the configured audiences, `exp` present and in the future, `nbf` and `iat` in the
// past, and, when the route names scopes, at least one of them in `scope` or `scp`. A bad token is 401, a
// good token without a needed scope 403. The claims and scopes reach `requestContext.authorizer.jwt`.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
import * as fs from 'fs';
import { JSONWebKeySet, createLocalJWKSet, jwtVerify } from 'jose';
import { identityValues } from './identity-source';
import { AuthDecision } from './lambda-authorizer';
import { FrontDoorRequest } from '../request';
import { ApiInfo, AuthorizerInfo } from '../routes';

type Json = any;

export type KeySet = ReturnType<typeof createLocalJWKSet>;

/** Reads a JWKS file (`{ "keys": [...] }`), with a message naming the file and the fix when it is not one. */
export function readJwks(file: string): KeySet {
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--jwks ${file}: ${(e as Error).message}. Pass a JSON Web Key Set file: {"keys": [...]}, e.g. your issuer's /.well-known/jwks.json.`);
  }
  if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new Error(`--jwks ${file}: not a JSON Web Key Set (expected {"keys": [...]} with at least one key).`);
  }
  try {
    return createLocalJWKSet(jwks);
  } catch (e) {
    throw new Error(`--jwks ${file}: ${(e as Error).message}`);
  }
}

/** API Gateway gives claims as strings: arrays as `[a b]`. */
function claimString(v: Json): string {
  if (Array.isArray(v)) return `[${v.join(' ')}]`;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

function scopesOf(claims: Json): string[] {
  const s = claims.scope ?? claims.scp;
  if (typeof s === 'string') return s.split(' ').filter(Boolean);
  return Array.isArray(s) ? s.map(String) : [];
}

export interface JwtRequest {
  readonly authorizer: AuthorizerInfo;
  /** The route's AuthorizationScopes. */
  readonly scopes: readonly string[];
  readonly request: FrontDoorRequest;
  readonly api: ApiInfo;
  readonly keys: KeySet;
  /** The route's payload version: 2.0 nests the result under `jwt`. */
  readonly payloadVersion: '1.0' | '2.0';
  readonly now?: Date;
}

export async function checkJwt(j: JwtRequest): Promise<AuthDecision> {
  const unauthorized = (why: string): AuthDecision => ({ allow: false, error: 'UNAUTHORIZED', why });
  const [raw] = identityValues(j.authorizer.identitySource.length ? j.authorizer.identitySource : ['$request.header.Authorization'], j.request, j.api);
  if (!raw) return unauthorized('no token in the identity source');
  const token = raw.replace(/^Bearer\s+/i, '');
  let claims: Json;
  try {
    const verified = await jwtVerify(token, j.keys, { issuer: j.authorizer.issuer, currentDate: j.now, requiredClaims: ['exp'] });
    claims = verified.payload;
  } catch (e) {
    return unauthorized(`the token was refused: ${(e as Error).message}`);
  }
  if (typeof claims.iat === 'number' && claims.iat * 1000 > (j.now ?? new Date()).getTime() + 1000) return unauthorized('the token is issued in the future (iat)');
  const audiences = j.authorizer.audience ?? [];
  const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud !== undefined ? [claims.aud] : [];
  const tokenAud = [...aud, ...(claims.client_id !== undefined ? [claims.client_id] : [])];
  if (audiences.length && !tokenAud.some(a => audiences.includes(String(a)))) return unauthorized(`the token's audience (${tokenAud.join(', ') || 'none'}) is not one of ${audiences.join(', ')}`);
  const scopes = scopesOf(claims);
  if (j.scopes.length && !j.scopes.some(s => scopes.includes(s))) {
    return { allow: false, error: 'ACCESS_DENIED', why: `the token has none of the route's scopes (${j.scopes.join(', ')})` };
  }
  const stringClaims = Object.fromEntries(Object.entries<Json>(claims).map(([k, v]) => [k, claimString(v)]));
  const result = { claims: stringClaims, scopes: scopes.length ? scopes : null };
  return { allow: true, context: j.payloadVersion === '2.0' ? { jwt: result } : result };
}
