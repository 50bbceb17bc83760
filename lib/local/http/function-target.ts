// Which function of the template an integration, authorizer or Function URL points at. CDK writes the
// target as an intrinsic: `Fn::GetAtt [Fn, Arn]` (HTTP API integrations, Function URLs), an `Fn::Join`
// of the API Gateway invocation URI around it (REST integrations, authorizers), or an `Fn::Sub` (hand-
// written templates). Aliases and versions lead to their function. Anything else is refused, with why.
// @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
// @see https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html (uri: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations)

type Json = any;

export type TargetResult = { readonly logicalId: string } | { readonly error: string };

/** Resolves `value` to the logical id of one `AWS::Lambda::Function` in `resources`. */
export function functionTarget(value: Json, resources: { [id: string]: Json }): TargetResult {
  const found = new Set<string>();
  const problems: string[] = [];
  collect(value, resources, found, problems, 0);
  if (found.size === 1) return { logicalId: [...found][0] };
  if (found.size > 1) return { error: `it names more than one function (${[...found].join(', ')})` };
  return { error: problems[0] ?? `no function of this stack is named in ${JSON.stringify(value).slice(0, 200)}` };
}

function isFunction(resources: { [id: string]: Json }, id: string): boolean {
  return resources[id]?.Type === 'AWS::Lambda::Function';
}

/** A resource id to its function: the function itself, or an alias's or version's function. */
function throughResource(id: string, resources: { [id: string]: Json }, found: Set<string>, problems: string[], depth: number): boolean {
  const r = resources[id];
  if (!r) return false;
  if (r.Type === 'AWS::Lambda::Function') { found.add(id); return true; }
  if (r.Type === 'AWS::Lambda::Alias' || r.Type === 'AWS::Lambda::Version') {
    collect(r.Properties?.FunctionName, resources, found, problems, depth + 1);
    return true;
  }
  return false;
}

function collect(v: Json, resources: { [id: string]: Json }, found: Set<string>, problems: string[], depth: number): void {
  if (depth > 8 || v === null || v === undefined) return;
  if (typeof v === 'string') {
    literalArn(v, resources, found);
    return;
  }
  if (Array.isArray(v)) { for (const x of v) collect(x, resources, found, problems, depth + 1); return; }
  if (typeof v !== 'object') return;
  if ('Ref' in v) { throughResource(String(v.Ref), resources, found, problems, depth); return; }
  if ('Fn::GetAtt' in v) {
    const [id] = typeof v['Fn::GetAtt'] === 'string' ? v['Fn::GetAtt'].split('.') : v['Fn::GetAtt'];
    throughResource(String(id), resources, found, problems, depth);
    return;
  }
  if ('Fn::Join' in v) { collect(v['Fn::Join']?.[1], resources, found, problems, depth + 1); return; }
  if ('Fn::Sub' in v) {
    const [text, vars] = typeof v['Fn::Sub'] === 'string' ? [v['Fn::Sub'], {}] : v['Fn::Sub'];
    for (const [, name] of String(text).matchAll(/\$\{([^}!]+)\}/g)) {
      if (vars && name in vars) { collect(vars[name], resources, found, problems, depth + 1); continue; }
      throughResource(name.split('.')[0], resources, found, problems, depth);
    }
    literalArn(String(text), resources, found);
    return;
  }
  if ('Fn::ImportValue' in v) {
    problems.push('it imports the function from another stack (Fn::ImportValue); serve the stack that defines the function and its API together');
    return;
  }
  // Fn::Select, Fn::Split, Fn::If…: the function is named somewhere inside (CDK builds a TOKEN
  // authorizer's URI from Fn::Select over Fn::Split of the function's ARN).
  const before = found.size;
  for (const x of Object.values(v)) collect(x, resources, found, problems, depth + 1);
  const fn = Object.keys(v).find(k => k.startsWith('Fn::'));
  if (fn && found.size === before) problems.push(`${fn} cannot be resolved locally`);
}

/** A literal function ARN: matched against the functions' literal `FunctionName`. */
function literalArn(text: string, resources: { [id: string]: Json }, found: Set<string>): void {
  const m = /:function:([A-Za-z0-9_-]+)/.exec(text);
  if (!m) return;
  for (const [id, r] of Object.entries<Json>(resources)) {
    if (isFunction(resources, id) && r.Properties?.FunctionName === m[1]) found.add(id);
  }
}
