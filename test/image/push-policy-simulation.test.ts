/**
 * Who may push into, delete from and pull out of the repositories the library delivers to, decided by an IAM evaluator
 * (@cloud-copilot/iam-simulate) on the policies exactly as synthesized: the repository policy and the roles' identity
 * policies are read from the templates, and their intrinsic functions are resolved to the strings a deployed stack
 * holds (test/support/deployed-template.ts says how). Each request names its principal as AWS does for a role session:
 * the session ARN as principal, and the role's ARN, path included, as `aws:PrincipalArn`.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, NestedStack, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { ContainerFunction, ContainerImage, ImageRepository } from '../../lib';
import { DeployedTemplates } from '../support/deployed-template';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const PUSH = ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'];
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const ASSET_REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/cdk-hnb659fds-container-assets-${ACCOUNT}-${REGION}`;
const ANOTHER_REPOSITORY = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/another`;
const ECR_EVERYTHING = { name: 'EcrEverything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] } };

type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface Caller {
  /** The role's ARN, path included: what `aws:PrincipalArn` holds for its sessions. */
  readonly roleArn: string;
  readonly identityPolicies: Array<{ name: string; policy: unknown }>;
}

/** A role of `account` at `path` named `name`, with the given identity policies. */
const role = (account: string, path: string, name: string, ...identityPolicies: Caller['identityPolicies']): Caller =>
  ({ roleArn: `arn:aws:iam::${account}:role${path}${name}`, identityPolicies });

/** One request by a session of `caller`'s role, as IAM evaluates it; a validation error fails the test. */
async function decide(caller: Caller, action: string, resourceArn: string, resourcePolicy?: unknown): Promise<Outcome> {
  const [, , , , account, resource] = caller.roleArn.split(':');
  const name = resource.split('/').pop();
  const result = await runSimulation({
    request: {
      principal: `arn:aws:sts::${account}:assumed-role/${name}/session`,
      action,
      resource: { resource: resourceArn, accountId: resourceArn === '*' ? account : resourceArn.split(':')[4] },
      contextVariables: { 'aws:PrincipalArn': caller.roleArn, 'aws:PrincipalAccount': account },
    },
    identityPolicies: caller.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  }, {});
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult as Outcome;
}

/** What each action comes to, as one object, so a failure shows every action at once. */
async function decideAll(caller: Caller, actions: string[], resourceArn: string, resourcePolicy?: unknown): Promise<Record<string, Outcome>> {
  const outcomes: Record<string, Outcome> = {};
  for (const action of actions) outcomes[action] = await decide(caller, action, resourceArn, resourcePolicy);
  return outcomes;
}
const every = (actions: string[], outcome: Outcome) => Object.fromEntries(actions.map(a => [a, outcome]));

/** The stack's ImageRepository (the one with the push deny) as deployed: its ARN and policy. */
function restrictedRepository(deployed: DeployedTemplates, stackName: string): { arn: string; policy: any } {
  const ids = deployed.idsOf(stackName, 'AWS::ECR::Repository')
    .filter(id => JSON.stringify(deployed.resource(stackName, id).Properties.RepositoryPolicyText ?? {}).includes('OnlyImageCopiersPush'));
  expect(ids).toHaveLength(1);
  return {
    arn: deployed.resolve(stackName, { 'Fn::GetAtt': [ids[0], 'Arn'] }),
    policy: deployed.resolve(stackName, deployed.resource(stackName, ids[0]).Properties.RepositoryPolicyText),
  };
}

/** A role of the template as deployed, with every policy the template attaches to it (inline and AWS::IAM::Policy). */
function deployedRole(deployed: DeployedTemplates, stackName: string, roleId: string): Caller {
  const inline = (deployed.resource(stackName, roleId).Properties.Policies ?? []).map((p: any) => ({ name: p.PolicyName, policy: p.PolicyDocument }));
  const attached = deployed.idsOf(stackName, 'AWS::IAM::Policy')
    .map(id => deployed.resource(stackName, id).Properties)
    .filter(p => p.Roles.some((r: any) => r.Ref === roleId))
    .map(p => ({ name: p.PolicyName, policy: p.PolicyDocument }));
  return {
    roleArn: deployed.resolve(stackName, { 'Fn::GetAtt': [roleId, 'Arn'] }),
    identityPolicies: deployed.resolve(stackName, [...inline, ...attached]),
  };
}

function copierOf(deployed: DeployedTemplates, stackName: string): Caller {
  const ids = deployed.idsOf(stackName, 'AWS::IAM::Role').filter(id => id.startsWith('ContainerFunctionImageCopierCopyRole'));
  expect(ids).toHaveLength(1);
  return deployedRole(deployed, stackName, ids[0]);
}

let repo: TempGitRepo;
beforeAll(() => {
  repo = TempGitRepo.create({ ...functionFiles('fn'), ...functionFiles('other', 'def handler(e, c):\n    return 2\n') });
});
afterAll(() => repo.remove());
const image = (dir = 'fn') => ContainerImage.fromDockerfile(repo.path(dir));

describe('one stack without a fixed environment, deployed to 111111111111 in eu-west-1', () => {
  let template: any;
  let deployed: DeployedTemplates;
  let repository: { arn: string; policy: any };
  let copier: Caller;
  let functionRole: Caller;
  beforeAll(() => {
    const app = new App();
    const stack = new Stack(app, 'Service');
    new ContainerFunction(stack, 'Fn', { image: image() });
    template = app.synth().getStackByName('Service').template;
    deployed = new DeployedTemplates().add('Service', template, { account: ACCOUNT, region: REGION });
    repository = restrictedRepository(deployed, 'Service');
    copier = copierOf(deployed, 'Service');
    functionRole = deployedRole(deployed, 'Service', deployed.idsOf('Service', 'AWS::IAM::Role').find(id => id.startsWith('FnServiceRole'))!);
  });

  test('the deny exempts exactly one principal: the copier role\'s ARN as deployed (its path and fixed name)', () => {
    const [deny] = repository.policy.Statement.filter((s: any) => s.Sid === 'OnlyImageCopiersPush');
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': [copier.roleArn] } });
    expect(copier.roleArn).toMatch(/^arn:aws:iam::111111111111:role\/cdk-container-function\/Service-copier-[0-9a-f]{8}-eu-west-1$/);
  });

  test('the copier role pushes into its destination and reads it', async () => {
    const actions = [...PUSH, 'ecr:BatchCheckLayerAvailability', ...PULL];
    expect(await decideAll(copier, actions, repository.arn, repository.policy)).toEqual(every(actions, 'Allowed'));
  });

  test('the copier role deletes nothing: the deny would let it, but its own policy never grants BatchDeleteImage', async () => {
    expect(await decide(copier, 'ecr:BatchDeleteImage', repository.arn, repository.policy)).toBe('ImplicitlyDenied');
  });

  test('another role under the copier path, with ecr:* on *, can neither push nor delete (the old path rule let it)', async () => {
    const intruder = role(ACCOUNT, '/cdk-container-function/', 'made-by-anyone-with-iam-CreateRole', ECR_EVERYTHING);
    const actions = [...PUSH, 'ecr:BatchDeleteImage'];
    expect(await decideAll(intruder, actions, repository.arn, repository.policy)).toEqual(every(actions, 'ExplicitlyDenied'));
    expect(await decide(intruder, 'ecr:BatchGetImage', repository.arn, repository.policy)).toBe('Allowed');
  });

  test('a role that copies a copier\'s name under another path, with ecr:*, is denied', async () => {
    const lookalike = role(ACCOUNT, '/', copier.roleArn.split('/').pop()!, ECR_EVERYTHING);
    expect(await decideAll(lookalike, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
  });

  test('the same stack deployed to another region has its own copier, which is not this repository\'s', async () => {
    const elsewhere = new DeployedTemplates().add('Service', template, { account: ACCOUNT, region: 'us-east-1' });
    const otherCopier = copierOf(elsewhere, 'Service');
    expect(otherCopier.roleArn).not.toBe(copier.roleArn);
    expect(otherCopier.roleArn).toMatch(/-us-east-1$/);
    // As synthesized (its policy names its own region's repository), and even with ecr:*, the deny stops it here.
    expect(await decideAll(otherCopier, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
    const widened = { ...otherCopier, identityPolicies: [...otherCopier.identityPolicies, ECR_EVERYTHING] };
    expect(await decideAll(widened, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
  });

  test('an administrator role of the account (ecr:* on *) pulls but cannot push or delete', async () => {
    const admin = role(ACCOUNT, '/', 'Administrator', ECR_EVERYTHING);
    expect(await decideAll(admin, [...PUSH, 'ecr:BatchDeleteImage'], repository.arn, repository.policy))
      .toEqual(every([...PUSH, 'ecr:BatchDeleteImage'], 'ExplicitlyDenied'));
    expect(await decideAll(admin, PULL, repository.arn, repository.policy)).toEqual(every(PULL, 'Allowed'));
  });

  test('the function\'s execution role: no ECR rights as synthesized; granted ecr:* by its user, it pulls but still cannot push', async () => {
    // Lambda pulls the image as the service (next test), not as the execution role.
    expect(await decideAll(functionRole, PULL, repository.arn, repository.policy)).toEqual(every(PULL, 'ImplicitlyDenied'));
    expect(await decideAll(functionRole, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
    const granted = { ...functionRole, identityPolicies: [...functionRole.identityPolicies, ECR_EVERYTHING] };
    expect(await decideAll(granted, PULL, repository.arn, repository.policy)).toEqual(every(PULL, 'Allowed'));
    expect(await decideAll(granted, [...PUSH, 'ecr:BatchDeleteImage'], repository.arn, repository.policy))
      .toEqual(every([...PUSH, 'ecr:BatchDeleteImage'], 'ExplicitlyDenied'));
  });

  test('Lambda pulls the image for a function of this account, and for no other account\'s', async () => {
    const lambdaPull = async (functionAccount: string) => {
      const result = await runSimulation({
        request: {
          principal: 'lambda.amazonaws.com',
          action: 'ecr:BatchGetImage',
          resource: { resource: repository.arn, accountId: ACCOUNT },
          contextVariables: { 'aws:SourceArn': `arn:aws:lambda:${REGION}:${functionAccount}:function:Service-Fn-GENERATEDNAME`, 'aws:SourceAccount': functionAccount },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: repository.policy,
      }, {});
      if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
      return result.overallResult;
    };
    expect(await lambdaPull(ACCOUNT)).toBe('Allowed');
    expect(await lambdaPull(OTHER_ACCOUNT)).not.toBe('Allowed');
  });

  test('what a forged copy event could reach: the copier writes only its destination and reads only the asset repository', async () => {
    // No resource policy on these two: the copier's own policy alone decides.
    expect(await decideAll(copier, [...PUSH, 'ecr:BatchDeleteImage'], ANOTHER_REPOSITORY)).toEqual(every([...PUSH, 'ecr:BatchDeleteImage'], 'ImplicitlyDenied'));
    expect(await decideAll(copier, PULL, ANOTHER_REPOSITORY)).toEqual(every(PULL, 'ImplicitlyDenied'));
    expect(await decideAll(copier, PUSH, ASSET_REPOSITORY)).toEqual(every(PUSH, 'ImplicitlyDenied'));
    expect(await decideAll(copier, PULL, ASSET_REPOSITORY)).toEqual(every(PULL, 'Allowed'));
    expect(await decide(copier, 'ecr:GetAuthorizationToken', '*')).toBe('Allowed');
  });
  test('what remains: the copy function has no resource policy, so only this account\'s principals allowed lambda:InvokeFunction can invoke it', async () => {
    const copyFunctions = deployed.idsOf('Service', 'AWS::Lambda::Function').filter(id => id.startsWith('CustomCDKECRDeployment'));
    expect(copyFunctions).toHaveLength(1);
    expect(deployed.idsOf('Service', 'AWS::Lambda::Permission')).toEqual([]);
    const functionArn = deployed.resolve('Service', { 'Fn::GetAtt': [copyFunctions[0], 'Arn'] });
    const invokeAnything = { name: 'InvokeAnything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }] } };
    // A Lambda resource policy can only allow: nothing the library can attach refuses this caller.
    expect(await decide(role(ACCOUNT, '/', 'Developer', invokeAnything), 'lambda:InvokeFunction', functionArn)).toBe('Allowed');
    expect(await decide(role(OTHER_ACCOUNT, '/', 'Developer', invokeAnything), 'lambda:InvokeFunction', functionArn)).toBe('ImplicitlyDenied');
    expect(await decide(role(ACCOUNT, '/', 'ReadOnly', ECR_EVERYTHING), 'lambda:InvokeFunction', functionArn)).toBe('ImplicitlyDenied');
  });
});

describe('the copier\'s name in another account', () => {
  test('a role of another account with the copier\'s path and name cannot push, even where the repository lets that account push', async () => {
    const app = new App();
    const stack = new Stack(app, 'Service', { env: { account: ACCOUNT, region: REGION } });
    const images = new ImageRepository(stack, 'Images');
    // A user's grant to a partner account: an Allow in the repository policy that the deny still overrides.
    images.grantPullPush(new iam.AccountPrincipal(OTHER_ACCOUNT));
    new ContainerFunction(stack, 'Fn', { image: image(), repository: images });
    const deployed = new DeployedTemplates().add('Service', app.synth().getStackByName('Service').template, { account: ACCOUNT, region: REGION });
    const repository = restrictedRepository(deployed, 'Service');
    const copier = copierOf(deployed, 'Service');
    const twin = { ...copier, roleArn: copier.roleArn.replace(`::${ACCOUNT}:`, `::${OTHER_ACCOUNT}:`), identityPolicies: [ECR_EVERYTHING] };
    expect(await decideAll(twin, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
    // The partner account's other roles are denied too: only the copier pushes. Its pull grant stands.
    const partner = role(OTHER_ACCOUNT, '/', 'Partner', ECR_EVERYTHING);
    expect(await decideAll(partner, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
    expect(await decideAll(partner, PULL, repository.arn, repository.policy)).toEqual(every(PULL, 'Allowed'));
    expect(await decideAll(copier, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'Allowed'));
  });
});

describe('an ImageRepository that two stacks of one app deliver into', () => {
  let deployed: DeployedTemplates;
  let repository: { arn: string; policy: any };
  beforeAll(() => {
    const app = new App();
    const env = { account: ACCOUNT, region: REGION };
    const shared = new Stack(app, 'Shared', { env });
    const images = new ImageRepository(shared, 'ServiceImages');
    new ContainerFunction(new Stack(app, 'One', { env }), 'Fn', { image: image('fn'), repository: images });
    new ContainerFunction(new Stack(app, 'Two', { env }), 'Fn', { image: image('other'), repository: images });
    // A third stack of the same app that delivers into its own repository only.
    new ContainerFunction(new Stack(app, 'Three', { env }), 'Fn', { image: image() });
    const assembly = app.synth();
    deployed = new DeployedTemplates();
    for (const name of ['Shared', 'One', 'Two', 'Three']) deployed.add(name, assembly.getStackByName(name).template, env);
    repository = restrictedRepository(deployed, 'Shared');
  });

  test('the deny lists exactly the two delivering copiers, in a fixed order', () => {
    const [deny] = repository.policy.Statement.filter((s: any) => s.Sid === 'OnlyImageCopiersPush');
    expect(deny.Condition.ArnNotEquals['aws:PrincipalArn']).toEqual([copierOf(deployed, 'One').roleArn, copierOf(deployed, 'Two').roleArn].sort());
  });

  test('each delivering stack\'s copier pushes with the policies its stack synthesized (the repository ARN imported)', async () => {
    for (const name of ['One', 'Two']) {
      expect(await decideAll(copierOf(deployed, name), PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'Allowed'));
    }
  });

  test('the copier of a stack that does not deliver into it is denied, even given ecr:* (the old path rule let it)', async () => {
    const three = copierOf(deployed, 'Three');
    expect(three.roleArn).toContain(':role/cdk-container-function/');
    const widened = { ...three, identityPolicies: [...three.identityPolicies, ECR_EVERYTHING] };
    expect(await decideAll(widened, PUSH, repository.arn, repository.policy)).toEqual(every(PUSH, 'ExplicitlyDenied'));
    expect(await decideAll(copierOf(deployed, 'Three'), PUSH, restrictedRepository(deployed, 'Three').arn, restrictedRepository(deployed, 'Three').policy))
      .toEqual(every(PUSH, 'Allowed'));
  });
});

describe('copier role names', () => {
  const roleNameOf = (stack: Stack) => {
    const copier = stack.node.findChild('ContainerFunctionImageCopier').node.findChild('CopyRole').node.defaultChild as iam.CfnRole;
    return stack.resolve(copier.roleName);
  };

  test('a stack without a region names the deploying region; names fit IAM\'s 64 characters for the longest stack name', () => {
    const app = new App();
    const agnostic = new Stack(app, 'Agnostic');
    new ContainerFunction(agnostic, 'Fn', { image: image() });
    expect(roleNameOf(agnostic)).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/^Agnostic-copier-[0-9a-f]{8}-$/), { Ref: 'AWS::Region' }]] });
    const long = 'L'.repeat(127);
    const names = [`${long}a`, `${long}b`].map(stackName => {
      const stack = new Stack(app, `Long${stackName.slice(-1)}`, { stackName, env: { account: ACCOUNT, region: 'us-isof-south-1' } });
      new ContainerFunction(stack, 'Fn', { image: image() });
      return roleNameOf(stack) as string;
    });
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
    expect(names[0]).not.toBe(names[1]); // cut to the same prefix, told apart by the hash of the whole name
  });

  test('nested stacks of one parent get distinct names', () => {
    const parent = new Stack(new App(), 'Parent', { env: { account: ACCOUNT, region: REGION } });
    const names = ['A', 'B'].map(id => {
      const nested = new NestedStack(parent, id);
      new ContainerFunction(nested, 'Fn', { image: image() });
      return roleNameOf(nested);
    });
    expect(names[0]).toMatch(/^Parent-copier-[0-9a-f]{8}-eu-west-1$/);
    expect(names[0]).not.toBe(names[1]);
  });
});
