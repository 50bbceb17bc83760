// The routes of a template's API Gateway HTTP APIs (`AWS::ApiGatewayV2::*`, protocol HTTP): each Route's
// key (`GET /items/{id}`, `ANY /{proxy+}`, `$default`), its `AWS_PROXY` Integration (the function and
// `PayloadFormatVersion` 1.0 or 2.0), the Stage served ($default, or a named stage as the URL's first part,
// with its variables), the API's `CorsConfiguration`, and Lambda and JWT authorizers.
// @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
import { functionTarget } from './function-target';
import { HTTP_INTEGRATION_TIMEOUT_MS } from './gateway-facts';
import { IAM_REFUSAL } from './rest-api-routes';
import { ApiInfo, AuthorizerInfo, RouteAuth, TemplateRoutes } from './routes';
import { Resources, constructPath, corsConfig, literalMap, refId, resourcesOfType, stringList } from './template-parts';

type Json = any;

export interface HttpReadOptions {
  /** `--stage`: the stage to serve when an API has several. @default $default, else the first */
  readonly stage?: string;
  readonly paths?: ReadonlyMap<string, string>;
}

/** `integrations/abc123` in a Route's Target: the Integration's logical id, from `Fn::Join` or `Ref`. */
function integrationId(target: Json): string | undefined {
  const join = target?.['Fn::Join'];
  if (Array.isArray(join)) return (join[1] ?? []).map(refId).find((x: string | undefined) => x);
  return refId(target);
}

export function httpApiRoutes(stackName: string, template: Json, o: HttpReadOptions = {}): TemplateRoutes {
  const resources: Resources = template?.Resources ?? {};
  const out: TemplateRoutes = { routes: [], mocks: [], refused: [] };
  for (const [apiId, apiRes] of resourcesOfType(resources, 'AWS::ApiGatewayV2::Api')) {
    const p = apiRes.Properties ?? {};
    const apiPath = constructPath(stackName, apiId, apiRes, o.paths);
    const refuse = (method: string, path: string, reason: string) =>
      out.refused.push({ kind: 'http', stackName, api: apiPath, method, path, reason });
    if (p.ProtocolType !== 'HTTP') { refuse('*', '*', `its protocol is ${p.ProtocolType}; only HTTP APIs are served`); continue; }
    if (p.Body || p.BodyS3Location) { refuse('*', '*', 'the API is defined by an OpenAPI body; only APIs built from AWS::ApiGatewayV2::Route are served'); continue; }
    const belongs = (r: Json) => refId(r?.Properties?.ApiId) === apiId;

    const stages = resourcesOfType(resources, 'AWS::ApiGatewayV2::Stage').filter(([, s]) => belongs(s)).map(([, s]) => s.Properties ?? {});
    const quickCreate = p.Target !== undefined;
    const stage = o.stage
      ? stages.find(s => s.StageName === o.stage)
      : stages.find(s => s.StageName === '$default') ?? stages[0] ?? (quickCreate ? { StageName: '$default' } : undefined);
    if (!stage) {
      refuse('*', '*', o.stage ? `it has no stage named ${o.stage} (stages: ${stages.map(s => s.StageName).join(', ') || 'none'})` : 'it has no stage; add one (CDK: createDefaultStage)');
      continue;
    }
    const api: ApiInfo = {
      kind: 'http',
      stackName,
      logicalId: apiId,
      path: apiPath,
      stage: String(stage.StageName),
      stageVariables: literalMap(stage.StageVariables),
      binaryMediaTypes: [],
      cors: corsConfig(p.CorsConfiguration),
      gatewayResponses: [],
    };

    // Quick create: the API's own Target is a $default route to a function, payload 2.0.
    if (quickCreate) {
      const t = functionTarget(p.Target, resources);
      if ('error' in t) refuse('ANY', '$default', `its Target cannot be resolved to a function: ${t.error}`);
      else out.routes.push({ api, method: 'ANY', path: '$default', function: { stackName, logicalId: t.logicalId }, payloadVersion: '2.0', auth: { type: 'NONE' }, timeoutMs: HTTP_INTEGRATION_TIMEOUT_MS });
    }

    const authorizers = new Map<string, AuthorizerInfo | string>();
    for (const [id, a] of resourcesOfType(resources, 'AWS::ApiGatewayV2::Authorizer')) {
      if (!belongs(a)) continue;
      const ap = a.Properties ?? {};
      const base = { logicalId: id, name: typeof ap.Name === 'string' ? ap.Name : id, identitySource: stringList(ap.IdentitySource) };
      if (ap.AuthorizerType === 'JWT') {
        authorizers.set(id, { ...base, kind: 'JWT', issuer: ap.JwtConfiguration?.Issuer, audience: stringList(ap.JwtConfiguration?.Audience) });
      } else if (ap.AuthorizerType === 'REQUEST') {
        const t = functionTarget(ap.AuthorizerUri, resources);
        if ('error' in t) { authorizers.set(id, `its authorizer ${id} cannot be resolved to a function: ${t.error}`); continue; }
        authorizers.set(id, {
          ...base,
          kind: 'REQUEST',
          function: { stackName, logicalId: t.logicalId },
          payloadVersion: ap.AuthorizerPayloadFormatVersion === '2.0' ? '2.0' : '1.0',
          simpleResponses: ap.EnableSimpleResponses === true,
        });
      } else {
        authorizers.set(id, `its ${ap.AuthorizerType} authorizer is not emulated`);
      }
    }

    for (const [, r] of resourcesOfType(resources, 'AWS::ApiGatewayV2::Route')) {
      if (!belongs(r)) continue;
      const rp = r.Properties ?? {};
      const key = String(rp.RouteKey ?? '');
      const [method, path] = key === '$default' ? ['ANY', '$default'] : key.split(' ');
      if (!method || !path) { refuse('?', key, `its route key ${key} is not "METHOD /path" or $default`); continue; }
      const integration = resources[integrationId(rp.Target) ?? ''];
      if (integration?.Type !== 'AWS::ApiGatewayV2::Integration') { refuse(method, path, 'it has no integration in this template'); continue; }
      const ip = integration.Properties ?? {};
      if (ip.IntegrationType !== 'AWS_PROXY' || (ip.IntegrationSubtype && ip.IntegrationSubtype !== '')) {
        refuse(method, path, `its integration type is ${ip.IntegrationType}${ip.IntegrationSubtype ? ` (${ip.IntegrationSubtype})` : ''}; only Lambda proxy integrations (AWS_PROXY) are served`);
        continue;
      }
      const t = functionTarget(ip.IntegrationUri, resources);
      if ('error' in t) { refuse(method, path, `its integration cannot be resolved to a function: ${t.error}`); continue; }
      let auth: RouteAuth = { type: 'NONE' };
      const authType = rp.AuthorizationType ?? 'NONE';
      if (authType === 'CUSTOM' || authType === 'JWT') {
        const a = authorizers.get(refId(rp.AuthorizerId) ?? '');
        if (!a) { refuse(method, path, `its authorizer ${JSON.stringify(rp.AuthorizerId)} is not in this template`); continue; }
        if (typeof a === 'string') { refuse(method, path, a); continue; }
        auth = a.kind === 'JWT' ? { type: 'JWT', authorizer: a, scopes: stringList(rp.AuthorizationScopes) } : { type: 'LAMBDA', authorizer: a };
      } else if (authType === 'AWS_IAM') {
        refuse(method, path, IAM_REFUSAL);
        continue;
      } else if (authType !== 'NONE') {
        refuse(method, path, `its ${authType} authorization is not emulated`);
        continue;
      }
      const timeout = Number(ip.TimeoutInMillis);
      out.routes.push({
        api,
        method: method.toUpperCase(),
        path,
        function: { stackName, logicalId: t.logicalId },
        // CloudFormation requires PayloadFormatVersion for Lambda integrations; 2.0 when a hand-written template leaves it out.
        payloadVersion: ip.PayloadFormatVersion === '1.0' ? '1.0' : '2.0',
        auth,
        timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : HTTP_INTEGRATION_TIMEOUT_MS,
      });
    }
  }
  return out;
}
