// An app made with `cdk init` carries aws-cdk-lib's recommended feature flags. Under
// @aws-cdk/aws-lambda:useCdkManagedLogGroup, Function makes its own log group; a ContainerFunction must
// configure that one instead of adding a second. Each function ends with exactly one log group, the one
// it writes to, with the retention this library promises, whatever the flags say.
import { App, RemovalPolicy, Stack, aws_ecr as ecr, aws_logs as logs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ContainerFunction, ContainerImage, LambdaBaseImage } from '../lib';
import { cdkInitFlags, flagValues, functionAndImageAssetFlags } from './support/feature-flags';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from './support/git-repo';

withoutCiShaVariables();

let repo: TempGitRepo;
beforeAll(() => {
  repo = TempGitRepo.create({ ...functionFiles('fn'), 'src/app.py': 'def lambda_handler(event, context):\n    return 1\n' });
});
afterAll(() => repo.remove());

/** Every kind of image, with the default retention and with every log option set. */
function synth(context: Record<string, unknown>) {
  const app = new App({ context });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const functions = [
    new ContainerFunction(stack, 'Dockerfile', { image: ContainerImage.fromDockerfile(repo.path('fn')) }),
    new ContainerFunction(stack, 'Source', {
      image: ContainerImage.fromSource(repo.path('src'), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }),
      logRetention: logs.RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    }),
    new ContainerFunction(stack, 'Ecr', {
      image: ContainerImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Images', 'images'), { tagOrDigest: 'sha256:' + 'a'.repeat(64) }),
      logRetention: logs.RetentionDays.THREE_MONTHS,
    }),
  ];
  return { stack, functions, template: Template.fromStack(stack) };
}

const promised: Record<string, { days: number; deletion: string }> = {
  Dockerfile: { days: 30, deletion: 'Retain' },
  Source: { days: 7, deletion: 'Delete' },
  Ecr: { days: 90, deletion: 'Retain' },
};

/**
 * The log group a function writes to: the one its LoggingConfig names, else the one named
 * /aws/lambda/<its name> (Lambda's default, where CDK's managed log group sits).
 */
function logGroupOf(template: Template, functionId: string): string | undefined {
  const fn = template.toJSON().Resources[functionId];
  const configured = fn.Properties.LoggingConfig?.LogGroup?.Ref;
  if (configured) return configured;
  const byName = template.findResources('AWS::Logs::LogGroup', {
    Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: functionId }]] } },
  });
  return Object.keys(byName)[0];
}

function expectOneLogGroupEach(context: Record<string, unknown>): void {
  const { stack, functions, template } = synth(context);
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  template.resourceCountIs('Custom::LogRetention', 0);
  const logGroups = template.findResources('AWS::Logs::LogGroup');
  const ofFunctions = functions.map(fn => {
    const functionId = stack.getLogicalId(fn.node.defaultChild as any);
    const id = logGroupOf(template, functionId);
    expect({ fn: fn.node.id, logGroup: id }).toEqual({ fn: fn.node.id, logGroup: expect.any(String) });
    expect({ fn: fn.node.id, days: logGroups[id!].Properties.RetentionInDays, deletion: logGroups[id!].DeletionPolicy })
      .toEqual({ fn: fn.node.id, ...promised[fn.node.id] });
    // The construct's logGroup is the one in the template.
    expect(stack.resolve(fn.logGroup.logGroupName)).toEqual({ Ref: id });
    return id;
  });
  // No function has a second log group beside its own.
  for (const [i, fn] of functions.entries()) {
    const inside = fn.node.findAll().filter(c => c instanceof logs.CfnLogGroup).map(c => stack.getLogicalId(c as logs.CfnLogGroup));
    expect({ fn: fn.node.id, logGroups: inside }).toEqual({ fn: fn.node.id, logGroups: [ofFunctions[i]] });
  }
  // The image copier's function (cdk-ecr-deployment's) has one too, with finite retention; there is no other.
  const [copyFunctionId] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'bootstrap' } }));
  const copyLogGroup = logGroupOf(template, copyFunctionId);
  expect(copyLogGroup && logGroups[copyLogGroup].Properties.RetentionInDays).toBe(30);
  expect(Object.keys(logGroups).sort()).toEqual([...ofFunctions, copyLogGroup].sort());
}

test('the flags cdk init writes are read from the installed CLI, and include useCdkManagedLogGroup', () => {
  const flags = cdkInitFlags();
  expect(flags[cxapi.USE_CDK_MANAGED_LAMBDA_LOGGROUP]).toBe(true);
  expect(Object.keys(flags).length).toBeGreaterThan(50);
});

test('no flags: one log group per function, with the promised retention', () => {
  expectOneLogGroupEach({});
});

test('every flag cdk init writes: one log group per function, with the promised retention', () => {
  expectOneLogGroupEach(cdkInitFlags());
});

test('the flags that change Function or DockerImageAsset are found in aws-cdk-lib itself', () => {
  expect(functionAndImageAssetFlags()).toEqual(expect.arrayContaining([
    cxapi.USE_CDK_MANAGED_LAMBDA_LOGGROUP, cxapi.LAMBDA_RECOGNIZE_VERSION_PROPS, cxapi.DOCKER_IGNORE_SUPPORT,
  ]));
});

const cases = functionAndImageAssetFlags().flatMap(flag => flagValues(flag).map(value => [flag, value] as const));
test.each(cases)('%s = %p: one log group per function, with the promised retention', (flag, value) => {
  expectOneLogGroupEach({ [flag]: value });
});

test('under useCdkManagedLogGroup, the log group is the one CDK manages, configured (same logical ID as without the flag)', () => {
  const withFlag = synth({ [cxapi.USE_CDK_MANAGED_LAMBDA_LOGGROUP]: true });
  const without = synth({});
  const fnId = withFlag.stack.getLogicalId(withFlag.functions[0].node.defaultChild as any);
  expect(logGroupOf(withFlag.template, fnId)).toEqual(logGroupOf(without.template, fnId));
  withFlag.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: Match.absent() });
  without.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^DockerfileLogGroup') } } });
});
