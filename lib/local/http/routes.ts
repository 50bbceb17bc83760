// What the `api` command serves: one route per API Gateway method or route and per Function URL, read
// from the synthesized templates, and the routes it cannot serve with the reason. Pure data: the readers
// (rest-api-routes, http-api-routes, function-url-routes) build it, route-match and the server use it.

/** `rest`: API Gateway REST API; `http`: API Gateway HTTP API; `url`: Lambda Function URL. */
export type ApiKind = 'rest' | 'http' | 'url';

/** A function of the app, as the templates name it. */
export interface FunctionRef {
  readonly stackName: string;
  readonly logicalId: string;
}

/** CORS as an HTTP API's `CorsConfiguration` or a Function URL's `Cors` states it. */
export interface CorsConfig {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge?: number;
  readonly allowCredentials: boolean;
}

/** A REST API's `OPTIONS` method with a MOCK integration: the preflight answer it was given. */
export interface MockResponse {
  readonly statusCode: number;
  readonly headers: { readonly [name: string]: string };
}

/** A REST API `AWS::ApiGateway::GatewayResponse`: headers added to API Gateway's own answers of one type. */
export interface GatewayResponseConfig {
  /** `DEFAULT_4XX`, `DEFAULT_5XX`, `UNAUTHORIZED`, `ACCESS_DENIED`, `MISSING_AUTHENTICATION_TOKEN`, … */
  readonly type: string;
  readonly statusCode?: number;
  readonly headers: { readonly [name: string]: string };
}

/** One API or Function URL: everything routes of it share. */
export interface ApiInfo {
  readonly kind: ApiKind;
  readonly stackName: string;
  readonly logicalId: string;
  /** Construct path of the API or URL resource (without `/Resource`). */
  readonly path: string;
  /** The stage served ($default for HTTP APIs without stages and for Function URLs). */
  readonly stage: string;
  readonly stageVariables: { readonly [name: string]: string };
  /** REST: `BinaryMediaTypes`. */
  readonly binaryMediaTypes: readonly string[];
  /** HTTP API `CorsConfiguration` or Function URL `Cors`. */
  readonly cors?: CorsConfig;
  /** REST: `AWS::ApiGateway::GatewayResponse` resources of the API. */
  readonly gatewayResponses: readonly GatewayResponseConfig[];
  /** Function URL `InvokeMode`. */
  readonly invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

export type AuthorizerKind = 'TOKEN' | 'REQUEST' | 'JWT';

/** A Lambda (TOKEN/REQUEST) or JWT authorizer. */
export interface AuthorizerInfo {
  readonly logicalId: string;
  readonly name: string;
  readonly kind: AuthorizerKind;
  /** Lambda authorizers: the function. */
  readonly function?: FunctionRef;
  /** `$request.header.Authorization` (HTTP) or `method.request.header.Authorization` (REST), as written. */
  readonly identitySource: readonly string[];
  /** HTTP API Lambda authorizers: `AuthorizerPayloadFormatVersion`. */
  readonly payloadVersion?: '1.0' | '2.0';
  /** HTTP API Lambda authorizers: `EnableSimpleResponses`. */
  readonly simpleResponses?: boolean;
  /** JWT: issuer and audiences. */
  readonly issuer?: string;
  readonly audience?: readonly string[];
  /** REST TOKEN: `IdentityValidationExpression`. */
  readonly validationExpression?: string;
}

export type RouteAuth =
  | { readonly type: 'NONE' }
  | { readonly type: 'LAMBDA'; readonly authorizer: AuthorizerInfo }
  | { readonly type: 'JWT'; readonly authorizer: AuthorizerInfo; readonly scopes: readonly string[] };

/** One servable route. */
export interface HttpRoute {
  readonly api: ApiInfo;
  /** `GET`, `POST`, … or `ANY`. */
  readonly method: string;
  /** `/items/{id}`, `/{proxy+}`; `$default` for an HTTP API's $default route and for Function URLs. */
  readonly path: string;
  readonly function: FunctionRef;
  readonly payloadVersion: '1.0' | '2.0';
  readonly auth: RouteAuth;
  /** The integration's timeout (REST at most 29 s, HTTP API at most 30 s); Function URLs: none. */
  readonly timeoutMs?: number;
  /** REST: the route's resource id (`requestContext.resourceId`). */
  readonly resourceId?: string;
}

/** A REST API `OPTIONS` method answered by a MOCK integration (the usual CORS preflight). */
export interface MockRoute {
  readonly api: ApiInfo;
  readonly method: string;
  readonly path: string;
  readonly response: MockResponse;
}

/** Something the templates declare that `api` does not serve, and why. */
export interface RefusedRoute {
  readonly kind: ApiKind;
  readonly stackName: string;
  /** Construct path of the API or URL. */
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly reason: string;
}

export interface TemplateRoutes {
  readonly routes: HttpRoute[];
  readonly mocks: MockRoute[];
  readonly refused: RefusedRoute[];
}

/** `GET /items/{id}` — how messages and the route table name a route. */
export function routeName(r: { method: string; path: string }): string {
  return r.path === '$default' ? (r.method === 'ANY' ? '$default' : `${r.method} $default`) : `${r.method} ${r.path}`;
}
