import { App, Aspects, Stack, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContainerFunction, ContainerImageChecks, IImageRule, ImageSubject, RuleLevel, SubjectKind } from '../lib';
import { cdkInitFlags } from './support/feature-flags';
import { withoutCiShaVariables } from './support/git-repo';
import { CsvProcessorStack } from '../examples/csv-processor/stack';
import { HelloArm64Stack } from '../examples/hello-arm64/stack';
import { NodeTypescriptStack } from '../examples/node-typescript/stack';
import { PrivateDepsStack } from '../examples/private-deps/stack';
import { PythonFromSourceStack } from '../examples/python-from-source/stack';

withoutCiShaVariables();

const examples: Array<[string, (app: App) => Stack]> = [
  ['csv-processor', app => new CsvProcessorStack(app, 'CsvProcessor')],
  ['hello-arm64', app => new HelloArm64Stack(app, 'HelloArm64')],
  ['python-from-source', app => new PythonFromSourceStack(app, 'PythonFromSource')],
  ['node-typescript', app => new NodeTypescriptStack(app, 'NodeTypescript')],
  ['private-deps', app => new PrivateDepsStack(app, 'PrivateDeps')],
];

describe.each(examples)('example %s', (_name, create) => {
  test('synthesizes with the flags cdk init writes: every function has exactly one log group, with finite retention', () => {
    // A user copies an example into an app made by `cdk init`, whose cdk.json turns on useCdkManagedLogGroup and the rest.
    const app = new App({ context: cdkInitFlags() });
    const stack = create(app);
    Aspects.of(app).add(new ContainerImageChecks());
    const template = Template.fromStack(stack);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue()).map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    const functions = stack.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function);
    expect(functions.some(fn => fn instanceof ContainerFunction)).toBe(true);
    const logGroups = template.toJSON().Resources;
    for (const fn of functions) {
      const own = fn.node.findAll().filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup);
      expect({ fn: fn.node.path, count: own.length }).toEqual({ fn: fn.node.path, count: 1 });
      const days = logGroups[stack.getLogicalId(own[0])].Properties.RetentionInDays;
      expect({ fn: fn.node.path, days }).toEqual({ fn: fn.node.path, days: expect.any(Number) });
    }
  });

  test('ContainerImageChecks: every ContainerFunction is examined, with its Dockerfile, and none has a finding above info', () => {
    const app = new App();
    const stack = create(app);
    // A rule that finds nothing and records what it was shown: "no findings" only counts if the checks saw the functions.
    const seen: ImageSubject[] = [];
    const witness: IImageRule = { id: 'CCF998', level: RuleLevel.INFO, title: 'witness', check: subject => { seen.push(subject); return []; } };
    Aspects.of(app).add(new ContainerImageChecks({ rules: [...ContainerImageChecks.defaultRules(), witness] }));
    const annotations = Annotations.fromStack(stack);
    const findings = [...annotations.findError('*', Match.stringLikeRegexp('CCF')), ...annotations.findWarning('*', Match.stringLikeRegexp('CCF'))];
    expect(findings.map(f => `${f.id}: ${f.entry.data}`)).toEqual([]);
    const functions = stack.node.findAll().filter((c): c is ContainerFunction => c instanceof ContainerFunction);
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const subject = seen.find(s => s.construct === fn);
      expect(subject?.kind).toBe(SubjectKind.FUNCTION);
      expect(subject?.dockerfileText).toMatch(/^FROM /m);
    }
  });

  test('cdk-nag AwsSolutions: no unsuppressed errors or warnings, every suppression has a reason', () => {
    const app = new App();
    const stack = create(app);
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    const annotations = Annotations.fromStack(stack);
    const errors = annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    expect(warnings.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    const template = JSON.stringify(app.synth().getStackByName(stack.stackName).template);
    for (const match of template.matchAll(/"reason":"([^"]*)"/g)) expect(match[1].length).toBeGreaterThan(20);
  });
});

test('csv-processor: versioned bucket, read-only access, S3 trigger, bucket name output', () => {
  const app = new App();
  const stack = new CsvProcessorStack(app, 'CsvProcessor');
  const template = app.synth().getStackByName(stack.stackName).template;
  const resources = Object.values(template.Resources) as any[];
  expect(resources.find(r => r.Type === 'AWS::S3::Bucket').Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  const notifications = resources.find(r => r.Type === 'Custom::S3BucketNotifications');
  expect(JSON.stringify(notifications.Properties.NotificationConfiguration)).toContain('s3:ObjectCreated:*');
  const actions = resources.filter(r => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r).includes('ProcessorServiceRole'))
    .flatMap(r => r.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
  expect(actions.some(a => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toBe(false);
  expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*']));
  expect(Object.keys(template.Outputs)).toContain('BucketName');
});
