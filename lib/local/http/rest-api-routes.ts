// The routes of a template's API Gateway REST APIs (`AWS::ApiGateway::*`): the resource tree (nested path
// parts, `{id}`, `{proxy+}`), its methods (`ANY` included) with Lambda proxy integrations, the stage served
// (its name is the first part of the URL, its variables reach the event), `OPTIONS` methods with MOCK
// integrations (CORS preflights), Lambda authorizers and gateway responses. `LambdaRestApi` with
// `proxy: true` is one of these: `ANY /` and `ANY /{proxy+}`.
// @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
import { functionTarget } from './function-target';
import { REST_INTEGRATION_TIMEOUT_MS } from './gateway-facts';
import { AuthorizerInfo, ApiInfo, GatewayResponseConfig, HttpRoute, MockRoute, RefusedRoute, TemplateRoutes } from './routes';
import { Resources, constructPath, literalMap, refId, resourcesOfType, stringList } from './template-parts';

type Json = any;

export interface RestReadOptions {
  /** `--stage`: the stage to serve when an API has several. @default the first one */
  readonly stage?: string;
  readonly paths?: ReadonlyMap<string, string>;
}

/** `'value'` → `value`: method and gateway response parameters hold static values in single quotes. */
function staticValue(v: Json): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^'(.*)'$/s.exec(v);
  return m ? m[1] : undefined;
}

function headerParameters(params: Json, prefix: string): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const [k, v] of Object.entries<Json>(params ?? {})) {
    const value = staticValue(v);
    if (k.startsWith(prefix) && value !== undefined) out[k.slice(prefix.length)] = value;
  }
  return out;
}

export function restApiRoutes(stackName: string, template: Json, o: RestReadOptions = {}): TemplateRoutes {
  const resources: Resources = template?.Resources ?? {};
  const out: TemplateRoutes = { routes: [], mocks: [], refused: [] };
  for (const [apiId, apiRes] of resourcesOfType(resources, 'AWS::ApiGateway::RestApi')) {
    const apiPath = constructPath(stackName, apiId, apiRes, o.paths);
    const refuse = (method: string, path: string, reason: string) =>
      out.refused.push({ kind: 'rest', stackName, api: apiPath, method, path, reason } satisfies RefusedRoute);
    if (apiRes.Properties?.Body || apiRes.Properties?.BodyS3Location) {
      refuse('*', '*', 'the API is defined by an OpenAPI body (SpecRestApi); only APIs built from AWS::ApiGateway::Resource and Method are served');
      continue;
    }
    const belongs = (r: Json) => refId(r?.Properties?.RestApiId) === apiId;

    // Stages: an AWS::ApiGateway::Stage, or a Deployment's own StageName.
    const stages: { name: string; variables: { [k: string]: string } }[] = [];
    for (const [, s] of resourcesOfType(resources, 'AWS::ApiGateway::Stage')) {
      if (belongs(s) && typeof s.Properties?.StageName === 'string') stages.push({ name: s.Properties.StageName, variables: literalMap(s.Properties.Variables) });
    }
    for (const [, d] of resourcesOfType(resources, 'AWS::ApiGateway::Deployment')) {
      if (belongs(d) && typeof d.Properties?.StageName === 'string') {
        stages.push({ name: d.Properties.StageName, variables: literalMap(d.Properties.StageDescription?.Variables) });
      }
    }
    const stage = o.stage ? stages.find(s => s.name === o.stage) : stages[0];
    if (!stage) {
      refuse('*', '*', o.stage
        ? `it has no stage named ${o.stage} (stages: ${stages.map(s => s.name).join(', ') || 'none'})`
        : 'it has no stage (deploy: false?); a REST API is reached through a stage, so add one');
      continue;
    }

    const gatewayResponses: GatewayResponseConfig[] = resourcesOfType(resources, 'AWS::ApiGateway::GatewayResponse')
      .filter(([, g]) => belongs(g))
      .map(([, g]) => ({
        type: String(g.Properties?.ResponseType),
        statusCode: g.Properties?.StatusCode !== undefined ? Number(g.Properties.StatusCode) : undefined,
        headers: headerParameters(g.Properties?.ResponseParameters, 'gatewayresponse.header.'),
      }));
    const api: ApiInfo = {
      kind: 'rest',
      stackName,
      logicalId: apiId,
      path: apiPath,
      stage: stage.name,
      stageVariables: stage.variables,
      binaryMediaTypes: stringList(apiRes.Properties?.BinaryMediaTypes),
      gatewayResponses,
    };

    // The resource tree: each resource's full path from its parent chain.
    const paths = new Map<string, string>();
    const pathOf = (id: string | undefined, depth = 0): string | undefined => {
      if (!id || depth > 64) return undefined;
      if (id === apiId) return '';
      if (paths.has(id)) return paths.get(id);
      const r = resources[id];
      if (r?.Type !== 'AWS::ApiGateway::Resource') return undefined;
      const parent = r.Properties?.ParentId;
      const parentPath = refId(parent) === apiId ? '' : pathOf(refId(parent), depth + 1);
      if (parentPath === undefined || typeof r.Properties?.PathPart !== 'string') return undefined;
      const p = `${parentPath}/${r.Properties.PathPart}`;
      paths.set(id, p);
      return p;
    };

    const authorizers = new Map<string, AuthorizerInfo | string>();
    for (const [id, a] of resourcesOfType(resources, 'AWS::ApiGateway::Authorizer')) {
      if (!belongs(a)) continue;
      const p = a.Properties ?? {};
      if (p.Type !== 'TOKEN' && p.Type !== 'REQUEST') { authorizers.set(id, `its ${p.Type} authorizer is not emulated (only Lambda TOKEN and REQUEST authorizers are)`); continue; }
      const target = functionTarget(p.AuthorizerUri, resources);
      if ('error' in target) { authorizers.set(id, `its authorizer ${id} cannot be resolved to a function: ${target.error}`); continue; }
      authorizers.set(id, {
        logicalId: id,
        name: typeof p.Name === 'string' ? p.Name : id,
        kind: p.Type,
        function: { stackName, logicalId: target.logicalId },
        identitySource: typeof p.IdentitySource === 'string' ? p.IdentitySource.split(',').map((s: string) => s.trim()).filter(Boolean) : [],
        validationExpression: typeof p.IdentityValidationExpression === 'string' ? p.IdentityValidationExpression : undefined,
      });
    }

    for (const [, m] of resourcesOfType(resources, 'AWS::ApiGateway::Method')) {
      if (!belongs(m)) continue;
      const p = m.Properties ?? {};
      const method = String(p.HttpMethod ?? '').toUpperCase();
      const resourceId = refId(p.ResourceId);
      const path = pathOf(resourceId) ?? (refId(p.ResourceId) === apiId ? '' : undefined);
      if (path === undefined) { refuse(method, '?', `its resource ${JSON.stringify(p.ResourceId)} is not in this template`); continue; }
      const routePath = path || '/';
      const type = p.Integration?.Type;
      if (type === 'MOCK') {
        const first = (p.Integration?.IntegrationResponses ?? [])[0] ?? {};
        out.mocks.push({
          api,
          method,
          path: routePath,
          response: { statusCode: Number(first.StatusCode ?? 200), headers: headerParameters(first.ResponseParameters, 'method.response.header.') },
        } satisfies MockRoute);
        continue;
      }
      if (type !== 'AWS_PROXY') { refuse(method, routePath, `its integration type is ${type ?? 'missing'}; only Lambda proxy integrations (AWS_PROXY) are served`); continue; }
      const target = functionTarget(p.Integration?.Uri, resources);
      if ('error' in target) { refuse(method, routePath, `its integration cannot be resolved to a function: ${target.error}`); continue; }
      const authType = p.AuthorizationType ?? 'NONE';
      let auth: HttpRoute['auth'] = { type: 'NONE' };
      if (authType === 'CUSTOM') {
        const a = authorizers.get(refId(p.AuthorizerId) ?? '');
        if (!a) { refuse(method, routePath, `its authorizer ${JSON.stringify(p.AuthorizerId)} is not in this template`); continue; }
        if (typeof a === 'string') { refuse(method, routePath, a); continue; }
        auth = { type: 'LAMBDA', authorizer: a };
      } else if (authType === 'AWS_IAM') {
        refuse(method, routePath, IAM_REFUSAL);
        continue;
      } else if (authType !== 'NONE') {
        refuse(method, routePath, `its ${authType} authorization is not emulated (Lambda authorizers and JWT are)`);
        continue;
      }
      const timeout = Number(p.Integration?.TimeoutInMillis);
      out.routes.push({
        api,
        method,
        path: routePath,
        function: { stackName, logicalId: target.logicalId },
        payloadVersion: '1.0',
        auth,
        timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : REST_INTEGRATION_TIMEOUT_MS,
        resourceId: resourceId ?? apiId,
      });
    }
  }
  return out;
}

/**
 * AWS_IAM routes are refused, not served open: emulating them means checking a SigV4 signature and then
 * evaluating the caller's IAM policies for execute-api:Invoke, which needs the account's policies. A local
 * server that let every request through would hide a missing permission until deployment.
 */
export const IAM_REFUSAL = 'its AWS_IAM authorization is not emulated: a local check of SigV4 signatures cannot evaluate the caller\'s IAM policies. Test it deployed, or use a route without IAM auth locally';
