import fc from 'fast-check';
import { execArgs, parseStages, sourceDir } from './support';
import { BaseImageFamily, LambdaBaseImage, SourceBuildSecret, SourceImageOptions, SystemPackageManager } from '../../lib/dockerfile';
import { generate } from '../../lib/dockerfile/generator';
import { InstallTool } from '../../lib/dockerfile/project';
import { stageSourceImage } from '../../lib/dockerfile/stage-source';
import { envLines } from '../../lib/dockerfile/text';

const PY = { 'app.py': 'def lambda_handler(event, context):\n    return event\n' };
const NODE = { 'index.js': 'exports.handler = async (e) => e;\n', 'package.json': '{"name":"fn","version":"1.0.0"}', 'package-lock.json': '{}' };
const JAVA_SRC = { 'src/main/java/com/example/Handler.java': 'package com.example; public class Handler {}' };

interface Case {
  readonly name: string;
  readonly files: { [rel: string]: string };
  readonly options: SourceImageOptions;
  /** Substring of the dependency install command(s) that must precede the source copy. */
  readonly install?: RegExp;
  /** The stage names expected, in order. */
  readonly stages: string[];
  /** The final stage's ENTRYPOINT (exec form); none when the base's own entrypoint starts the function. */
  readonly entrypoint?: string[];
}

const CUSTOM_PY = LambdaBaseImage.custom('local/python-standin:1', { family: BaseImageFamily.PYTHON });
const CUSTOM_NODE = LambdaBaseImage.custom('local/node-standin:1', { family: BaseImageFamily.NODEJS });
const STANDIN_NODE = LambdaBaseImage.custom('local/node-standin:1', { family: BaseImageFamily.NODEJS, includesRuntimeInterfaceClient: true });

const CASES: Case[] = [
  {
    name: 'python 3.12, requirements with a local package and a compiler',
    files: { ...PY, 'requirements.txt': './vendor/fastmath\nsix==1.16.0\n', 'vendor/fastmath/setup.py': '' },
    options: { base: LambdaBaseImage.PYTHON_3_12, handler: 'app.lambda_handler', systemPackages: ['gcc'] },
    install: /pip install --no-cache-dir/,
    stages: ['deps', 'code', 'runtime'],
  },
  { name: 'python 3.13 without dependencies', files: PY, options: { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' }, stages: ['runtime'] },
  {
    name: 'python 3.14 with a build command and a pip index secret',
    files: { ...PY, 'requirements.txt': 'six==1.16.0\n' },
    options: { base: LambdaBaseImage.PYTHON_3_14, handler: 'app.lambda_handler', buildCommand: 'python3 -m compileall .', buildSecrets: [SourceBuildSecret.pipIndexUrl('/home/ci/pip-url.txt')] },
    install: /pip install --no-cache-dir/,
    stages: ['deps', 'build', 'runtime'],
  },
  { name: 'python 3.11 (deprecated)', files: PY, options: { base: LambdaBaseImage.PYTHON_3_11, handler: 'app.lambda_handler' }, stages: ['runtime'] },
  {
    name: 'node 22, npm, production dependencies only',
    files: NODE,
    options: { base: LambdaBaseImage.NODEJS_22, handler: 'index.handler', buildSecrets: [SourceBuildSecret.npmrc('/home/ci/.npmrc-deploy'), SourceBuildSecret.caBundle('/home/ci/corp-ca.pem')] },
    install: /npm ci --omit=dev/,
    stages: ['deps', 'runtime'],
  },
  {
    name: 'node 24, TypeScript built in a build stage',
    files: { 'src/index.ts': 'export const handler = async () => 1;', 'package.json': '{}', 'package-lock.json': '{}', 'tsconfig.json': '{}' },
    options: { base: LambdaBaseImage.NODEJS_24, handler: 'index.handler', buildCommand: 'npx tsc', buildOutput: 'dist', systemPackages: ['gcc-c++', 'make'] },
    install: /npm ci/,
    stages: ['deps', 'build', 'runtime'],
  },
  { name: 'node 20 (deprecated), yarn', files: { ...NODE, 'package-lock.json': undefined as any, 'yarn.lock': '' }, options: { base: LambdaBaseImage.NODEJS_20, handler: 'index.handler' }, install: /COREPACK_ENABLE_DOWNLOAD_PROMPT=0 .*corepack yarn install --frozen-lockfile --production/, stages: ['deps', 'runtime'] },
  { name: 'node 22, pnpm', files: { ...NODE, 'package-lock.json': undefined as any, 'pnpm-lock.yaml': '' }, options: { base: LambdaBaseImage.NODEJS_22, handler: 'index.handler' }, install: /pnpm install --frozen-lockfile --prod/, stages: ['deps', 'runtime'] },
  { name: 'node without dependencies', files: { 'index.mjs': 'export const handler = async () => 1;' }, options: { base: LambdaBaseImage.NODEJS_22, handler: 'index.handler' }, stages: ['runtime'] },
  {
    name: 'java 21, maven, settings secret',
    files: { ...JAVA_SRC, 'pom.xml': '<project/>' },
    options: { base: LambdaBaseImage.JAVA_21, handler: 'com.example.Handler::handleRequest', buildSecrets: [SourceBuildSecret.mavenSettings('/home/ci/m2-settings.xml')] },
    install: /mvn -B -q -s \/run\/secrets\/maven-settings dependency:go-offline/,
    stages: ['build', 'runtime'],
  },
  { name: 'java 25, gradle', files: { ...JAVA_SRC, 'build.gradle.kts': '', 'settings.gradle.kts': '' }, options: { base: LambdaBaseImage.JAVA_25, handler: 'com.example.Handler' }, install: /gradle --no-daemon -q dependencies/, stages: ['build', 'runtime'] },
  { name: 'provided.al2023, go', files: { 'go.mod': 'module x', 'go.sum': '', 'main.go': 'package main' }, options: { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' }, install: /go mod download/, stages: ['build', 'runtime'], entrypoint: ['/var/task/bootstrap'] },
  { name: 'provided.al2023, rust', files: { 'Cargo.toml': '', 'Cargo.lock': '', 'src/main.rs': '' }, options: { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'my-fn' }, install: /cargo build --release --locked && rm -rf src/, stages: ['build', 'runtime'], entrypoint: ['/var/task/my-fn'] },
  { name: 'provided.al2023, prebuilt binary', files: { bootstrap: '#!/bin/sh' }, options: { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap' }, stages: ['runtime'], entrypoint: ['/var/task/bootstrap'] },
  { name: 'provided.al2023, make', files: { 'Makefile': '', 'main.c': '' }, options: { base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap', buildCommand: 'make', systemPackages: ['gcc', 'make'] }, stages: ['build', 'runtime'], entrypoint: ['/var/task/bootstrap'] },
  {
    name: 'custom Debian python + awslambdaric',
    files: { ...PY, 'requirements.txt': 'six==1.16.0\n' },
    options: { base: CUSTOM_PY, handler: 'app.lambda_handler', systemPackages: ['gcc', 'python3-dev'], runtimeSystemPackages: ['libpq5'] },
    install: /pip install --no-cache-dir/,
    stages: ['deps', 'ric', 'runtime'],
    entrypoint: ['python3', '-m', 'awslambdaric'],
  },
  {
    name: 'custom Debian node + aws-lambda-ric',
    files: NODE,
    options: { base: CUSTOM_NODE, handler: 'index.handler' },
    install: /npm ci --omit=dev/,
    stages: ['deps', 'ric', 'runtime'],
    entrypoint: ['node', '/opt/aws-lambda-ric/node_modules/aws-lambda-ric/bin/index.mjs'],
  },
  { name: 'custom node stand-in with its own runtime client', files: NODE, options: { base: STANDIN_NODE, handler: 'index.handler', environment: { LOG_LEVEL: 'debug', GREETING: 'a "b" $c' } }, install: /npm ci --omit=dev/, stages: ['deps', 'runtime'] },
];

const INSTALL_OR_BUILD = /(pip install|npm ci|npm install|yarn install|pnpm install|mvn |gradle |go mod|go build|cargo build)/;

describe.each(CASES.map(c => [c.name, c] as const))('generated Dockerfile: %s', (_name, c) => {
  const files = Object.fromEntries(Object.entries(c.files).filter(([, v]) => v !== undefined));
  const staged = stageSourceImage('Stack/Fn', sourceDir(files), c.options);
  const stages = parseStages(staged.dockerfile);
  const final = stages[stages.length - 1];
  const buildStages = stages.slice(0, -1);
  const root = c.options.base.isCustom ? c.options.base.taskRoot : '${LAMBDA_TASK_ROOT}';

  test('every stage is named, names are unique, the last is the runtime on the base', () => {
    expect(stages.map(s => s.name)).toEqual(c.stages);
    expect(final.from).toBe(c.options.base.image);
  });

  // Every case asserts something here: the install order where there are dependencies, no install where there are none.
  if (c.install) {
    test('dependency manifests are copied and installed before any source', () => {
      const withInstall = stages.filter(s => s.name !== 'ric' && s.instructions.some(i => i.keyword === 'RUN' && c.install!.test(i.text)));
      expect(withInstall.length).toBeGreaterThan(0);
      for (const s of withInstall) {
        const firstInstall = s.instructions.findIndex(i => i.keyword === 'RUN' && c.install!.test(i.text));
        const firstSource = s.instructions.findIndex(i => i.keyword === 'COPY' && /^(\.|src) /.test(i.args));
        const copies = s.instructions.slice(0, firstInstall).filter(i => i.keyword === 'COPY');
        expect(copies.length).toBeGreaterThan(0);
        for (const cp of copies) expect(cp.args).not.toMatch(/^\. /);
        if (firstSource >= 0) expect(firstSource).toBeGreaterThan(firstInstall);
      }
    });
  } else {
    test('without a dependency manifest nothing is installed', () => {
      const runs = stages.filter(s => s.name !== 'ric').flatMap(s => s.instructions).filter(i => i.keyword === 'RUN');
      expect(runs.filter(i => /(pip install|npm ci|npm install|yarn install|pnpm install|mvn |gradle |go mod|cargo )/.test(i.text))).toEqual([]);
      expect(stages.some(s => s.name === 'deps')).toBe(false);
    });
  }

  test('installs leave no cache in a layer', () => {
    for (const i of stages.flatMap(s => s.instructions).filter(x => x.keyword === 'RUN')) {
      if (/pip install/.test(i.text)) expect(i.text).toContain('--no-cache-dir');
      if (/(npm ci|npm install|yarn install|pnpm install)/.test(i.text)) expect(i.text).toMatch(/--mount=type=cache,target=\/tmp\/\.\S+/);
      if (/dnf install/.test(i.text)) expect(i.text).toContain('dnf clean all');
      if (/apt-get install/.test(i.text)) expect(i.text).toContain('rm -rf /var/lib/apt/lists/*');
    }
  });

  test('build tools, dev dependencies and installs stay in build stages', () => {
    for (const i of final.instructions) {
      expect(i.text).not.toMatch(INSTALL_OR_BUILD);
      if (i.keyword === 'RUN') expect(c.options.runtimeSystemPackages?.length).toBeGreaterThan(0);
      for (const p of c.options.systemPackages ?? []) expect(i.text.split(/\s+/)).not.toContain(p);
    }
    if (c.options.systemPackages?.length) {
      expect(buildStages.some(s => s.instructions.some(i => c.options.systemPackages!.every(p => i.text.includes(p))))).toBe(true);
    }
    if (c.options.base.family === BaseImageFamily.NODEJS && c.install) {
      const deps = stages.find(s => s.name === 'deps')!;
      expect(deps.instructions.filter(i => i.keyword === 'RUN').map(i => i.text).join('\n')).toMatch(/(--omit=dev|--production|--prod)/);
    }
  });

  test('the final stage copies only runtime artifacts into the task root', () => {
    const copies = final.instructions.filter(i => i.keyword === 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    const names = new Set(buildStages.map(s => s.name));
    for (const cp of copies) {
      const from = /--from=(\S+)/.exec(cp.text)?.[1];
      if (from) expect(names.has(from)).toBe(true);
      const dest = cp.args.split(' ').pop()!;
      const toRoot = dest.startsWith(root);
      const toRic = from === 'ric' && /^\/opt\//.test(dest);
      expect(toRoot || toRic).toBe(true);
      if (from === 'build' && c.options.base.family === BaseImageFamily.NODEJS && !c.options.buildOutput) expect(cp.text).toBe('never: a node build without buildOutput');
    }
  });

  test('CMD is JSON form with the handler, once, in the final stage; ENTRYPOINT exactly as the base needs', () => {
    const cmds = stages.flatMap(s => s.instructions).filter(i => i.keyword === 'CMD');
    expect(cmds).toHaveLength(1);
    expect(final.instructions[final.instructions.length - 1].keyword).toBe('CMD');
    expect(execArgs(cmds[0].text)).toEqual([c.options.handler]);
    // The exact ENTRYPOINT, in exec form: the runtime client or the executable, or none where the base starts the function.
    const entries = stages.flatMap(s => s.instructions).filter(i => i.keyword === 'ENTRYPOINT');
    expect(entries.map(e => execArgs(e.text))).toEqual(c.entrypoint ? [c.entrypoint] : []);
    if (c.entrypoint) expect(final.instructions).toContain(entries[0]);
  });

  test('no secret in ARG or ENV; secrets are BuildKit mounts on install steps only', () => {
    const all = stages.flatMap(s => s.instructions);
    // Only BuildKit's automatic platform args (Go cross-compiles for the target architecture).
    for (const a of all.filter(i => i.keyword === 'ARG')) expect(a.args).toBe('TARGETOS TARGETARCH');
    for (const i of all.filter(x => x.keyword === 'ENV')) expect(i.text).not.toMatch(/run\/secrets|secret/i);
    for (const s of c.options.buildSecrets ?? []) {
      expect(staged.dockerfile).not.toContain(s.src);
      const mounted = all.filter(i => i.text.includes(`--mount=type=secret,id=${s.id}`));
      expect(mounted.length).toBeGreaterThan(0);
      for (const i of mounted) expect(i.text).toMatch(INSTALL_OR_BUILD);
      expect(final.instructions.some(i => i.text.includes('type=secret'))).toBe(false);
      expect(staged.buildSecrets?.[s.id]).toBe(`src=${s.src}`);
    }
  });
});

describe('ENV escaping', () => {
  // Inside double quotes Docker's shell lexer takes \\, \" and \$ as escapes, expands $NAME and ${NAME}, and keeps every
  // other character as it is (moby/buildkit frontend/dockerfile/shell/lex.go, processDoubleQuote). This decoder follows
  // that rule and refuses what Docker would expand.
  function dockerUnquote(value: string): string {
    if (!value.startsWith('"') || !value.endsWith('"')) throw new Error(`not double-quoted: ${value}`);
    let out = '';
    for (let i = 1; i < value.length - 1; i++) {
      if (value[i] === '\\' && '\\"$'.includes(value[i + 1])) out += value[++i];
      // An unescaped $ before a name or { is a variable Docker would expand: the value would not be literal.
      else if (value[i] === '$' && /[A-Za-z_{]/.test(value[i + 1] ?? '')) throw new Error(`Docker would expand ${value.slice(i, i + 8)}`);
      else out += value[i];
    }
    return out;
  }

  test.each([
    ['plain', 'debug', 'ENV K="debug"'],
    ['spaces', 'a b  c', 'ENV K="a b  c"'],
    ['double quotes', 'say "hi"', 'ENV K="say \\"hi\\""'],
    ['dollar and braces stay literal', '$HOME ${PATH}', 'ENV K="\\$HOME \\${PATH}"'],
    ['backslashes', 'C:\\dir\\', 'ENV K="C:\\\\dir\\\\"'],
    ['single quote', "it's", 'ENV K="it\'s"'],
    ['empty', '', 'ENV K=""'],
    ['unicode', 'grüße ☃', 'ENV K="grüße ☃"'],
  ])('%s', (_name, value, line) => {
    expect(envLines({ K: value })).toEqual([line]);
    expect(dockerUnquote(line.slice('ENV K='.length))).toBe(value);
  });

  test('any value without a line break reads back as itself; keys come sorted', () => {
    // Random text, and text made of the characters that matter to Docker's lexer.
    const values = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('$', '{', '}', '\\', '"', "'", '`', 'a', 'Z', '_', ' ', '1') }));
    fc.assert(fc.property(values.filter(v => !/[\r\n]/.test(v)), value => {
      return dockerUnquote(envLines({ K: value })[0].slice('ENV K='.length)) === value;
    }), { numRuns: 2_000 });
    expect(envLines({ B: '2', A: '1' })).toEqual(['ENV A="1"', 'ENV B="2"']);
  });

  test('a line break is refused with the fix (a Dockerfile ENV cannot carry one)', () => {
    expect(() => stageSourceImage('Stack/Fn', sourceDir(PY), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler', environment: { MOTD: 'a\nb' } }))
      .toThrow(/^Stack\/Fn: environment variable MOTD contains a line break, which a Dockerfile ENV cannot carry\. Encode it/);
  });

  test('the generated Dockerfile carries the escaped line', () => {
    const staged = stageSourceImage('Stack/Fn', sourceDir(PY), { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler', environment: { GREETING: 'a "b" $c' } });
    expect(staged.dockerfile.split('\n')).toContain('ENV GREETING="a \\"b\\" \\$c"');
  });
});

describe('generator purity', () => {
  const spec = {
    base: LambdaBaseImage.NODEJS_22,
    handler: 'index.handler',
    project: { tool: InstallTool.NPM, manifests: ['package.json', 'package-lock.json'], localPackages: [] },
    systemPackages: [],
    runtimeSystemPackages: [],
    secrets: [SourceBuildSecret.npmrc('/a'), SourceBuildSecret.caBundle('/b')],
    environment: { B: '2', A: '1' },
    exclude: ['docs'],
  };

  test('the same spec gives byte-identical text', () => {
    expect(generate(spec)).toEqual(generate({ ...spec, environment: { A: '1', B: '2' } }));
  });

  test('secret mount order does not depend on option order', () => {
    expect(generate(spec).dockerfile).toEqual(generate({ ...spec, secrets: [...spec.secrets].reverse() }).dockerfile);
  });

  test('a Node.js Dockerfile, in full', () => {
    expect(generate(spec).dockerfile).toBe([
      '# Generated by cdk-container-function (ContainerImage.fromSource). Do not edit: change the options instead.',
      '# Base: nodejs22.x. Stages: deps, runtime.',
      '# Build stages hold compilers, dev dependencies and secrets; only the runtime stage ships.',
      '',
      'FROM public.ecr.aws/lambda/nodejs:22 AS deps',
      'WORKDIR /build',
      'COPY package.json ./',
      'COPY package-lock.json ./',
      'RUN --mount=type=secret,id=ca-bundle --mount=type=secret,id=npmrc --mount=type=cache,target=/tmp/.npm-cache,id=ccf-npm,sharing=locked \\',
      '    NPM_CONFIG_CACHE=/tmp/.npm-cache NPM_CONFIG_CAFILE=/run/secrets/ca-bundle NPM_CONFIG_USERCONFIG=/run/secrets/npmrc \\',
      '    npm ci --omit=dev --no-audit --no-fund',
      '',
      'FROM public.ecr.aws/lambda/nodejs:22 AS runtime',
      'ENV A="1"',
      'ENV B="2"',
      'COPY --from=deps /build/node_modules/ ${LAMBDA_TASK_ROOT}/node_modules/',
      'COPY . ${LAMBDA_TASK_ROOT}/',
      'CMD ["index.handler"]',
      '',
    ].join('\n'));
  });

  test('local pip packages are installed by the deps stage and their sources stay out of the final image', () => {
    const py = {
      ...spec,
      base: LambdaBaseImage.PYTHON_3_13,
      handler: 'app.h',
      secrets: [],
      environment: {},
      project: { tool: InstallTool.PIP, manifests: ['requirements.txt'], localPackages: ['vendor/a', 'libs/b c'] },
    };
    const text = generate(py).dockerfile;
    expect(text).toContain("FROM public.ecr.aws/lambda/python:3.13 AS code\nWORKDIR /code\nCOPY . .\nRUN rm -rf 'vendor/a' 'libs/b c' && rmdir -p --ignore-fail-on-non-empty 'libs' 'vendor'\n");
    expect(text).toContain('COPY --from=code /code/ ${LAMBDA_TASK_ROOT}/\nCMD');
  });

  test('buildImage replaces the default build image of Go and Java builds', () => {
    const go = { ...spec, base: LambdaBaseImage.PROVIDED_AL2023, handler: 'bootstrap', secrets: [], project: { tool: InstallTool.GO, manifests: ['go.mod'], localPackages: [] } };
    expect(generate(go).dockerfile).toContain('FROM --platform=$BUILDPLATFORM public.ecr.aws/docker/library/golang:1.25-bookworm AS build\nARG TARGETOS TARGETARCH\n');
    expect(generate(go).dockerfile).toContain('GOOS=$TARGETOS GOARCH=$TARGETARCH go build');
    expect(generate({ ...go, buildImage: 'registry.local/golang:1.24.3' }).dockerfile).toContain('FROM --platform=$BUILDPLATFORM registry.local/golang:1.24.3 AS build');
    const java = { ...spec, base: LambdaBaseImage.JAVA_25, handler: 'a.B', secrets: [], project: { tool: InstallTool.MAVEN, manifests: ['pom.xml'], localPackages: [] } };
    expect(generate(java).dockerfile).toContain('-amazoncorretto-25 AS build');
  });

  test('the base package manager decides how system packages are installed', () => {
    const apt = LambdaBaseImage.custom('debian-node:18', { family: BaseImageFamily.NODEJS, includesRuntimeInterfaceClient: true });
    const none = LambdaBaseImage.custom('distroless-node:18', { family: BaseImageFamily.NODEJS, includesRuntimeInterfaceClient: true, packageManager: SystemPackageManager.NONE });
    expect(generate({ ...spec, base: apt, systemPackages: ['g++'] }).dockerfile).toContain('apt-get install -y --no-install-recommends g++');
    expect(generate({ ...spec, systemPackages: ['gcc-c++'] }).dockerfile).toContain('dnf install -y gcc-c++ && dnf clean all');
    expect(() => generate({ ...spec, base: none, systemPackages: ['g++'] })).toThrow(/has no package manager/);
  });
});
