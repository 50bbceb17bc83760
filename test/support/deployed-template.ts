/**
 * What CloudFormation would make of synthesized templates once deployed, for IAM simulation: the intrinsic functions
 * in a policy become the strings a deployed stack holds.
 *
 * - Pseudo parameters take the stack's deployment: `AWS::AccountId`, `AWS::Region`, `AWS::Partition` (`aws`),
 *   `AWS::URLSuffix` (`amazonaws.com`).
 * - `Ref` of a resource is its physical name: the name property when the template sets one (RoleName, RepositoryName,
 *   FunctionName, LogGroupName), otherwise the name CloudFormation generates, `<stack>-<logical id>-<suffix>`
 *   (lower case for ECR repositories, whose names must be), with a fixed suffix standing in for CloudFormation's random one.
 * - `Fn::GetAtt [id, Arn]` is the ARN AWS documents for that resource type, built from the physical name (a role's ARN
 *   holds its Path).
 * - `Fn::ImportValue` reads the Output that exports that name in another stack of the same deployment, resolved there.
 * - `Fn::Join`, `Fn::Sub`, `Fn::Select` and `Fn::Split` are evaluated.
 * Anything else (a resource type or attribute this does not know) throws, so a simulation never runs on a guess.
 */
export interface StackDeployment {
  readonly account: string;
  readonly region: string;
}

export const GENERATED_SUFFIX = 'GENERATEDNAME';

/** Templates of one app, each deployed to its own account and region. */
export class DeployedTemplates {
  private readonly stacks = new Map<string, { template: any; deployment: StackDeployment }>();

  /** `name` is the stack name (what CloudFormation generated names start with). */
  public add(name: string, template: any, deployment: StackDeployment): this {
    this.stacks.set(name, { template, deployment });
    return this;
  }

  /** A value of stack `name` as deployed. */
  public resolve(name: string, value: unknown): any {
    return this.resolveIn(this.stack(name), name, value);
  }

  /** The resource of that logical id. */
  public resource(name: string, logicalId: string): any {
    const resource = this.stack(name).template.Resources[logicalId];
    if (!resource) throw new Error(`${name} has no resource ${logicalId}`);
    return resource;
  }

  /** Logical ids of the resources of `type` in stack `name`, in template order. */
  public idsOf(name: string, type: string): string[] {
    return Object.entries(this.stack(name).template.Resources).filter(([, r]: [string, any]) => r.Type === type).map(([id]) => id);
  }

  private stack(name: string) {
    const stack = this.stacks.get(name);
    if (!stack) throw new Error(`no deployed stack ${name}`);
    return stack;
  }

  private resolveIn(stack: { template: any; deployment: StackDeployment }, name: string, value: unknown): any {
    const again = (v: unknown) => this.resolveIn(stack, name, v);
    if (Array.isArray(value)) return value.map(again);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length !== 1 || !(entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return Object.fromEntries(entries.map(([k, v]) => [k, again(v)]));
    }
    const [fn, args] = entries[0] as [string, any];
    switch (fn) {
      case 'Ref': return this.ref(stack, name, args);
      case 'Fn::GetAtt': return this.getAtt(stack, name, args[0], args[1]);
      case 'Fn::Join': return (again(args[1]) as string[]).join(args[0]);
      case 'Fn::Select': return again(args[1])[Number(again(args[0]))];
      case 'Fn::Split': return (again(args[1]) as string).split(args[0]);
      case 'Fn::Sub': return this.sub(stack, name, args);
      case 'Fn::ImportValue': return this.importValue(again(args));
      default: throw new Error(`${name}: ${fn} is not modelled`);
    }
  }

  private ref(stack: { template: any; deployment: StackDeployment }, name: string, id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': stack.deployment.account,
      'AWS::Region': stack.deployment.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': name,
    };
    if (id in pseudo) return pseudo[id];
    const resource = stack.template.Resources[id];
    if (!resource) throw new Error(`${name}: Ref ${id} names nothing`);
    const nameProperty = NAME_PROPERTIES[resource.Type];
    if (nameProperty && resource.Properties?.[nameProperty] !== undefined) return this.resolveIn(stack, name, resource.Properties[nameProperty]);
    const generated = `${name}-${id}-${GENERATED_SUFFIX}`;
    return resource.Type === 'AWS::ECR::Repository' ? generated.toLowerCase() : generated;
  }

  private getAtt(stack: { template: any; deployment: StackDeployment }, name: string, id: string, attribute: string): string {
    const resource = stack.template.Resources[id];
    if (!resource) throw new Error(`${name}: GetAtt ${id} names nothing`);
    if (attribute !== 'Arn') throw new Error(`${name}: GetAtt ${id}.${attribute} is not modelled`);
    const physical = this.ref(stack, name, id);
    const { account, region } = stack.deployment;
    switch (resource.Type) {
      case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role${this.resolveIn(stack, name, resource.Properties?.Path ?? '/')}${physical}`;
      case 'AWS::ECR::Repository': return `arn:aws:ecr:${region}:${account}:repository/${physical}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${region}:${account}:function:${physical}`;
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${region}:${account}:log-group:${physical}:*`;
      default: throw new Error(`${name}: the ARN of a ${resource.Type} is not modelled`);
    }
  }

  private sub(stack: { template: any; deployment: StackDeployment }, name: string, args: unknown): string {
    const [text, variables] = typeof args === 'string' ? [args, {}] : args as [string, Record<string, unknown>];
    return text.replace(/\$\{([^}!]+)\}/g, (_all, key: string) => {
      if (key in variables) return this.resolveIn(stack, name, (variables as any)[key]);
      const [id, attribute] = key.split('.');
      return attribute ? this.getAtt(stack, name, id, attribute) : this.ref(stack, name, id);
    });
  }

  private importValue(exportName: string): string {
    for (const [name, stack] of this.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {}) as any[]) {
        if (output.Export && this.resolveIn(stack, name, output.Export.Name) === exportName) return this.resolveIn(stack, name, output.Value);
      }
    }
    throw new Error(`no deployed stack exports ${exportName}`);
  }
}

const NAME_PROPERTIES: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
};
