// Reading one template's functions (settings, Lambda's defaults, environment literal and unresolved), and finding
// the function a user names.
import { AppFunction } from '../../lib/assembly/app-function';
import { UnknownNameError, findFunction } from '../../lib/assembly/function-lookup';
import { ImageAsset } from '../../lib/assembly/image-asset';
import { CfnTemplate, functionsOf, templateStack } from '../../lib/assembly/read-app';

const HASH = 'a'.repeat(64);

const template = {
  Resources: {
    Fn1A2B3C: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        PackageType: 'Image',
        Code: { ImageUri: { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr...' } },
        MemorySize: 512,
        Timeout: 30,
        Architectures: ['arm64'],
        Environment: { Variables: { GREETING: 'hi', PORT: 8080, BUCKET: { Ref: 'Bucket83908E77' } } },
        ImageConfig: { Command: ['app.other'], EntryPoint: ['/x', 'y'], WorkingDirectory: '/w' },
      },
      Metadata: { 'aws:cdk:path': 'Stack/Fn/Resource', 'aws:asset:path': `asset.${HASH}`, 'aws:asset:property': 'Code.ImageUri' },
    },
    Plain: {
      Type: 'AWS::Lambda::Function',
      Properties: { PackageType: 'Image', FunctionName: 'named-fn', Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:v1' } },
    },
    Zip: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: 'x' } } },
    Bucket83908E77: { Type: 'AWS::S3::Bucket' },
  },
};

const ASSET: ImageAsset = { id: HASH, source: { directory: `asset.${HASH}` }, baseDirectory: '/assembly', imageTags: [HASH] };

function imageFunctionsOf(stackName: string, t: CfnTemplate, assets: ImageAsset[] = [ASSET]): AppFunction[] {
  return functionsOf(templateStack(t, { stackId: stackName, stackName }), assets);
}

describe('functionsOf', () => {
  const [fn, plain, ...rest] = imageFunctionsOf('Stack', template);

  test('only PackageType Image functions', () => {
    expect(rest).toEqual([]);
  });

  test('settings from the template; unresolved environment values listed by name', () => {
    expect(fn).toMatchObject({
      stackName: 'Stack',
      logicalId: 'Fn1A2B3C',
      path: 'Stack/Fn',
      functionName: 'Stack-Fn1A2B3C',
      memoryMb: 512,
      timeoutSeconds: 30,
      architecture: 'arm64',
      environment: { GREETING: 'hi', PORT: '8080' },
      unresolvedEnvironment: ['BUCKET'],
      command: ['app.other'],
      entryPoint: ['/x', 'y'],
      workingDirectory: '/w',
      image: { kind: 'asset', asset: ASSET },
    });
  });

  test('an asset the manifests do not list is named by its hash, for the error that follows', () => {
    expect(imageFunctionsOf('Stack', template, [])[0].image).toEqual({ kind: 'unlisted-asset', assetHash: HASH });
  });

  test("Lambda's defaults, a literal FunctionName and an image URI (which SAM skips)", () => {
    expect(plain).toMatchObject({
      path: 'Stack/Plain',
      functionName: 'named-fn',
      memoryMb: 128,
      timeoutSeconds: 3,
      architecture: 'x86_64',
      image: { kind: 'uri', uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:v1' },
    });
  });
});

describe('findFunction', () => {
  // The same construct in a second stack: same logical id, another path.
  const other = JSON.parse(JSON.stringify(template).replace(/Stack\/Fn\/Resource/g, 'Other/Fn/Resource'));
  const specs = [...imageFunctionsOf('Stack', template), ...imageFunctionsOf('Other', other).filter(f => f.logicalId !== 'Plain')];

  test.each(['Stack/Fn', 'Stack/Fn/Resource', 'Stack/Fn1A2B3C', 'named-fn'])('finds by %s', name => {
    const found = findFunction(specs, name);
    expect(name === 'named-fn' ? found.logicalId : found.path).toBe(name === 'named-fn' ? 'Plain' : 'Stack/Fn');
  });

  test('an ambiguous logical id lists the candidates by construct path', () => {
    expect(() => findFunction(specs, 'Fn1A2B3C')).toThrow(/matches 2 functions; name one by its construct path:\n {2}Stack\/Fn \(Fn1A2B3C\)\n {2}Other\/Fn \(Fn1A2B3C\)/);
  });

  test('an unknown name lists near misses, else every function', () => {
    expect(() => findFunction(specs, 'Fn')).toThrow(/no container-image function "Fn". Did you mean:\n {2}Stack\/Fn/);
    expect(() => findFunction(specs, 'zzz')).toThrow(/Functions in this app:\n {2}Stack\/Fn \(Fn1A2B3C\)\n {2}Stack\/Plain/);
  });

  test('a name selects by the whole path, never by prefix: One/Api is not One/Api2', () => {
    const base = specs.find(f => f.path === 'Stack/Fn')!;
    const pair = [{ ...base, path: 'One/Api2', logicalId: 'Api2X', functionName: 'one-api2' }, { ...base, path: 'One/Api', logicalId: 'ApiX', functionName: 'one-api' }];
    expect(findFunction(pair, 'One/Api').logicalId).toBe('ApiX');
    expect(findFunction(pair, 'One/Api2').logicalId).toBe('Api2X');
    expect(() => findFunction([pair[0]], 'One/Api')).toThrow(/no container-image function "One\/Api"/);
    expect(() => findFunction(pair, 'one-api2x')).toThrow(/no container-image function/);
  });

  test('an app without image functions says so', () => {
    expect(() => findFunction([], 'x')).toThrow(/no container-image Lambda functions/);
  });

  test('every miss is an UnknownNameError (the CLI exits 2: a usage error)', () => {
    expect(() => findFunction(specs, 'zzz')).toThrow(UnknownNameError);
    expect(() => findFunction(specs, 'Fn1A2B3C')).toThrow(UnknownNameError);
  });
});
