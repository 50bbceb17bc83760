import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Lazy, RemovalPolicy, Size, Stack, aws_ecr as ecr, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { ContainerFunction, ContainerFunctionProps, ContainerImage, ImageTag, LambdaBaseImage, SourceBuildSecret } from '../lib';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from './support/git-repo';

withoutCiShaVariables();

let repo: TempGitRepo;
let notGit: string;
beforeAll(() => {
  repo = TempGitRepo.create({
    ...functionFiles(),
    'fn/Custom.Dockerfile': 'FROM scratch\n',
    'fn/..Dockerfile': 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}\nCMD ["app.handler"]\n',
    'fn/..sub/Dockerfile': 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}\nCMD ["app.handler"]\n',
    'other/Dockerfile': 'FROM scratch\n',
    'nodockerfile/app.py': 'x',
    'dirdockerfile/Dockerfile/Dockerfile': 'FROM scratch\n',
    'empty/Dockerfile': '',
    'comments/Dockerfile': '# syntax notes only\n\n   # nothing else\n',
    'src/app.py': 'def lambda_handler(event, context):\n    return 1\n',
    'src/requirements.txt': 'six\n',
    'src/pip.conf': 'index-url = https://u:p@pypi.example.com/simple\n',
  });
  // Links a fromSource staging must refuse (made after the commit: staging fails before git is read).
  for (const [name, target] of [['loop/util.py', 'util.py'], ['dangling/util.py', 'gone.py'], ['outside/util.py', repo.path('other/Dockerfile')]]) {
    fs.mkdirSync(repo.path(path.dirname(name)), { recursive: true });
    fs.symlinkSync(target, repo.path(name));
    fs.writeFileSync(repo.path(path.join(path.dirname(name), 'app.py')), 'def lambda_handler(event, context):\n    return 1\n');
  }
  notGit = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-nogit-'));
  fs.writeFileSync(path.join(notGit, 'Dockerfile'), 'FROM scratch\n');
});
afterAll(() => {
  repo.remove();
  fs.rmSync(notGit, { recursive: true, force: true });
});

const fn = () => repo.path('fn');
const hex64 = 'a'.repeat(64);
const dockerfile = (options = {}) => ContainerImage.fromDockerfile(fn(), options);
const source = (options: object = {}, dir = 'src') => ContainerImage.fromSource(repo.path(dir), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler', ...options });
const ecrImage = (stack: Stack, tagOrDigest: any) => ContainerImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Imported', 'images'), { tagOrDigest });

type Case = [string, (stack: Stack) => Partial<ContainerFunctionProps> & { image?: ContainerImage }, RegExp, Record<string, string>?];
const cases: Case[] = [
  ['missing directory', () => ({ image: ContainerImage.fromDockerfile('/definitely/not/here') }), /no directory at \/definitely\/not\/here\. Pass the path of the build context/],
  ['directory is a file', () => ({ image: ContainerImage.fromDockerfile(repo.path('fn/app.py')) }), /is a file, not a directory\. Pass the directory that holds the Dockerfile/],
  ['no Dockerfile names the path looked for', () => ({ image: ContainerImage.fromDockerfile(repo.path('nodockerfile')) }), /no Dockerfile at .*nodockerfile\/Dockerfile\. Pass \{ file \}.*fromSource/],
  ['custom file missing', () => ({ image: dockerfile({ file: 'Nope.Dockerfile' }) }), /no Dockerfile at .*fn\/Nope\.Dockerfile/],
  ['file escaping the directory', () => ({ image: dockerfile({ file: '../other/Dockerfile' }) }), /file '\.\.\/other\/Dockerfile' is outside the build context.*move the Dockerfile into the directory/],
  ['absolute file outside the directory', () => ({ image: dockerfile({ file: repo.path('other/Dockerfile') }) }), /is outside the build context/],
  ['directory token', () => ({ image: ContainerImage.fromDockerfile(Lazy.string({ produce: () => 'x' })) }), /the Dockerfile directory is an unresolved token\. Pass a literal value/],
  ['file token', () => ({ image: dockerfile({ file: Lazy.string({ produce: () => 'x' }) }) }), /file is an unresolved token/],
  ['empty cmd', () => ({ image: dockerfile({ cmd: [] }) }), /cmd is empty\. Omit cmd/],
  ['tag token', () => ({ image: dockerfile(), tag: ImageTag.of(Lazy.string({ produce: () => 'x' })) }), /ImageTag\.of\(\) is an unresolved token\. Pass a literal tag/],
  ['tag with bad characters', () => ({ image: dockerfile(), tag: ImageTag.of('-v1') }), /ImageTag\.of\(\) '-v1' is not a valid ECR tag\. Use 1 to 128 characters/],
  ['tag with a slash', () => ({ image: dockerfile(), tag: ImageTag.of('release/1') }), /'release\/1' is not a valid ECR tag/],
  ['tag too long', () => ({ image: dockerfile(), tag: ImageTag.of('v'.repeat(129)) }), /is not a valid ECR tag/],
  ['empty tag', () => ({ image: dockerfile(), tag: ImageTag.of('') }), /ImageTag\.of\(\) '' is not a valid ECR tag/],
  ['latest as explicit tag', () => ({ image: dockerfile(), tag: ImageTag.of('latest') }), /ImageTag\.of\(\) 'latest' is mutable\. Use an immutable tag/],
  ['LATEST in any case', () => ({ image: dockerfile(), tag: ImageTag.of('Latest') }), /'latest' is mutable/],
  ['git SHA that is not hex', () => ({ image: dockerfile(), tag: ImageTag.gitSha({ sha: 'not-a-sha-at-all' }) }), /git SHA 'not-a-sha-at-all' from ImageTag\.gitSha\(\{ sha \}\) is not hexadecimal/],
  ['git SHA shorter than the length', () => ({ image: dockerfile(), tag: ImageTag.gitSha({ sha: 'abcdef1' }) }), /git SHA 'abcdef1' .* is shorter than the tag length 12/],
  ['git SHA length too small', () => ({ image: dockerfile(), tag: ImageTag.gitSha({ length: 6 }) }), /length 6 is out of range\. Use an integer from 7 to 40/],
  ['git SHA length too large', () => ({ image: dockerfile(), tag: ImageTag.gitSha({ length: 41 }) }), /length 41 is out of range/],
  ['git SHA from context not hex (outside a git checkout)', () => ({ image: ContainerImage.fromDockerfile(notGit) }), /git SHA 'xyz' from context 'cdk-container-function:gitSha' is not hexadecimal/, { 'cdk-container-function:gitSha': 'xyz' }],
  ['not a git checkout, no SHA', () => ({ image: ContainerImage.fromDockerfile(notGit) }), /is not in a git checkout and no SHA was given/],
  ['fromEcr without tagOrDigest', stack => ({ image: ecrImage(stack, undefined) }), /fromEcr\(\) needs tagOrDigest\. Pass the image's immutable tag or digest/],
  ['fromEcr with latest', stack => ({ image: ecrImage(stack, 'latest') }), /tag 'latest' is mutable\. Reference an immutable tag or the digest/],
  ['fromEcr with short digest', stack => ({ image: ecrImage(stack, 'sha256:abc') }), /digest 'sha256:abc' is not valid\. A digest is 'sha256:' followed by 64/],
  ['fromEcr with uppercase digest', stack => ({ image: ecrImage(stack, 'sha256:' + 'A'.repeat(64)) }), /is not valid/],
  ['fromEcr with a full reference', stack => ({ image: ecrImage(stack, 'repo:1.0') }), /'repo:1\.0' is neither a tag nor a sha256 digest/],
  ['fromEcr with bad tag', stack => ({ image: ecrImage(stack, '.hidden') }), /tag '\.hidden' is not a valid ECR tag/],
  ['fromEcr tag token', stack => ({ image: ecrImage(stack, Lazy.string({ produce: () => 'x' })) }), /tagOrDigest is an unresolved token/],
  ['fromEcr with a tag option', stack => ({ image: ecrImage(stack, 'sha256:' + hex64), tag: ImageTag.of('1.0') }), /tag applies to built images.*fromEcr\(\)\. Remove tag/],
  ['fromEcr with a repository', stack => ({ image: ecrImage(stack, '1.0'), repository: new ecr.Repository(stack, 'R') }), /repository applies to built images/],
  ['assetHash with a repository', stack => ({ image: dockerfile(), tag: ImageTag.assetHash(), repository: new ecr.Repository(stack, 'R') }), /ImageTag\.assetHash\(\) keeps the image in the CDK asset repository/],
  ['budget of zero', () => ({ image: dockerfile(), maxImageSize: Size.bytes(0) }), /maxImageSize must be greater than 0/],
  ['budget over 10 GB', () => ({ image: dockerfile(), maxImageSize: Size.gibibytes(11) }), /maxImageSize 11 GiB is over Lambda's 10 GiB image limit\. Pass at most Size\.gibibytes\(10\)/],
  ['budget token', () => ({ image: dockerfile(), maxImageSize: Size.mebibytes(Lazy.number({ produce: () => 1 })) }), /maxImageSize is an unresolved token/],
  ['memory under 128 MB', () => ({ image: dockerfile(), memorySize: 64 }), /memorySize 64 MB is outside Lambda's range\. Use a whole number of MB from 128 to 10240/],
  ['memory over 10240 MB', () => ({ image: dockerfile(), memorySize: 10241 }), /memorySize 10241 MB is outside/],
  ['timeout over 15 minutes', () => ({ image: dockerfile(), timeout: Duration.minutes(16) }), /timeout 16 minutes is over Lambda's 15 minutes/],
  ['missing image', () => ({}), /image is required/],
  ['logRetention with a given logGroup', stack => ({ image: dockerfile(), logGroup: new logs.LogGroup(stack, 'Logs'), logRetention: logs.RetentionDays.ONE_DAY }),
    /logRetention applies to the log group the function creates, but logGroup was given\. Set the retention on your log group/],
  ['logRemovalPolicy with a given logGroup', stack => ({ image: dockerfile(), logGroup: new logs.LogGroup(stack, 'Logs'), logRemovalPolicy: RemovalPolicy.DESTROY }),
    /logRemovalPolicy applies to the log group the function creates, but logGroup was given\. Set the removal policy on your log group/],
  // Dockerfiles that are not one.
  ['Dockerfile is a directory', () => ({ image: ContainerImage.fromDockerfile(repo.path('dirdockerfile')) }),
    /dirdockerfile\/Dockerfile is a directory, not a Dockerfile\. Pass the file inside it, e\.g\. \{ file: 'Dockerfile\/Dockerfile' \}/],
  ['empty Dockerfile', () => ({ image: ContainerImage.fromDockerfile(repo.path('empty')) }), /the Dockerfile .*empty\/Dockerfile is empty \(no instructions\)\. Write at least a FROM line/],
  ['Dockerfile of comments only', () => ({ image: ContainerImage.fromDockerfile(repo.path('comments')) }), /comments\/Dockerfile is empty \(no instructions\)/],
  ['file that is the directory itself', () => ({ image: dockerfile({ file: '.' }) }), /fn is a directory, not a Dockerfile/],
  ['empty entrypoint', () => ({ image: dockerfile({ entrypoint: [] }) }), /entrypoint is empty\. Omit entrypoint to keep the image's/],
  // Function options Lambda refuses at deploy time, refused at synth instead.
  ['architecture Lambda does not run', () => ({ image: dockerfile(), architecture: lambda.Architecture.custom('riscv64') }),
    /architecture 'riscv64' is not one Lambda runs \(x86_64, arm64\)\. Use Architecture\.X86_64 or Architecture\.ARM_64/],
  ['architecture alias instead of Lambda\'s name', () => ({ image: dockerfile(), architecture: lambda.Architecture.custom('aarch64') }),
    /architecture 'aarch64' is not one Lambda runs .*Use Architecture\.ARM_64, Lambda's name for it/],
  ['architecture in another case', () => ({ image: dockerfile(), architecture: lambda.Architecture.custom('X86_64') }), /architecture 'X86_64' is not one Lambda runs.*Architecture\.X86_64/],
  ['timeout under 1 second', () => ({ image: dockerfile(), timeout: Duration.millis(500) }), /timeout 500 millis is under 1 second\. Use at least Duration\.seconds\(1\)/],
  ['timeout of zero', () => ({ image: dockerfile(), timeout: Duration.seconds(0) }), /timeout 0 seconds is under 1 second/],
  ['memory not a whole number', () => ({ image: dockerfile(), memorySize: 512.5 }), /memorySize 512\.5 MB is not a whole number\. Use a whole number of MB from 128 to 10240/],
  ['memory of zero', () => ({ image: dockerfile(), memorySize: 0 }), /memorySize 0 MB is outside Lambda's range/],
  ['negative memory', () => ({ image: dockerfile(), memorySize: -1024 }), /memorySize -1024 MB is outside Lambda's range/],
  // fromSource: the source directory and options.
  ['fromSource directory missing', () => ({ image: ContainerImage.fromSource('/definitely/not/here', { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }) }),
    /source directory \/definitely\/not\/here does not exist\. Create it or fix the path/],
  ['fromSource path is a file', () => ({ image: ContainerImage.fromSource(repo.path('src/app.py'), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }) }),
    /source path .*src\/app\.py is a file\. Pass the directory that holds the function's code/],
  ['fromSource directory token', () => ({ image: ContainerImage.fromSource(Lazy.string({ produce: () => 'x' }), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }) }),
    /the source directory is an unresolved token\. Pass a literal path/],
  ['fromSource without a base', () => ({ image: source({ base: undefined }) }), /needs options\.base, e\.g\. LambdaBaseImage\.PYTHON_3_13/],
  ['fromSource with an empty handler', () => ({ image: source({ handler: '' }) }), /needs a literal handler, e\.g\. "app\.lambda_handler"/],
  ['fromSource handler token', () => ({ image: source({ handler: Lazy.string({ produce: () => 'app.lambda_handler' }) }) }), /needs a literal handler/],
  ['fromSource handler of the wrong shape', () => ({ image: source({ handler: 'app' }) }), /handler "app" does not fit a python3\.13 base, which expects the form/],
  ['fromSource handler module missing', () => ({ image: source({ handler: 'main.lambda_handler' }) }), /handler main\.lambda_handler needs .*main\.py.* Add the file or fix the handler/],
  ['fromSource build secret inside the source', () => ({ image: source({ buildSecrets: [SourceBuildSecret.pipIndexUrl(repo.path('src/pip.conf'))] }) }),
    /build secret "pip-index-url" .* is inside the source directory and would be sent with the build context\. Move it out of the directory or add it to the exclude option/],
  ['fromSource environment with a line break', () => ({ image: source({ environment: { MOTD: 'a\nb' } }) }), /environment variable MOTD contains a line break/],
  ['fromSource symlink loop', () => ({ image: source({}, 'loop') }), /loop\/util\.py is a symlink loop \(-> util\.py\)\. Remove the link, or add 'util\.py' to the exclude option/],
  ['fromSource dangling symlink', () => ({ image: source({}, 'dangling') }), /dangling\/util\.py is a dangling symlink: its target gone\.py does not exist/],
  ['fromSource symlink to outside', () => ({ image: source({}, 'outside') }), /outside\/util\.py is a symlink to .*other\/Dockerfile, outside the source directory/],
  ['fromEcr with an empty tag', stack => ({ image: ecrImage(stack, '') }), /fromEcr\(\) needs tagOrDigest/],
  ['fromEcr with a repo@digest reference', stack => ({ image: ecrImage(stack, `repo@sha256:${hex64}`) }), /is neither a tag nor a sha256 digest\. Pass only the tag/],
  ['fromEcr with a tag of spaces', stack => ({ image: ecrImage(stack, 'v 1') }), /tag 'v 1' is not a valid ECR tag/],
  // Misuse from JavaScript, where no types stop it: each names the construct and the fix, never a raw TypeError.
  ['fromEcr(null)', () => ({ image: ContainerImage.fromEcr(null as any, { tagOrDigest: '1.0' }) }),
    /ContainerImage\.fromEcr\(\) needs a repository, got null\. Pass an ECR repository, e.g\. ecr\.Repository\.fromRepositoryName\(this, 'Images', 'my-images'\)/],
  ['fromEcr with a string for the repository', () => ({ image: ContainerImage.fromEcr('images' as any, { tagOrDigest: '1.0' }) }),
    /fromEcr\(\) needs a repository, got the string "images"\. Pass an ECR repository, e.g\. ecr\.Repository\.fromRepositoryName/],
  ['fromEcr with the tag instead of the options', stack => ({ image: ContainerImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Imported', 'images'), '1.0' as any) }),
    /fromEcr\(\) takes options, got the string "1\.0"\. Pass \{ tagOrDigest: '1\.0' \}/],
  ['fromEcr with a number for tagOrDigest', stack => ({ image: ecrImage(stack, 42) }), /fromEcr\(\) tagOrDigest must be a string, got the number 42\. Pass the tag as text, e\.g\. \{ tagOrDigest: '42' \}/],
  ['fromEcr with a string for cmd', stack => ({ image: ContainerImage.fromEcr(ecr.Repository.fromRepositoryName(stack, 'Imported', 'images'), { tagOrDigest: '1.0', cmd: 'app.handler' as any }) }),
    /cmd must be a list of strings, got the string "app\.handler"\. Give the exec form, e\.g\. \['app\.handler'\]/],
  ['image: {}', () => ({ image: {} as any }), /image is not a ContainerImage \(got an object\)\. Pass ContainerImage\.fromDockerfile\('dir'\), fromSource\(\) or fromEcr\(\)/],
  ['image given as a path', () => ({ image: 'fn' as any }), /image is not a ContainerImage \(got the string "fn"\)\. Pass ContainerImage\.fromDockerfile\('fn'\)/],
  ["architecture: 'sparc'", () => ({ image: dockerfile(), architecture: 'sparc' as any }),
    /architecture is not an Architecture \(got the string "sparc"\), and 'sparc' is not one Lambda runs \(x86_64, arm64\)\. Use Architecture\.X86_64 or Architecture\.ARM_64/],
  ["architecture: 'arm64' as a string", () => ({ image: dockerfile(), architecture: 'arm64' as any }), /architecture is not an Architecture \(got the string "arm64"\)\. Use Architecture\.ARM_64/],
  ['timeout as a number', () => ({ image: dockerfile(), timeout: 30 as any }), /timeout is not a Duration \(got the number 30\)\. Use Duration\.seconds\(30\)/],
  ['memorySize as a string', () => ({ image: dockerfile(), memorySize: '512' as any }), /memorySize must be a number of MB, got the string "512"\. Pass 512/],
  ['maxImageSize as a number', () => ({ image: dockerfile(), maxImageSize: 100 as any }), /maxImageSize is not a Size \(got the number 100\)\. Use Size\.mebibytes\(\.\.\.\) or Size\.gibibytes\(\.\.\.\)/],
  ['tag as a string', () => ({ image: dockerfile(), tag: 'v1' as any }), /tag is not an ImageTag \(got the string "v1"\)\. Use ImageTag\.of\('v1'\), ImageTag\.gitSha\(\) or ImageTag\.assetHash\(\)/],
  ['repository as a string', () => ({ image: dockerfile(), repository: 'images' as any }),
    /repository is not an ECR repository \(got the string "images"\)\. Pass one, e\.g\. ecr\.Repository\.fromRepositoryName\(this, 'Images', 'images'\)/],
  ['fromDockerfile(undefined)', () => ({ image: ContainerImage.fromDockerfile(undefined as any) }),
    /ContainerImage\.fromDockerfile\(\) needs the directory that holds the Dockerfile, got undefined\. Pass its path, e\.g\. ContainerImage\.fromDockerfile\(path\.join\(__dirname, 'fn'\)\)/],
  ['fromDockerfile with a number', () => ({ image: ContainerImage.fromDockerfile(42 as any) }), /fromDockerfile\(\) needs the directory that holds the Dockerfile, got the number 42/],
  ['fromDockerfile with a string for cmd', () => ({ image: dockerfile({ cmd: 'app.handler' }) }), /cmd must be a list of strings, got the string "app\.handler"\. Give the exec form, e\.g\. \['app\.handler'\]/],
  ['fromDockerfile with a number in entrypoint', () => ({ image: dockerfile({ entrypoint: ['/lambda-entrypoint.sh', 1] }) }), /entrypoint must be a list of strings, got \["\/lambda-entrypoint\.sh",1\]/],
  ['fromDockerfile with a string for exclude', () => ({ image: dockerfile({ exclude: 'tmp' }) }), /exclude must be a list of patterns, got the string "tmp"\. Pass \['tmp'\]/],
  ['fromDockerfile with a number for file', () => ({ image: dockerfile({ file: 7 }) }), /file must be a string, got the number 7\. Pass the Dockerfile's name relative to the directory/],
  ['fromSource(undefined)', () => ({ image: ContainerImage.fromSource(undefined as any, { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }) }),
    /ContainerImage\.fromSource\(\) needs the directory that holds the function's source, got undefined\. Pass its path, e\.g\. ContainerImage\.fromSource\(path\.join\(__dirname, 'src'\)/],
  ['fromSource without options', () => ({ image: (ContainerImage.fromSource as any)(repo.path('src')) }), /fromSource\(.*src\) needs options\.base, e\.g\. LambdaBaseImage\.PYTHON_3_13/],
  ['fromSource without a handler', () => ({ image: source({ handler: undefined }) }), /needs a literal handler, e\.g\. "app\.lambda_handler"/],
  ['fromSource with a number for the handler', () => ({ image: source({ handler: 42 }) }), /needs a literal handler/],
  ['fromSource with a string for the base', () => ({ image: source({ base: 'python3.13' }) }),
    /options\.base is not a LambdaBaseImage \(got the string "python3\.13"\)\. Use one of its constants, e\.g\. LambdaBaseImage\.PYTHON_3_13, or LambdaBaseImage\.custom\(\.\.\.\)/],
  ['fromSource with a string for exclude', () => ({ image: source({ exclude: 'tests' }) }), /exclude must be a list of patterns, got the string "tests"\. Pass \['tests'\]/],
  ['ImageTag.of with a number', () => ({ image: dockerfile(), tag: ImageTag.of(123 as any) }), /ImageTag\.of\(\) needs the version as a string, got the number 123\. Pass ImageTag\.of\('123'\)/],
  ['ImageTag.gitSha with a string for length', () => ({ image: dockerfile(), tag: ImageTag.gitSha({ length: '12' as any }) }), /ImageTag\.gitSha\(\) length must be a number, got the string "12"\. Pass \{ length: 12 \}/],
  ['fromDockerfile with a string for buildArgs', () => ({ image: dockerfile({ buildArgs: 'MODE=prod' }) }), /buildArgs must be an object of names to strings, got the string "MODE=prod"\. Pass \{ MODE: 'prod' \}/],
  ['fromDockerfile with a number in buildArgs', () => ({ image: dockerfile({ buildArgs: { WORKERS: 4 } }) }), /buildArgs\.WORKERS must be a string, got the number 4\. Pass \{ WORKERS: '4' \}/],
  ['fromSource with a string for environment', () => ({ image: source({ environment: 'STAGE=prod' }) }), /environment must be an object of names to strings, got the string "STAGE=prod"\. Pass \{ STAGE: 'prod' \}/],
  ['fromSource with an object for buildSecrets', () => ({ image: source({ buildSecrets: { npmrc: '/home/u/.npmrc' } }) }),
    /buildSecrets must be a list of SourceBuildSecret, got an object\. Pass e\.g\. \[SourceBuildSecret\.npmrc\('\/home\/u\/\.npmrc'\)\]/],
  ['logRetention as a string', () => ({ image: dockerfile(), logRetention: 'ONE_WEEK' as any }), /logRetention is not a RetentionDays \(got the string "ONE_WEEK"\)\. Use logs\.RetentionDays\.ONE_WEEK/],
  ['fromSource with a string for systemPackages', () => ({ image: source({ systemPackages: 'gcc' }) }), /systemPackages must be a list of strings, got the string "gcc"\. Pass \['gcc'\]/],
];

describe('invalid props throw before any construct is created', () => {
  // Every row gets its context, so jest never mistakes the 4th parameter for a done callback.
  test.each(cases.map(([name, props, message, context]) => [name, props, message, context ?? {}] as const))('%s', (_name, props, message, context) => {
    const app = new App({ context });
    const stack = new Stack(app, 'Stack');
    const input = props(stack) as ContainerFunctionProps;
    const before = stack.node.findAll().length;
    expect(() => new ContainerFunction(stack, 'Fn', input)).toThrow(message);
    expect(() => new ContainerFunction(stack, 'Fn2', input)).toThrow(/^Stack\/Fn2: /);
    // Nothing half-written: the failed constructs added nothing to the tree.
    expect(stack.node.findAll().length).toBe(before);
    // The error points at the line that made the function (here), not into the library, whose TypeScript is not shipped:
    // Node prints the source line of the first frame above the message.
    let error: Error | undefined;
    try { new ContainerFunction(stack, 'Fn3', input); } catch (e) { error = e as Error; }
    const firstFrame = error?.stack?.split('\n').find(line => line.trim().startsWith('at '));
    expect(firstFrame).toContain(`${path.sep}invalid-props.test.ts:`);
  });

  test('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});

describe('edge input that is valid', () => {
  // Outside the context means a leading '..' path segment; names that start with two dots are inside.
  test.each([['..Dockerfile'], ['..sub/Dockerfile'], ['./..Dockerfile']])('file %s inside the context is accepted', file => {
    const stack = new Stack(new App(), 'Stack');
    const fnc = new ContainerFunction(stack, 'Fn', { image: dockerfile({ file }) });
    expect(fnc.imageAsset).toBeDefined();
    const asset = fnc.imageAsset!.node.tryFindChild('Staging') as any;
    expect(fs.readdirSync(asset.absoluteStagedPath)).toContain(path.normalize(file).split('/')[0]);
  });
  // JavaScript passes null for "no options" as often as undefined.
  test('fromDockerfile(dir, null) and ImageTag.gitSha(null) build as with no options', () => {
    const stack = new Stack(new App(), 'Stack');
    const fnc = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(fn(), null as any), tag: ImageTag.gitSha(null as any) });
    expect(fnc.imageAsset).toBeDefined();
    expect(fnc.imageTag).toMatch(/^[0-9a-f]{12}-[0-9a-f]{64}$/);
  });

  // Values made by another copy of aws-cdk-lib are recognised by shape, not class.
  test('an architecture, timeout and size from another copy of aws-cdk-lib are accepted', () => {
    const stack = new Stack(new App(), 'Stack');
    const foreign = <T extends object>(value: T): T => Object.assign(Object.create({ constructor: function Elsewhere() {} }), value,
      Object.fromEntries(Object.getOwnPropertyNames(Object.getPrototypeOf(value)).filter(k => k !== 'constructor').map(k => [k, (value as any)[k].bind(value)])));
    const fnc = new ContainerFunction(stack, 'Fn', {
      image: dockerfile(),
      architecture: foreign(lambda.Architecture.ARM_64),
      timeout: foreign(Duration.seconds(20)),
      maxImageSize: foreign(Size.mebibytes(500)),
    });
    expect(fnc.architecture.name).toBe('arm64');
    expect(fnc.maxImageSize.toBytes()).toBe(500 * 1024 * 1024);
  });
});
