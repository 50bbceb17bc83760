// Whether a Lambda authorizer's IAM policy lets a request through: an explicit Deny of `execute-api:Invoke`
// on the method's ARN wins, else an Allow is needed. Resource ARNs may use `*` and `?` wildcards.
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
// @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html (execute-api ARNs)

type Json = any;

export type PolicyVerdict = 'allow' | 'deny' | 'no-allow' | 'malformed';

const list = (v: Json): Json[] => Array.isArray(v) ? v : v === undefined ? [] : [v];

function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map(ch => ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('')}$`);
  return re.test(value);
}

const invokes = (action: Json) => list(action).some(a => typeof a === 'string' && wildcard(a.toLowerCase(), 'execute-api:invoke'));

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading slash}`. */
export function executeApiArn(region: string, account: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

export function evaluatePolicy(policyDocument: Json, arn: string): PolicyVerdict {
  if (!policyDocument || typeof policyDocument !== 'object') return 'malformed';
  const statements = list(policyDocument.Statement);
  if (!statements.length) return 'malformed';
  let allowed = false;
  for (const s of statements) {
    if (!s || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) return 'malformed';
    const matches = invokes(s.Action) && list(s.Resource).some(r => typeof r === 'string' && wildcard(r, arn));
    if (!matches) continue;
    if (s.Effect === 'Deny') return 'deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'no-allow';
}
