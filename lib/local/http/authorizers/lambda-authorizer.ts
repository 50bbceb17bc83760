// Lambda authorizers, run as local functions of the app before the route's function.
//
// REST TOKEN: `{ type: 'TOKEN', authorizationToken, methodArn }`, the token checked first against the
// authorizer's IdentityValidationExpression. REST REQUEST: the request's 1.0 fields without the body, with
// `type` and `methodArn`. The answer is an IAM policy (principalId, policyDocument, context); its context
// reaches `requestContext.authorizer` with principalId.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
//
// HTTP API REQUEST: payload 1.0 (the REST shape plus `identitySource` and `authorizationToken`) or 2.0
// (`type`, `routeArn`, `identitySource` as a list, and the 2.0 request fields). With simple responses the
// answer is `{ isAuthorized, context }`, else an IAM policy. The context reaches
// `requestContext.authorizer.lambda` (2.0) or `requestContext.authorizer` (1.0).
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
//
// A function error whose message is `Unauthorized` means 401; any other error, or an answer of the wrong
// shape, means 500 (REST: AUTHORIZER_FAILURE). Results are not cached: every request runs the authorizer.
import { identityValues } from './identity-source';
import { PolicyVerdict, evaluatePolicy, executeApiArn } from './policy';
import { eventV1 } from '../event-v1';
import { eventV2 } from '../event-v2';
import { GatewayErrorType } from '../gateway-errors';
import { EventSite, FrontDoorRequest } from '../request';
import { AuthorizerInfo, FunctionRef, HttpRoute, routeName } from '../routes';

type Json = any;

export interface FunctionAnswer {
  readonly payload: Buffer;
  readonly functionError: boolean;
}

export interface AuthorizerRequest {
  readonly route: HttpRoute;
  readonly authorizer: AuthorizerInfo;
  readonly request: FrontDoorRequest;
  readonly site: EventSite;
  /** The path within the stage. */
  readonly path: string;
  readonly pathParameters?: { [name: string]: string };
  readonly invoke: (fn: FunctionRef, event: Json) => Promise<FunctionAnswer>;
}

export type AuthDecision =
  | { readonly allow: true; readonly context: Json }
  | { readonly allow: false; readonly error: GatewayErrorType; readonly implicit?: boolean; readonly why: string };

const deny = (error: GatewayErrorType, why: string, implicit?: boolean): AuthDecision => ({ allow: false, error, why, implicit });

/** The authorizer event for this request (exported for tests). */
export function authorizerEvent(a: AuthorizerRequest, identity: string[]): Json {
  const { route, request, site } = a;
  const arn = executeApiArn(site.region, site.accountId, site.apiId, site.api.stage, request.method, a.path);
  if (a.authorizer.kind === 'TOKEN') return { type: 'TOKEN', authorizationToken: identity[0], methodArn: arn };
  if (route.api.kind === 'http' && a.authorizer.payloadVersion === '2.0') {
    const e = eventV2(request, site, { routeKey: routeName(route), pathParameters: a.pathParameters });
    delete e.body;
    delete e.isBase64Encoded;
    return { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: identity, ...e };
  }
  const e = eventV1(request, site, { resource: route.path, path: a.path, pathParameters: a.pathParameters, resourceId: route.resourceId });
  delete e.body;
  delete e.isBase64Encoded;
  const extra = route.api.kind === 'http' ? { identitySource: identity.join(','), authorizationToken: identity.join(',') } : {};
  return { type: 'REQUEST', methodArn: arn, ...e, ...extra };
}

function contextOk(context: Json, rest: boolean): boolean {
  if (context === undefined || context === null) return true;
  if (typeof context !== 'object' || Array.isArray(context)) return false;
  // REST: context values must be strings, numbers or booleans.
  return !rest || Object.values(context).every(v => ['string', 'number', 'boolean'].includes(typeof v));
}

export async function runLambdaAuthorizer(a: AuthorizerRequest): Promise<AuthDecision> {
  const fn = a.authorizer.function!;
  const identity = identityValues(a.authorizer.identitySource, a.request, a.site.api);
  if (identity.some(v => v === undefined || v === '')) return deny('UNAUTHORIZED', `identity source missing: ${a.authorizer.identitySource.join(', ')}`);
  const values = identity as string[];
  if (a.authorizer.validationExpression && !new RegExp(`^(?:${a.authorizer.validationExpression})$`).test(values[0])) {
    return deny('UNAUTHORIZED', 'the token does not match the authorizer\'s IdentityValidationExpression');
  }
  const answer = await a.invoke(fn, authorizerEvent(a, values));
  let out: Json;
  try { out = JSON.parse(answer.payload.toString('utf8')); } catch { return deny('AUTHORIZER_FAILURE', 'the authorizer\'s answer is not JSON'); }
  if (answer.functionError) {
    return out?.errorMessage === 'Unauthorized'
      ? deny('UNAUTHORIZED', 'the authorizer answered Unauthorized')
      : deny('AUTHORIZER_FAILURE', `the authorizer failed: ${out?.errorType ?? ''} ${out?.errorMessage ?? ''}`.trim());
  }
  const rest = a.route.api.kind === 'rest';
  if (!out || typeof out !== 'object') return deny('AUTHORIZER_FAILURE', 'the authorizer\'s answer is not an object');
  if (!rest && a.authorizer.simpleResponses && typeof out.isAuthorized === 'boolean') {
    if (!contextOk(out.context, false)) return deny('AUTHORIZER_FAILURE', 'the authorizer\'s context is not an object');
    return out.isAuthorized ? { allow: true, context: authorizerContext(a, out) } : deny('ACCESS_DENIED', 'the authorizer answered isAuthorized: false');
  }
  const arn = executeApiArn(a.site.region, a.site.accountId, a.site.apiId, a.site.api.stage, a.request.method, a.path);
  const verdict: PolicyVerdict = evaluatePolicy(out.policyDocument, arn);
  if (verdict === 'malformed' || !contextOk(out.context, rest)) {
    return deny('AUTHORIZER_FAILURE', 'the authorizer\'s answer is not an IAM policy with Allow or Deny statements (and, for REST, a context of strings, numbers and booleans)');
  }
  if (verdict === 'deny') return deny('ACCESS_DENIED', `the policy denies ${arn}`);
  if (verdict === 'no-allow') return deny('ACCESS_DENIED', `the policy does not allow ${arn}`, true);
  return { allow: true, context: authorizerContext(a, out) };
}

/** What reaches `requestContext.authorizer`. */
function authorizerContext(a: AuthorizerRequest, out: Json): Json {
  const context = out.context ?? {};
  if (a.route.api.kind === 'http' && a.route.payloadVersion === '2.0') return { lambda: context };
  return { ...context, ...(out.principalId !== undefined ? { principalId: out.principalId } : {}), integrationLatency: 0 };
}
