// A new user's first minutes, from a clone: `npm pack` compiles and ships only what users need, and the tarball
// installs into an app made by the installed `cdk init` (its cdk.json feature flags and all), which then
// synthesizes with the `cdk` CLI and runs the package's command line tool.
//
// Slow (a jsii compile and an npm install, several minutes): not part of `npm test`; `npm run test:install` runs it,
// and CI does. It removes everything it writes (the clone, the tarball, the app with its node_modules).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

jest.setTimeout(30 * 60_000);

const ROOT = path.join(__dirname, '..', '..');
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

interface Run { readonly status: number | null; readonly stdout: string; readonly stderr: string }

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  // Progress straight to stderr: jest holds console output back until the file ends.
  process.stderr.write(`[install test] ${path.basename(cwd)}$ ${command} ${args.join(' ')}\n`);
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024, timeout: 20 * 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function ok(r: Run, what: string): Run {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${(r.stdout + r.stderr).split('\n').slice(-60).join('\n')}`);
  return r;
}

interface PackedFile { readonly path: string; readonly size: number }
interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: PackedFile[];
  readonly bundled: string[];
}

/** `npm pack --json` prints the prepack step's output first; the JSON array is the rest. */
function parsePackJson(stdout: string): Packed {
  const start = stdout.search(/^\[\s*\{/m);
  if (start < 0) throw new Error(`no JSON in npm pack output:\n${stdout.slice(-2000)}`);
  return JSON.parse(stdout.slice(start))[0];
}

let work: string;
let clone: string;
let packed: Packed;
let tarball: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-install-'));
  // A fresh clone holds the tracked files only: no compiled JavaScript (it is gitignored). Its node_modules would come
  // from `npm ci` of the same lockfile; the repository's own is linked instead of installed again.
  clone = path.join(work, 'cdk-container-function');
  const tracked = ok(run('git', ['ls-files', '-z'], ROOT), 'git ls-files').stdout.split('\0').filter(Boolean);
  for (const file of tracked) {
    if (!fs.existsSync(path.join(ROOT, file))) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(clone, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  // What the README's first command leaves behind (`npx cdk synth`): it must not be packed.
  fs.mkdirSync(path.join(clone, 'cdk.out'));
  fs.writeFileSync(path.join(clone, 'cdk.out', 'manifest.json'), '{}');
  expect(fs.existsSync(path.join(clone, 'lib', 'index.js'))).toBe(false);

  packed = parsePackJson(ok(run('npm', ['pack', '--json', '--pack-destination', work], clone), 'npm pack').stdout);
  tarball = path.join(work, packed.filename);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm pack in a fresh clone', () => {
  test('compiles first: the JavaScript, declarations and jsii manifest are in the package', () => {
    const files = packed.files.map(f => f.path);
    expect(files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/cli/print-dockerfile.js', '.jsii', 'package.json', 'README.md', 'LICENSE']));
    // Every module the package's entry points load is there, compiled.
    const sources = fs.readdirSync(path.join(clone, 'lib'), { recursive: true, encoding: 'utf8' })
      .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(f => `lib/${f.split(path.sep).join('/')}`);
    expect(sources.length).toBeGreaterThan(50);
    for (const source of sources) {
      expect(files).toEqual(expect.arrayContaining([source.replace(/\.ts$/, '.js'), source.replace(/\.ts$/, '.d.ts')]));
    }
  });

  test('ships only what users need: no TypeScript sources, cdk.out, cdk.json, examples, tests or benchmarks', () => {
    const own = packed.files.map(f => f.path).filter(f => !f.startsWith('node_modules/'));
    const allowed = /^(lib\/.+\.(js|d\.ts)|\.jsii|API\.md|RULES\.md|README\.md|LICENSE|package\.json)$/;
    expect(own.filter(f => !allowed.test(f))).toEqual([]);
    expect(own.filter(f => /^lib\/.*(?<!\.d)\.ts$/.test(f))).toEqual([]);
    // Bundled dependencies (the command line tool's) are the only node_modules, and only those npm lists as bundled.
    const bundledRoots = packed.files.map(f => f.path).filter(f => f.startsWith('node_modules/'))
      .map(f => f.split('/').slice(1, f.split('/')[1].startsWith('@') ? 3 : 2).join('/'));
    expect([...new Set(bundledRoots)].filter(name => !packed.bundled.includes(name))).toEqual([]);
    // A bound that cdk.out (tens of MB) or examples would break; the bundled CLI dependencies are most of it.
    expect(packed.size).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('a cdk init app installs the tarball and synthesizes', () => {
  let app: string;

  beforeAll(() => {
    app = path.join(work, 'first-app');
    fs.mkdirSync(app);
    // The installed CLI's own template: cdk.json carries every feature flag a new app has (useCdkManagedLogGroup too).
    ok(run(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['init', 'app', '--language', 'typescript', '--generate-only'], app), 'cdk init');
    ok(run('npm', ['install', ...NPM_FLAGS, tarball], app), 'npm install of the tarball');
    fs.mkdirSync(path.join(app, 'functions', 'hello'), { recursive: true });
    fs.writeFileSync(path.join(app, 'functions', 'hello', 'Dockerfile'), 'FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ${LAMBDA_TASK_ROOT}/\nCMD ["app.handler"]\n');
    fs.writeFileSync(path.join(app, 'functions', 'hello', 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    fs.mkdirSync(path.join(app, 'functions', 'source'));
    fs.writeFileSync(path.join(app, 'functions', 'source', 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    fs.writeFileSync(path.join(app, 'lib', 'first-app-stack.ts'), [
      "import * as cdk from 'aws-cdk-lib/core';",
      "import * as logs from 'aws-cdk-lib/aws-logs';",
      "import { Construct } from 'constructs';",
      "import { ContainerFunction, ContainerImage, LambdaBaseImage } from 'cdk-container-function';",
      '',
      'export class FirstAppStack extends cdk.Stack {',
      '  constructor(scope: Construct, id: string, props?: cdk.StackProps) {',
      '    super(scope, id, props);',
      "    new ContainerFunction(this, 'Hello', { image: ContainerImage.fromDockerfile('functions/hello') });",
      "    new ContainerFunction(this, 'FromSource', {",
      "      image: ContainerImage.fromSource('functions/source', { base: LambdaBaseImage.PYTHON_3_12, handler: 'app.handler' }),",
      '      logRetention: logs.RetentionDays.ONE_WEEK,',
      '    });',
      '  }',
      '}',
      '',
    ].join('\n'));
    // Tags name the last commit of each image's inputs: the app is a git repository with a commit, as cdk init makes it.
    const git = (...args: string[]) => ok(run('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'commit.gpgsign=false', ...args], app), `git ${args[0]}`);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'first app');
  });

  test('cdk.json has the flags of the installed cdk init, including useCdkManagedLogGroup', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8'));
    expect(cdkJson.context['@aws-cdk/aws-lambda:useCdkManagedLogGroup']).toBe(true);
  });

  test('npx cdk synth: each function has exactly one log group, with the promised retention', () => {
    ok(run('npx', ['cdk', 'synth', '-q'], app), 'npx cdk synth');
    const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'FirstAppStack.template.json'), 'utf8'));
    const resources = Object.entries<any>(template.Resources);
    const retentionOf = (fnId: string) => resources
      .filter(([, r]) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes(`"Ref":"${fnId}"`))
      .map(([, r]) => r.Properties.RetentionInDays);
    const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.PackageType === 'Image').map(([id]) => id);
    expect(functions.map(id => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['FromSource', 'Hello']);
    expect(Object.fromEntries(functions.map(id => [id.replace(/[0-9A-F]{8}$/, ''), retentionOf(id)]))).toEqual({ Hello: [30], FromSource: [7] });
  });

  test('an invalid prop fails the synth naming the construct and the fix, with the app\'s own line as the excerpt', () => {
    const stackFile = path.join(app, 'lib', 'first-app-stack.ts');
    const good = fs.readFileSync(stackFile, 'utf8');
    const bad = good.replace("fromDockerfile('functions/hello') }", "fromDockerfile('functions/hello'), memorySize: 99999 }");
    expect(bad).not.toEqual(good);
    fs.writeFileSync(stackFile, bad);
    try {
      const r = run('npx', ['cdk', 'synth', '-q'], app);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain("FirstAppStack/Hello: memorySize 99999 MB is outside Lambda's range. Use a whole number of MB");
      // Node prints the source line of the error's first frame: the app's, not the package's (whose .ts is not shipped).
      expect(r.stderr).toMatch(/first-app-stack\.ts:\d+\n.*memorySize: 99999/);
      expect(r.stderr).not.toMatch(/node_modules\/cdk-container-function\/lib\/\S+\.ts/);
    } finally {
      fs.writeFileSync(stackFile, good);
    }
  });

  test('npx cdk-container-function --help runs the installed command line tool', () => {
    const r = ok(run('npx', ['--no-install', 'cdk-container-function', '--help'], app), 'npx cdk-container-function --help');
    expect(r.stdout).toMatch(/^Usage: cdk-container-function/m);
    for (const command of ['invoke', 'serve', 'event', 'measure', 'dockerfile']) expect(r.stdout).toContain(command);
  });
});
