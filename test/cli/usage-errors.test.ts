// A typo on the command line is a usage error: `invoke`, `serve` and `measure` exit 2 and list the candidates, before
// any image is built or any engine is asked (CDK_DOCKER is /bin/false here: a build or probe would fail differently).
// The app is synthesized as a script does it (`new App().synth()`, no path metadata), so names are construct paths
// read from the stack's logicalId metadata.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';

const ROOT = path.join(__dirname, '..', '..');

function cli(args: string[]) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), CDK_DOCKER: '/bin/false' },
  });
}

describe('typos exit 2 and list the candidates', () => {
  let work: string;
  let outdir: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-usage-'));
    const fn = path.join(work, 'fn');
    fs.mkdirSync(fn);
    fs.writeFileSync(path.join(fn, 'Dockerfile'), 'FROM scratch\nCMD ["app.handler"]\n');
    outdir = path.join(work, 'cdk.out');
    const app = new App({ outdir });
    const stack = new Stack(app, 'Csv');
    new DockerImageFunction(stack, 'Processor', { code: DockerImageCode.fromImageAsset(fn) });
    new DockerImageFunction(stack, 'Reporter', { code: DockerImageCode.fromImageAsset(fn) });
    app.synth();
  });

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const CANDIDATES = /Functions in this app:\n {2}Csv\/Processor \(Processor[0-9A-F]{8}\)\n {2}Csv\/Reporter \(Reporter[0-9A-F]{8}\)/;

  test('invoke Csv/Procesor', () => {
    const r = cli(['invoke', 'Csv/Procesor', '--app', outdir]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: r.status === 2 ? expect.any(String) : 'shown' });
    expect(r.stderr).toMatch(/^cdk-container-function invoke: no container-image function "Csv\/Procesor"\. /m);
    expect(r.stderr).toMatch(CANDIDATES);
    expect(r.stdout).toBe('');
  }, 120_000);

  test('serve --function Csv/Procesor', () => {
    const r = cli(['serve', '--function', 'Csv/Reporter', 'Csv/Procesor', '--app', outdir, '--port', '0']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: r.status === 2 ? expect.any(String) : 'shown' });
    expect(r.stderr).toMatch(/cdk-container-function serve: no container-image function "Csv\/Procesor"\. /);
    expect(r.stderr).toMatch(CANDIDATES);
    expect(r.stderr).not.toContain('Lambda Invoke API at');
  }, 120_000);

  test('measure --function Csv/Procesor', () => {
    const r = cli(['measure', '--function', 'Csv/Procesor', '--app', outdir]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: r.status === 2 ? expect.any(String) : 'shown' });
    expect(r.stderr).toMatch(/no container-image function "Csv\/Procesor"\. /);
    expect(r.stderr).toMatch(CANDIDATES);
    expect(r.stdout).toBe('');
  }, 120_000);

  test('measure --stack Nope', () => {
    const r = cli(['measure', '--stack', 'Nope', '--app', outdir]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: r.status === 2 ? expect.any(String) : 'shown' });
    expect(r.stderr).toContain('no stack "Nope". Stacks in this app:\n  Csv\n');
    expect(r.stdout).toBe('');
  }, 120_000);

  test('the right names pass the lookup (and reach the engine, which /bin/false is not)', () => {
    const r = cli(['measure', '--function', 'Csv/Processor', '--app', outdir]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: r.status === 2 ? expect.any(String) : 'shown' });
    expect(r.stderr).toContain('no Docker engine answers');
    expect(r.stderr).not.toContain('no container-image function');
  }, 120_000);
});
