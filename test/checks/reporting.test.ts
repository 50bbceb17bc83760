import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CdkAnnotations, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newStack, Reported } from './helpers';
import { ContainerImageChecks, IImageRule, ImageSubject, RuleFinding, RuleLevel } from '../../lib/checks';

const REASON = 'reviewed by the platform team';

function mutableFunction(stack: Stack, id = 'Fn'): lambda.DockerImageFunction {
  return new lambda.DockerImageFunction(stack, id, { code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(stack, `${id}Repo`, 'app')) });
}

class ThrowingRule implements IImageRule {
  public readonly id = 'CCF999';
  public readonly level = RuleLevel.ERROR;
  public readonly title = 'always throws';
  public check(_subject: ImageSubject): RuleFinding[] {
    throw new Error('boom');
  }
}

describe('levels', () => {
  test('warnings use addWarningV2 with the rule id and can be acknowledged by CDK', () => {
    const { stack } = newStack();
    const fn = mutableFunction(stack);
    CdkAnnotations.of(fn).acknowledgeWarning('cdk-container-function:CCF001', 'acknowledged with plain CDK');
    ContainerImageChecks.applyTo(stack);
    expect(Reported.of(stack).messages('warning', 'CCF001')).toEqual([]);
  });

  test('a plain warning carries the acknowledgement tag', () => {
    const { stack } = newStack();
    mutableFunction(stack);
    ContainerImageChecks.applyTo(stack);
    const [message] = Reported.of(stack).messages('warning', 'CCF001');
    expect(message).toMatch(/^CCF001 .* \[ack: cdk-container-function:CCF001\]$/);
  });

  test('strict promotes warnings to errors, keeps infos', () => {
    const { stack } = newStack();
    mutableFunction(stack);
    new ecr.Repository(stack, 'Repo');
    ContainerImageChecks.applyTo(stack, { strict: true });
    const reported = Reported.of(stack);
    expect(reported.messages('warning', 'CCF001')).toEqual([]);
    expect(reported.messages('error', 'CCF001')).toHaveLength(1);
    expect(reported.messages('info', 'CCF003')).toHaveLength(1);
  });

  test('strict still honours suppressions', () => {
    const { stack } = newStack();
    const fn = mutableFunction(stack);
    ContainerImageChecks.suppress(fn, 'CCF001', REASON);
    ContainerImageChecks.applyTo(stack, { strict: true });
    expect(Reported.of(stack).paths('CCF001')).toEqual([]);
  });

  test('Validations.acknowledge of our id works as a suppression for errors too', () => {
    const { stack } = newStack();
    const fn = mutableFunction(stack);
    Validations.of(fn).acknowledge({ id: 'cdk-container-function:CCF001', reason: REASON });
    ContainerImageChecks.applyTo(stack, { strict: true });
    expect(Reported.of(stack).paths('CCF001')).toEqual([]);
  });
});

describe('suppress()', () => {
  test.each([
    ['CCF001', '', /needs a reason of at least 10 characters/],
    ['CCF001', 'too short', /needs a reason of at least 10 characters/],
    ['ccf1', REASON, /'ccf1' is not a rule id/],
  ])('rejects %j with reason %j', (id, reason, error) => {
    const { stack } = newStack();
    expect(() => ContainerImageChecks.suppress(stack, id, reason)).toThrow(error);
  });

  test('applies to children and is recorded as CDK acknowledgement metadata', () => {
    const { stack } = newStack();
    mutableFunction(stack, 'A');
    mutableFunction(stack, 'B');
    ContainerImageChecks.suppress(stack, 'CCF001', REASON);
    ContainerImageChecks.applyTo(stack);
    expect(Reported.of(stack).paths('CCF001')).toEqual([]);
    expect(stack.node.metadata.filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map(m => m.data))
      .toEqual([{ 'Annotation::cdk-container-function:CCF001': REASON }]);
  });

  test('does not reach siblings', () => {
    const { stack } = newStack();
    const a = mutableFunction(stack, 'A');
    mutableFunction(stack, 'B');
    ContainerImageChecks.suppress(a, 'CCF001', REASON);
    ContainerImageChecks.applyTo(stack);
    expect(Reported.of(stack).paths('CCF001')).toEqual(['/Stack/B']);
  });

  test('also suppresses Dockerfile findings of a function', () => {
    const { stack } = newStack();
    const fn = new lambda.DockerImageFunction(stack, 'Naive', {
      architecture: lambda.Architecture.X86_64,
      code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, 'fixtures', 'seed-python-naive')),
    });
    ContainerImageChecks.suppress(fn, 'CCF104', REASON);
    ContainerImageChecks.applyTo(stack);
    const reported = Reported.of(stack);
    expect(reported.paths('CCF104')).toEqual([]);
    expect(reported.paths('CCF103')).toEqual(['/Stack/Naive']);
  });

  test('an unused suppression is reported as info', () => {
    const { stack } = newStack();
    const fn = mutableFunction(stack);
    ContainerImageChecks.suppress(fn, 'CCF101', REASON);
    ContainerImageChecks.applyTo(stack);
    const [info] = Reported.of(stack).messages('info', 'CCF901');
    expect(info).toContain(`suppression of CCF101 on Stack/Fn matched no finding ('${REASON}')`);
  });
});

describe('robustness', () => {
  test('a rule that throws becomes a warning naming the rule and the construct; other rules still run', () => {
    const { stack } = newStack();
    mutableFunction(stack);
    ContainerImageChecks.applyTo(stack, { rules: [new ThrowingRule(), ...ContainerImageChecks.defaultRules()] });
    const reported = Reported.of(stack);
    const [warning] = reported.messages('warning', 'CCF900');
    expect(warning).toContain('rule CCF999 (ThrowingRule) failed on Stack/Fn: boom');
    expect(reported.messages('warning', 'CCF001')).toHaveLength(1);
  });

  test('a rule returning a malformed finding is reported like one that throws', () => {
    const { stack } = newStack();
    mutableFunction(stack);
    const malformed: IImageRule = { id: 'CCF998', level: RuleLevel.WARNING, title: 'malformed', check: () => [{ message: 'no fix' } as RuleFinding] };
    ContainerImageChecks.applyTo(stack, { rules: [malformed] });
    expect(Reported.of(stack).messages('warning', 'CCF900')).toEqual([expect.stringContaining('rule CCF998 (Object) failed on Stack/Fn: a finding needs a message and a fix')]);
  });

  test('a rule that throws stays a warning in strict mode', () => {
    const { stack } = newStack();
    mutableFunction(stack);
    ContainerImageChecks.applyTo(stack, { strict: true, rules: [new ThrowingRule()] });
    const reported = Reported.of(stack);
    expect(reported.messages('warning', 'CCF900')).toHaveLength(1);
    expect(reported.messages('error', 'CCF900')).toEqual([]);
  });

  test('findings are reported once even when the app is synthesized again', () => {
    const { app, stack } = newStack();
    mutableFunction(stack);
    ContainerImageChecks.applyTo(app);
    app.synth();
    expect(Reported.of(stack).messages('warning', 'CCF001')).toHaveLength(1);
  });

  test('rejects a findings file outside the assembly', () => {
    expect(() => new ContainerImageChecks({ findingsFile: '../x.json' })).toThrow(/must be a file name inside the cloud assembly/);
  });
});

test('findings file: all findings as JSON in the cloud assembly, suppressed ones with their reason, no secrets', () => {
  const { app, stack } = newStack();
  const fn = mutableFunction(stack);
  ContainerImageChecks.suppress(fn, 'CCF001', REASON);
  const cfn = new lambda.CfnFunction(stack, 'Cfn', { packageType: 'Image', role: 'arn:aws:iam::123456789012:role/r', code: { imageUri: 'https://u:password@example.com/app:latest' } });
  ContainerImageChecks.suppress(cfn, 'CCF109', REASON);
  ContainerImageChecks.applyTo(app, { findingsFile: 'container-image-findings.json' });
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'container-image-findings.json'), 'utf8'));
  expect(report.version).toBe(1);
  expect(report.findings).toEqual(expect.arrayContaining([
    expect.objectContaining({ ruleId: 'CCF001', path: 'Stack/Fn', level: 'warning', suppressed: true, suppressedBy: `Stack/Fn: ${REASON}` }),
    expect.objectContaining({ ruleId: 'CCF001', path: 'Stack/Cfn', suppressed: false }),
  ]));
  expect(JSON.stringify(report)).not.toContain('password');
  expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'CCF901')).toEqual([expect.objectContaining({ path: 'Stack/Cfn', level: 'info', suppressed: false })]);
});
