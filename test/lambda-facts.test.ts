import { Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { Command } from 'commander';
import { ImageSubject, SubjectKind, DeprecatedLambdaBaseImageRule, PlatformMismatchRule } from '../lib/checks';
import { configureDockerfileCommand } from '../lib/cli/commands/dockerfile';
import { LambdaBaseImage } from '../lib/dockerfile';
import { stageSourceImage } from '../lib/dockerfile/stage-source';
import { platformForName } from '../lib/image/platform';
import {
  AWS_BASE_IMAGES, IMAGE_DIGEST, LAMBDA_ARCHITECTURES, RUNTIME_DEPRECATIONS, awsBaseImageRepository, dockerPlatform, isDeprecatedOn,
  normalizePlatform, replacementAdvice, runtimeDeprecation,
} from '../lib/lambda-facts';
import { sourceDir } from './dockerfile/support';

// Lambda's facts live in lib/lambda-facts.ts; these tests prove each reader takes them from there.

test('every LambdaBaseImage constant is in the facts table, and only those: the CLI lists exactly the constants', () => {
  const constants = Object.getOwnPropertyNames(LambdaBaseImage).filter(n => (LambdaBaseImage as any)[n] instanceof LambdaBaseImage);
  expect(constants.sort()).toEqual(AWS_BASE_IMAGES.map(b => b.constant).sort());
  for (const b of AWS_BASE_IMAGES) {
    const base = (LambdaBaseImage as any)[b.constant] as LambdaBaseImage;
    expect([base.image, base.runtimeName, base.family]).toEqual([`public.ecr.aws/lambda/${b.repository}:${b.tag}`, b.runtime, b.family]);
  }
  const help = configureDockerfileCommand(new Command('dockerfile')).helpInformation();
  expect(help.replace(/\s+/g, ' ')).toContain(`base image: ${AWS_BASE_IMAGES.map(b => b.constant).join(', ')}`);
});

test('a base image is deprecated once its date has passed, not before', () => {
  const node20 = runtimeDeprecation('nodejs', '20')!;
  expect(isDeprecatedOn(node20, new Date('2026-04-29T23:00:00Z'))).toBe(false);
  expect(isDeprecatedOn(node20, new Date('2026-04-30T00:00:00Z'))).toBe(true);
  expect(runtimeDeprecation('python', '3.12-arm64')?.identifier).toBe('python3.12');
  expect(runtimeDeprecation('java', '8.al2')?.identifier).toBe('java8.al2');
  expect(runtimeDeprecation('java', '8')?.identifier).toBe('java8 (Amazon Linux 1)');
  // Every AWS base the library offers has a date, so none can silently go out of support.
  for (const b of AWS_BASE_IMAGES) expect(runtimeDeprecation(b.repository, b.tag)?.identifier).toBe(b.runtime);
  // The constants carry the date only once it has passed.
  const today = new Date();
  for (const b of AWS_BASE_IMAGES) {
    const row = runtimeDeprecation(b.repository, b.tag)!;
    expect((LambdaBaseImage as any)[b.constant].deprecationDate).toBe(isDeprecatedOn(row, today) ? row.deprecatedOn : undefined);
  }
});

test('the AL2-based runtimes and .NET 9 are in the table', () => {
  const byId = Object.fromEntries(RUNTIME_DEPRECATIONS.map(d => [d.identifier, d.deprecatedOn]));
  expect(byId).toMatchObject({
    'java8.al2': '2026-06-30',
    'java11': '2026-06-30',
    'java17': '2026-06-30',
    'python3.10': '2026-06-30',
    'python3.11': '2026-06-30',
    'provided.al2': '2026-06-30',
    'dotnet9 (container only)': '2026-11-10',
  });
});

test('a fromSource function on a deprecated base gets the same advice from the generator and from CCF109', () => {
  const staged = stageSourceImage('S/Fn', sourceDir({ 'index.js': '' }), { base: LambdaBaseImage.NODEJS_20, handler: 'index.handler' });
  const generatorWarning = staged.warnings.find(w => w.id === 'cdk-container-function:DeprecatedBaseImage')!.message;
  const subject = new ImageSubject({ kind: SubjectKind.IMAGE_ASSET, construct: new Stack(), dockerfileText: staged.dockerfile, dockerfilePath: 'Dockerfile' });
  const [ccf109] = new DeprecatedLambdaBaseImageRule({ asOf: new Date('2026-12-01') }).check(subject);
  const advice = replacementAdvice('nodejs');
  expect(advice).toBe('public.ecr.aws/lambda/nodejs:24 (LambdaBaseImage.NODEJS_24)');
  expect(generatorWarning).toContain(`Move to ${advice}.`);
  expect(ccf109.fix).toBe(`move to ${advice}`);
  expect(ccf109.message).toContain('deprecated by AWS Lambda on 2026-04-30');
  expect(generatorWarning).toContain('on 2026-04-30');
});

test('architecture names and their aliases map to one platform, for the construct and for CCF020', () => {
  for (const a of LAMBDA_ARCHITECTURES) {
    expect(platformForName(a.name)?.platformName).toBe(a.platform);
    for (const alias of a.aliases) {
      expect(platformForName(alias.toUpperCase())?.platformName).toBe(a.platform);
      expect(normalizePlatform(`linux/${alias}`)).toBe(a.platform);
    }
  }
  expect(platformForName('riscv64')).toBeUndefined();
  expect(normalizePlatform('linux/arm64/v8')).toBe('linux/arm64');
  expect(normalizePlatform('aarch64')).toBe('linux/arm64');
  const arm = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: new Stack(), architecture: 'arm64', platform: 'linux/aarch64' });
  expect(new PlatformMismatchRule().check(arm)).toEqual([]);
  const wrong = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: new Stack(), architecture: 'arm64', platform: 'linux/x86_64' });
  expect(new PlatformMismatchRule().check(wrong)).toHaveLength(1);
});


test('a Lambda architecture has one Docker platform; none named is Lambda\'s default, x86_64', () => {
  for (const a of LAMBDA_ARCHITECTURES) expect(dockerPlatform(a.name)).toBe(a.platform);
  expect(dockerPlatform(lambda.Architecture.ARM_64.name)).toBe('linux/arm64');
  expect(dockerPlatform(lambda.Architecture.X86_64.name)).toBe('linux/amd64');
  expect(dockerPlatform('arm64')).toBe('linux/arm64');
  expect(dockerPlatform()).toBe('linux/amd64');
  expect(dockerPlatform(undefined)).toBe('linux/amd64');
});

test('digests and AWS base image names are recognised by one pattern each', () => {
  expect(IMAGE_DIGEST.test(`sha256:${'a'.repeat(64)}`)).toBe(true);
  expect(IMAGE_DIGEST.test(`sha256:${'A'.repeat(64)}`)).toBe(false);
  expect(IMAGE_DIGEST.test(`sha256:${'a'.repeat(63)}`)).toBe(false);
  expect(awsBaseImageRepository('public.ecr.aws/lambda/python')).toBe('python');
  expect(awsBaseImageRepository('Public.ECR.aws/lambda/nodejs')).toBe('nodejs');
  expect(awsBaseImageRepository('amazon/aws-lambda-java')).toBe('java');
  expect(awsBaseImageRepository('docker.io/amazon/aws-lambda-provided')).toBe('provided');
  expect(awsBaseImageRepository('public.ecr.aws/lambda/python/extra')).toBeUndefined();
  expect(awsBaseImageRepository('python')).toBeUndefined();
  expect(awsBaseImageRepository('example.com/amazon/aws-lambda-python')).toBeUndefined();
});
