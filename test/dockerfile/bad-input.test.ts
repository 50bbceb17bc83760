import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { sourceDir } from './support';
import { ContainerFunction, ContainerImage } from '../../lib';
import { BaseImageFamily, LambdaBaseImage, SourceBuildSecret, SourceImageOptions, SystemPackageManager } from '../../lib/dockerfile';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';

const PY = { 'app.py': 'def lambda_handler(e, c):\n    return 1\n' };
const NODE = { 'index.js': 'exports.handler = async () => 1;', 'package.json': '{}', 'package-lock.json': '{}' };
const py = (o: Partial<SourceImageOptions> = {}): SourceImageOptions => ({ base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler', ...o });
const node = (o: Partial<SourceImageOptions> = {}): SourceImageOptions => ({ base: LambdaBaseImage.NODEJS_22, handler: 'index.handler', ...o });

// [what, files (undefined: no directory), options, expected message (after "MyStack/Fn: ")]
const BAD: [string, { [rel: string]: string } | undefined, SourceImageOptions, RegExp][] = [
  ['missing directory', undefined, py(), /^MyStack\/Fn: source directory \S+ does not exist\. Create it or fix the path\.$/],
  ['handler whose file is absent', {}, py(), /^MyStack\/Fn: handler app\.lambda_handler needs app\.py or app\/__init__\.py in \S+\. Add the file or fix the handler\.$/],
  ['node handler whose file is absent', { 'package.json': '{}', 'package-lock.json': '{}' }, node(), /handler index\.handler needs index\.js, index\.mjs or index\.cjs in .*Add the file or fix the handler/],
  ['handler file excluded', PY, py({ exclude: ['app.py'] }), /handler app\.lambda_handler needs app\.py/],
  ['TypeScript handler without a build command', { 'index.ts': '', 'package.json': '{}', 'package-lock.json': '{}' }, node(), /is TypeScript \(index\.ts\) but no buildCommand compiles it\. Add buildCommand/],
  ['Java handler shape on a Python base', PY, py({ handler: 'com.example.Handler::handleRequest' }), /handler "com\.example\.Handler::handleRequest" does not fit a python3\.13 base, which expects the form "app\.lambda_handler"/],
  ['binary name on a Node.js base', NODE, node({ handler: 'bootstrap' }), /does not fit a nodejs22\.x base, which expects the form "index\.handler"/],
  ['Python handler on a Java base', { 'pom.xml': '' }, { base: LambdaBaseImage.JAVA_21, handler: 'app.lambda-handler' }, /does not fit a java21 base/],
  ['Java class not in the source', { 'pom.xml': '' }, { base: LambdaBaseImage.JAVA_21, handler: 'com.example.Handler::handleRequest' }, /needs src\/main\/java\/com\/example\/Handler\.java or src\/main\/kotlin\/com\/example\/Handler\.kt/],
  ['prebuilt binary missing', {}, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' }, /handler bootstrap needs bootstrap in/],
  ['two Node.js lock files', { ...NODE, 'yarn.lock': '' }, node(), /found package-lock\.json and yarn\.lock: one package manager per function\. Keep the lock file/],
  ['two lock files, packageManager says which', { ...NODE, 'package.json': '{"packageManager":"pnpm@9.1.0"}', 'pnpm-lock.yaml': '' }, node(), /found package-lock\.json and pnpm-lock\.yaml: one package manager per function\. package\.json declares packageManager pnpm: keep pnpm-lock\.yaml and delete package-lock\.json/],
  ['buildImage where nothing uses it', PY, py({ buildImage: 'python:3.13' }), /buildImage is only used for Java, Go and Rust builds; this python3\.13 function builds on its base/],
  ['buildImage on latest', { 'go.mod': '' }, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap', buildImage: 'golang:latest' }, /buildImage "golang:latest" must be pinned to a version tag or a digest/],
  ['buildImage without a tag', { 'pom.xml': '', 'src/main/java/a/B.java': '' }, { base: LambdaBaseImage.JAVA_21, handler: 'a.B', buildImage: 'maven' }, /buildImage "maven" must be pinned/],
  ['package.json without a lock file', { 'index.js': '', 'package.json': '{}' }, node(), /package\.json has no lock file.*Run `npm install` to create package-lock\.json/],
  ['a Node.js manifest on a Python base', { ...PY, 'package.json': '{}' }, py(), /package\.json is a nodejs manifest but the base is a python image\. Choose a nodejs base, or add 'package\.json' to the exclude option/],
  ['pyproject.toml without requirements.txt', { ...PY, 'pyproject.toml': '' }, py(), /pyproject\.toml is not supported without a requirements\.txt\. Export pinned requirements/],
  ['Maven and Gradle together', { 'pom.xml': '', 'build.gradle': '' }, { base: LambdaBaseImage.JAVA_21, handler: 'a.B' }, /found pom\.xml and build\.gradle: one build tool per function/],
  ['no Java build file', {}, { base: LambdaBaseImage.JAVA_25, handler: 'a.B' }, /a Java function needs pom\.xml or build\.gradle\(\.kts\)/],
  ['go.mod and Cargo.toml together', { 'go.mod': '', 'Cargo.toml': '' }, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' }, /found go\.mod and Cargo\.toml/],
  ['Cargo.toml without Cargo.lock', { 'Cargo.toml': '' }, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' }, /Cargo\.toml has no Cargo\.lock.*cargo generate-lockfile/],
  ['local package outside the directory', { ...PY, 'requirements.txt': '../shared/lib\n' }, py(), /refers to \.\.\/shared\/lib, outside the source directory\. Move the package into the directory/],
  ['local package missing', { ...PY, 'requirements.txt': './vendor/lib\n' }, py(), /requirements\.txt refers to \.\/vendor\/lib, which is not in the directory/],
  ['editable requirement', { ...PY, 'vendor/lib/setup.py': '', 'requirements.txt': '-e ./vendor/lib\n' }, py(), /is an editable install.*Drop the -e/],
  ['included requirements file missing', { ...PY, 'requirements.txt': '-r base.txt\n' }, py(), /requirements file base\.txt \(included from requirements\.txt\) is missing/],
  ['secret ids that collide', NODE, node({ buildSecrets: [SourceBuildSecret.npmrc('/a/.npmrc'), SourceBuildSecret.file('npmrc', '/b/token')] }), /two build secrets have the id "npmrc" \(\/a\/\.npmrc and \/b\/token\)\. Give each secret its own id\./],
  ['secret id with a comma', NODE, node({ buildSecrets: [SourceBuildSecret.file('a,b', '/x')] }), /build secret id "a,b" is invalid/],
  ['secret file inside the source directory', { ...NODE, 'token.txt': 'x' }, node({ buildSecrets: [SourceBuildSecret.file('token', 'SRC/token.txt')] }), /build secret "token" .* is inside the source directory and would be sent with the build context/],
  ['buildCommand on a Java base', { 'pom.xml': '', 'src/main/java/a/B.java': '' }, { base: LambdaBaseImage.JAVA_21, handler: 'a.B', buildCommand: 'make' }, /buildCommand is not supported on a java21 base: Java images are built with Maven or Gradle/],
  ['buildCommand for a Go project', { 'go.mod': '' }, { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap', buildCommand: 'make' }, /buildCommand is not supported for go projects: they are built with go build/],
  ['buildOutput without buildCommand', NODE, node({ buildOutput: 'dist' }), /buildOutput is set but there is no buildCommand/],
  ['buildOutput outside the directory', NODE, node({ buildCommand: 'npm run build', buildOutput: '../dist' }), /buildOutput "\.\.\/dist" must be a relative path inside the source directory/],
  ['multi-line buildCommand', NODE, node({ buildCommand: 'a\nb' }), /buildCommand must be one non-empty line/],
  ['system package with a shell command in it', PY, py({ systemPackages: ['gcc && curl evil'] }), /system package "gcc && curl evil" is not a package name/],
  ['system packages on a base without a package manager', { ...PY, 'requirements.txt': '' }, py({ base: LambdaBaseImage.custom('distroless/python3:3.11', { family: BaseImageFamily.PYTHON, includesRuntimeInterfaceClient: true, packageManager: SystemPackageManager.NONE }), systemPackages: ['gcc'] }), /has no package manager, so systemPackages cannot be installed/],
  ['system packages with no build stage to use them', PY, py({ systemPackages: ['gcc'] }), /systemPackages are installed in build stages, but this function has none.*Use runtimeSystemPackages/],
  ['environment name invalid', PY, py({ environment: { 'BAD-NAME': 'x' } }), /environment variable name "BAD-NAME" is invalid/],
  ['environment value with a line break', PY, py({ environment: { BANNER: 'a\nb' } }), /environment variable BANNER contains a line break/],
  ['environment overriding LAMBDA_TASK_ROOT', PY, py({ environment: { LAMBDA_TASK_ROOT: '/x' } }), /must not set LAMBDA_TASK_ROOT/],
  ['handler with a space', NODE, node({ handler: 'index.handler x' }), /does not fit a nodejs22\.x base/],
];

describe('bad input: clear errors with the construct path and the fix', () => {
  test.each(BAD)('%s', (_what, files, options, expected) => {
    const dir = files ? sourceDir(files) : path.join(sourceDir({}), 'does-not-exist');
    const opts = {
      ...options,
      buildSecrets: options.buildSecrets?.map(s => s.src.startsWith('SRC/')
        ? SourceBuildSecret.file(s.id, path.join(dir, s.src.slice(4))) : s),
    };
    expect(() => stageSourceImage('MyStack/Fn', dir, opts)).toThrow(expected);
    expect(() => stageSourceImage('MyStack/Fn', dir, opts)).toThrow(/^MyStack\/Fn: /);
  });

  test('a source path that is a file', () => {
    const dir = sourceDir(PY);
    expect(() => stageSourceImage('S/F', path.join(dir, 'app.py'), py())).toThrow(/^S\/F: source path .*app\.py is a file\. Pass the directory/);
  });
});

describe('bad base images', () => {
  test.each([
    ['no tag or digest', 'python', {}, /custom base image "python" has no tag or digest\. Pin a version tag \(e\.g\. "python:1\.2\.3"\) or pass \{ digest/],
    ['latest', 'node:latest', {}, /uses the mutable tag "latest"\. Pin a version tag or a digest/],
    ['registry port is not a tag', 'registry.local:5000/python', {}, /has no tag or digest/],
    ['bad digest', 'python:3.12', { digest: 'sha256:abc' }, /digest "sha256:abc" is not of the form sha256:<64 hex digits>/],
    ['relative task root', 'python:3.12', { taskRoot: 'var/task' }, /taskRoot "var\/task" must be an absolute path/],
    ['not an image reference', 'python 3.12', {}, /is not a valid image reference/],
  ] as const)('%s', (_w, image, extra, expected) => {
    expect(() => LambdaBaseImage.custom(image, { family: BaseImageFamily.PYTHON, ...extra })).toThrow(expected);
  });

  test('withDigest validates the digest', () => {
    expect(() => LambdaBaseImage.PYTHON_3_13.withDigest('latest')).toThrow(/is not of the form sha256/);
  });
});

describe('exclude entries are single .dockerignore lines', () => {
  test.each([['a newline', 'tmp\n!secrets.env'], ['a carriage return', 'tmp\r!secrets.env']])('an entry with %s is refused, naming the construct and the fix', (_, pattern) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-exclude-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.py'), 'def handler(event, context):\n    return 1\n');
      const stack = new Stack(new App(), 'S');
      expect(() => new ContainerFunction(stack, 'Fn', {
        image: ContainerImage.fromSource(dir, { base: LambdaBaseImage.PYTHON_3_12, handler: 'app.handler', exclude: [pattern] }),
      })).toThrow(`S/Fn: exclude entry ${JSON.stringify(pattern)} is not one .dockerignore pattern (it holds a line break). Pass each pattern as its own entry.`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
