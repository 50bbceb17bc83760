// Every route of one stack's template: REST APIs, HTTP APIs and Function URLs.
import { functionUrlRoutes } from './function-url-routes';
import { httpApiRoutes } from './http-api-routes';
import { restApiRoutes } from './rest-api-routes';
import { TemplateRoutes } from './routes';

export interface RouteReadOptions {
  /** `--stage`: the stage to serve for APIs with several. */
  readonly stage?: string;
  /** Construct paths by logical id, from the assembly's `aws:cdk:logicalId` metadata (for templates without `aws:cdk:path`). */
  readonly paths?: ReadonlyMap<string, string>;
}

export function templateRoutes(stackName: string, template: unknown, o: RouteReadOptions = {}): TemplateRoutes {
  const parts = [restApiRoutes(stackName, template, o), httpApiRoutes(stackName, template, o), functionUrlRoutes(stackName, template, o)];
  return {
    routes: parts.flatMap(p => p.routes),
    mocks: parts.flatMap(p => p.mocks),
    refused: parts.flatMap(p => p.refused),
  };
}
