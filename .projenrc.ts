import { awscdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-container-function',
  description: 'Container-image AWS Lambda functions done right: Dockerfile or source to an immutable, git-SHA tagged image in ECR, with synth-time checks.',
  author: 'cdk-container-function developers',
  authorAddress: 'maintainers@cdk-container-function.dev',
  repositoryUrl: 'https://github.com/cdk-container-function/cdk-container-function.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk', 'aws-cdk', 'lambda', 'docker', 'ecr', 'container-image'],

  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',


  // Sources live in lib/ and jsii writes .js/.d.ts beside them (main: lib/index.js).
  srcdir: 'lib',
  libdir: 'lib',

  deps: ['cdk-ecr-deployment@^4.2.65'],
  // The CLI (lib/cli, lib/measure, lib/local) ships in the package: its npm dependencies are bundled.
  bundledDeps: ['dockerfile-ast', '@balena/dockerignore', 'commander', 'listr2', '@aws-cdk/cloud-assembly-api', '@aws-cdk/cloud-assembly-schema', 'tar-stream', 'jose@^5', 'chokidar@^4'],
  devDeps: [
    'aws-cdk@^2',
    'typescript@~6.0.3',
    '@types/node@^20',
    'cdk-nag@^2',
    'fast-check@^4',
    '@aws-sdk/client-ecr@^3',
    'aws-sdk-client-mock@^4',
    '@aws-sdk/client-lambda@^3',
    '@aws-cdk/cdk-assets-lib',
    '@types/tar-stream',
    'playwright-core',
    'chrome-remote-interface',
    '@cloud-copilot/iam-simulate',
    '@aws-cdk/toolkit-lib',
  ],

  publishToPypi: { distName: 'cdk-container-function', module: 'cdk_container_function' },
  publishToMaven: {
    javaPackage: 'dev.cdkcontainerfunction',
    mavenGroupId: 'dev.cdk-container-function',
    mavenArtifactId: 'cdk-container-function',
  },
  publishToNuget: { dotNetNamespace: 'CdkContainerFunction', packageId: 'CdkContainerFunction' },
  publishToGo: { moduleName: 'github.com/cdk-container-function/cdk-container-function-go' },

  github: false,
  release: false,
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/install packs the library and installs it into a cdk init app (minutes): `npm run test:install`, and CI.
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/test/install/'],
      snapshotSerializers: ['<rootDir>/lib/testing/snapshot-serializer.ts'],
      // The run's own TMPDIR and the engine's image tags are recorded before, and checked after (test/support).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/remove-synth-output.ts'],
      collectCoverage: false,
      // Prefer the TypeScript sources over jsii's compiled .js beside them.
      moduleFileExtensions: ['ts', 'js', 'json', 'node'],
    },
  },
  tsconfig: { compilerOptions: { skipLibCheck: true } },
  tsconfigDev: { include: ['examples/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'], compilerOptions: {} },
});

// Compiled output sits beside the sources; keep it out of git, keep hand-written JS assets in.
project.gitignore.exclude('/.jsii.tabl.json', '/lib/**/*.js', '/lib/**/*.d.ts', 'cdk.out/', '/examples/**/cdk.out/', '/bench/out/');
project.gitignore.include('/lib/**/assets/**/*.js');
project.npmignore?.exclude('/examples/', '/bench/', '/.ci/');
// Ship compiled JavaScript and declarations only: a .ts beside its .d.ts would be type-checked by consumers.
project.npmignore?.exclude('/lib/**/*.ts');
project.npmignore?.include('/lib/**/*.d.ts');
// What a user needs, and nothing else (no cdk.out/ or cdk.json left by `cdk synth`, no examples, tests or sources): an
// allowlist, so a new file in the repository is never shipped by accident. npm adds package.json, README and LICENSE.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md', 'RULES.md']);
// `npm pack` (and `npm publish`, and installing from a git URL) compiles first: the JavaScript is not in git.
project.addTask('prepack', { description: 'Compile before packing (npm runs this before npm pack and npm publish)' }).spawn(project.compileTask);

// Tests never rewrite snapshots: a missing or changed snapshot fails.
project.testTask.reset('jest --ci --passWithNoTests', { receiveArgs: true });
project.testTask.spawn(project.tasks.tryFind('eslint')!);

// Benchmarks print numbers; they are never timed assertions in tests.
for (const name of ['synth', 'images', 'checks']) {
  // --prefer-ts-exts: run the sources, not jsii's compiled .js beside them (which may be stale).
  project.addTask(`bench:${name}`, { exec: `ts-node --prefer-ts-exts --project test/tsconfig.json bench/${name}.ts`, receiveArgs: true });
}
// Needs a Docker engine: builds 10 images, then prints measured vs cached vs unmeasured synth times (issue 9).
project.addTask('bench:measure', { exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json bench/measure.ts', receiveArgs: true });
// Needs a Docker engine: warm p50/p99 through `serve`, cold invokes vs a bare `docker run` (issue 10).
project.addTask('bench:invoke', { exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json bench/invoke.ts', receiveArgs: true });
// Needs a Docker engine: the HTTP front door's overhead over serve, p50/p99, sequential and 8-way; streamed first byte (issue 16).
project.addTask('bench:api', { exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json bench/api.ts', receiveArgs: true });
// Needs a Docker engine: serve --watch, a code-only edit to the first response carrying it, beside a cold rebuild + invoke (issue 17).
project.addTask('bench:watch', { exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json bench/watch.ts', receiveArgs: true });
// The package's one CLI, run from the sources inside this repository: npm run cli -- dockerfile <dir> --base ... --handler ...
project.addTask('cli', {
  exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json lib/cli/main.ts',
  receiveArgs: true,
});
project.addTask('dockerfile', {
  exec: 'ts-node --prefer-ts-exts --project test/tsconfig.json lib/cli/main.ts dockerfile',
  receiveArgs: true,
});
// `cdk-container-function-dockerfile` is the earlier name of `cdk-container-function dockerfile`, kept as an alias.
project.addBins({
  'cdk-container-function': 'lib/cli/main.js',
  'cdk-container-function-dockerfile': 'lib/cli/print-dockerfile.js',
});
// Every TypeScript snippet of the README (and of the API docs) compiles against the built library
// (rosetta/default.ts-fixture wraps each one in a Stack's constructor); run after compile.
project.addTask('docs:snippets', { exec: 'jsii-rosetta extract --fail --cache-to .jsii.tabl.json .' });
// Real-Docker suite: the same tests as `npm test` runs, but an absent engine is a failure, not a skip.
project.addTask('test:integ', {
  exec: 'jest --ci --runInBand test/integ',
  env: { CCF_REQUIRE_DOCKER: '1' },
  receiveArgs: true,
});

// A fresh clone's `npm pack`, installed into a `cdk init` app that synthesizes (slow; not part of `npm test`).
project.addTask('test:install', {
  exec: 'jest --ci --runInBand test/install --testPathIgnorePatterns /node_modules/',
  receiveArgs: true,
});

// Only test/**/*.test.ts are tests (projen's default also matches lib/**/spec.ts, a source file here).
project.package.file.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);

project.synth();
