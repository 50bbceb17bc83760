// A template's Function URLs (`AWS::Lambda::Url`): every method and path goes to the function (payload
// 2.0, routeKey `$default`), with the URL's `Cors` and `InvokeMode` (BUFFERED or RESPONSE_STREAM).
// @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-url.html
// @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
import { functionTarget } from './function-target';
import { IAM_REFUSAL } from './rest-api-routes';
import { TemplateRoutes } from './routes';
import { Resources, constructPath, corsConfig, resourcesOfType } from './template-parts';

type Json = any;

export function functionUrlRoutes(stackName: string, template: Json, o: { readonly paths?: ReadonlyMap<string, string> } = {}): TemplateRoutes {
  const resources: Resources = template?.Resources ?? {};
  const out: TemplateRoutes = { routes: [], mocks: [], refused: [] };
  for (const [id, r] of resourcesOfType(resources, 'AWS::Lambda::Url')) {
    const p = r.Properties ?? {};
    const path = constructPath(stackName, id, r, o.paths);
    const refuse = (reason: string) => out.refused.push({ kind: 'url', stackName, api: path, method: 'ANY', path: '$default', reason });
    if (p.Qualifier !== undefined && typeof p.Qualifier !== 'string') { refuse('its Qualifier cannot be resolved'); continue; }
    const t = functionTarget(p.TargetFunctionArn, resources);
    if ('error' in t) { refuse(`its TargetFunctionArn cannot be resolved to a function: ${t.error}`); continue; }
    if (p.AuthType === 'AWS_IAM') { refuse(IAM_REFUSAL); continue; }
    out.routes.push({
      api: {
        kind: 'url',
        stackName,
        logicalId: id,
        path,
        stage: '$default',
        stageVariables: {},
        binaryMediaTypes: [],
        cors: corsConfig(p.Cors),
        gatewayResponses: [],
        invokeMode: p.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
      },
      method: 'ANY',
      path: '$default',
      function: { stackName, logicalId: t.logicalId },
      payloadVersion: '2.0',
      auth: { type: 'NONE' },
    });
  }
  return out;
}
