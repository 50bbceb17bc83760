// The values an authorizer's identity sources name in a request: headers, query parameters, stage
// variables. A request missing any of them is refused with 401 before the authorizer runs.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html#http-api-lambda-authorizer.identity-sources
// @see https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html (identitySource: method.request.header.X, method.request.querystring.Y, stageVariables.Z)
import { FrontDoorRequest, headerValues, queryPairs } from '../request';
import { ApiInfo } from '../routes';

/** Each source's value, in order; undefined for a source the request does not carry. */
export function identityValues(sources: readonly string[], r: FrontDoorRequest, api: ApiInfo): (string | undefined)[] {
  return sources.map(s => {
    const m = /^(?:\$request\.|method\.request\.)(header|querystring)\.(.+)$/.exec(s);
    if (m) {
      const values = m[1] === 'header' ? headerValues(r, m[2]) : queryPairs(r.rawQuery).filter(([k]) => k === m[2]).map(([, v]) => v);
      return values.length ? values.join(',') : undefined;
    }
    const sv = /^\$?stageVariables\.(.+)$/.exec(s);
    if (sv) return api.stageVariables[sv[1]];
    return undefined;
  });
}
