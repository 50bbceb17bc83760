// The public API says what the construct does: its defaults as the jsii assembly (and so API.md and every
// language's docs) states them, and every aws_lambda.FunctionOptions field is one of its props.
import * as fs from 'fs';
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { ContainerFunctionProps } from '../lib';

const root = path.join(__dirname, '..');

/** A compile-time check: a FunctionOptions field that ContainerFunctionProps lacks makes this file fail to compile. */
type MissingFunctionOptions = Exclude<keyof lambda.FunctionOptions, keyof ContainerFunctionProps>;
const noneMissing: [MissingFunctionOptions] extends [never] ? true : MissingFunctionOptions = true;

// jsii writes the assembly at compile (`npx projen compile`, CI's first step); the test reads the one in the working
// tree. Outside CI, a tree never compiled has none: API.md, below, is committed and checked against it by CI.
const assemblyFile = path.join(root, '.jsii');
const describeWithAssembly = fs.existsSync(assemblyFile) || process.env.CI ? describe : describe.skip;

describeWithAssembly('the jsii assembly', () => {
  // Read inside the tests: jest runs a skipped describe's body too, and a tree never compiled has no assembly.
  const assembly = () => JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
  const propsOf = () => assembly().types['cdk-container-function.ContainerFunctionProps'];
  const prop = (name: string) => (propsOf().properties as any[]).find(p => p.name === name);

  test.each([
    ['memorySize', '1024'],
    ['timeout', 'Duration.seconds(30)'],
    ['logRetention', 'logs.RetentionDays.ONE_MONTH'],
  ])('%s: the construct\'s own default, not deprecated', (name, value) => {
    expect(prop(name)?.docs?.default).toBe(value);
    expect(prop(name)?.docs?.stability).not.toBe('deprecated');
    expect(prop(name)?.docs?.deprecated).toBeUndefined();
  });

  test('ContainerFunctionProps does not inherit FunctionOptions, whose docs state Function\'s defaults', () => {
    expect(propsOf().interfaces ?? []).not.toContain('aws-cdk-lib.aws_lambda.FunctionOptions');
    expect(noneMissing).toBe(true);
  });

  test('delivery plumbing is not public, and grantLambdaPull returns an iam.Grant', () => {
    const repository = assembly().types['cdk-container-function.ImageRepository'];
    const methods = (repository.methods ?? []) as any[];
    expect(methods.map(m => m.name)).not.toContain('restrictPushesToCopiers');
    expect(methods.find(m => m.name === 'grantLambdaPull')?.returns?.type).toEqual({ fqn: 'aws-cdk-lib.aws_iam.Grant' });
  });
});

test('API.md, generated from the assembly, shows the same three defaults', () => {
  const api = fs.readFileSync(path.join(root, 'API.md'), 'utf8');
  const start = api.indexOf('\n### ContainerFunctionProps ');
  const section = api.slice(start, api.indexOf('\n### ', start + 1));
  const defaultOf = (name: string) => {
    const at = section.indexOf(`##### \`${name}\`<sup>Optional</sup>`);
    expect(at).toBeGreaterThan(0);
    const body = section.slice(at, section.indexOf('\n#####', at));
    return { default: /- \*Default:\* (.*)/.exec(body)?.[1], deprecated: body.includes('Deprecated') };
  };
  expect(defaultOf('memorySize')).toEqual({ default: '1024', deprecated: false });
  expect(defaultOf('timeout')).toEqual({ default: 'Duration.seconds(30)', deprecated: false });
  expect(defaultOf('logRetention')).toEqual({ default: 'logs.RetentionDays.ONE_MONTH', deprecated: false });
});
