import { BaseImageFamily, LambdaBaseImage, SystemPackageManager } from '../../lib/dockerfile';

const ALL: [string, LambdaBaseImage, string, BaseImageFamily, string | undefined][] = [
  ['PYTHON_3_11', LambdaBaseImage.PYTHON_3_11, 'public.ecr.aws/lambda/python:3.11', BaseImageFamily.PYTHON, '2026-06-30'],
  ['PYTHON_3_12', LambdaBaseImage.PYTHON_3_12, 'public.ecr.aws/lambda/python:3.12', BaseImageFamily.PYTHON, undefined],
  ['PYTHON_3_13', LambdaBaseImage.PYTHON_3_13, 'public.ecr.aws/lambda/python:3.13', BaseImageFamily.PYTHON, undefined],
  ['PYTHON_3_14', LambdaBaseImage.PYTHON_3_14, 'public.ecr.aws/lambda/python:3.14', BaseImageFamily.PYTHON, undefined],
  ['NODEJS_20', LambdaBaseImage.NODEJS_20, 'public.ecr.aws/lambda/nodejs:20', BaseImageFamily.NODEJS, '2026-04-30'],
  ['NODEJS_22', LambdaBaseImage.NODEJS_22, 'public.ecr.aws/lambda/nodejs:22', BaseImageFamily.NODEJS, undefined],
  ['NODEJS_24', LambdaBaseImage.NODEJS_24, 'public.ecr.aws/lambda/nodejs:24', BaseImageFamily.NODEJS, undefined],
  ['JAVA_21', LambdaBaseImage.JAVA_21, 'public.ecr.aws/lambda/java:21', BaseImageFamily.JAVA, undefined],
  ['JAVA_25', LambdaBaseImage.JAVA_25, 'public.ecr.aws/lambda/java:25', BaseImageFamily.JAVA, undefined],
  ['PROVIDED_AL2023', LambdaBaseImage.PROVIDED_AL2023, 'public.ecr.aws/lambda/provided:al2023', BaseImageFamily.PROVIDED, undefined],
];

describe('LambdaBaseImage', () => {
  test.each(ALL)('%s is pinned to a version tag, never latest', (_n, base, image, family, deprecated) => {
    expect(base.image).toBe(image);
    expect(base.image).not.toMatch(/:latest$|^[^:]*$/);
    expect(base.family).toBe(family);
    expect(base.deprecationDate).toBe(deprecated);
    expect(base.isCustom).toBe(false);
    expect(base.includesRuntimeInterfaceClient).toBe(true);
    expect(base.packageManager).toBe(SystemPackageManager.DNF);
    expect(base.taskRoot).toBe('/var/task');
  });

  test('the runtime names match aws-cdk-lib Runtime names', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Runtime } = require('aws-cdk-lib/aws-lambda');
    const names = ALL.map(([, b]) => b.runtimeName);
    expect(names).toEqual([Runtime.PYTHON_3_11, Runtime.PYTHON_3_12, Runtime.PYTHON_3_13, Runtime.PYTHON_3_14, Runtime.NODEJS_20_X,
      Runtime.NODEJS_22_X, Runtime.NODEJS_24_X, Runtime.JAVA_21, Runtime.JAVA_25, Runtime.PROVIDED_AL2023].map((r: any) => r.name));
  });

  test('withDigest pins the tag to a digest and leaves the original alone', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    const pinned = LambdaBaseImage.PYTHON_3_13.withDigest(d);
    expect(pinned.image).toBe(`public.ecr.aws/lambda/python:3.13@${d}`);
    expect(pinned.digest).toBe(d);
    expect(pinned.runtimeName).toBe('python3.13');
    expect(LambdaBaseImage.PYTHON_3_13.image).toBe('public.ecr.aws/lambda/python:3.13');
  });

  test('custom images: defaults, registry ports, digest-only references', () => {
    const d = 'sha256:' + 'b'.repeat(64);
    const apt = LambdaBaseImage.custom('registry.local:5000/team/python:3.12-slim', { family: BaseImageFamily.PYTHON });
    expect(apt.image).toBe('registry.local:5000/team/python:3.12-slim');
    expect(apt.isCustom).toBe(true);
    expect(apt.includesRuntimeInterfaceClient).toBe(false);
    expect(apt.runtimeInterfaceClientVersion).toBe('3.1.1');
    expect(apt.packageManager).toBe(SystemPackageManager.APT);
    expect(LambdaBaseImage.custom(`python@${d}`, { family: BaseImageFamily.PYTHON }).image).toBe(`python@${d}`);
    expect(LambdaBaseImage.custom('python', { family: BaseImageFamily.PYTHON, digest: d }).image).toBe(`python@${d}`);
    expect(LambdaBaseImage.custom('node:18', { family: BaseImageFamily.NODEJS }).runtimeInterfaceClientVersion).toBe('3.3.0');
    expect(LambdaBaseImage.custom('node:18', { family: BaseImageFamily.NODEJS, includesRuntimeInterfaceClient: true }).runtimeInterfaceClientVersion).toBeUndefined();
  });
});
