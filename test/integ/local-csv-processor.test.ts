// The seed's debugging loop, `sam local invoke CSVProcessorFunction -e events/s3_event.json`, done with
// this package's CLI on the csv-processor example: without AWS credentials the S3 read fails, and that
// failure is the function's error in Lambda's shape (exit code 1), with logs and REPORT on stderr.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { makeTestVariant, removeAssetImages } from './support/asset-variant';
import { describeWithDocker, removeImage } from './support/docker';
import { CSV_PROCESSOR_FROM, ensureCsvProcessorBase, leftoverContainers } from './support/local-images';
import { CsvProcessorStack } from '../../examples/csv-processor/stack';

jest.setTimeout(20 * 60_000);

const ROOT = path.join(__dirname, '..', '..');

/** Runs the CLI from the sources as a user would (its own process, its own exit code), without AWS credentials. */
function cli(args: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), TS_NODE_PREFER_TS_EXTS: 'true' };
  for (const k of Object.keys(env)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|SHARED_CREDENTIALS_FILE|CONFIG_FILE)$/.test(k)) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => { stdout += d; });
    child.stderr.on('data', d => { stderr += d; });
    child.on('error', reject);
    child.on('close', code => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describeWithDocker('invoke: the csv-processor example with its S3 event', () => {
  let outdir: string;
  let home: string;
  let variantTags: string[] = [];

  beforeAll(async () => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-csv-app-'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-home-'));
    // As `cdk synth` does it (the CLI turns on path and asset metadata).
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } });
    new CsvProcessorStack(app, 'CsvProcessor');
    app.synth();
    // PyPI is unreachable here: the Dockerfile starts FROM a stand-in that carries Debian's pandas and boto3, and the
    // pinned requirements are emptied. The rest of the Dockerfile and the handler are the example's own. The edited asset
    // gets an id of its own, so the example's real image tag (cdkasset-<id>) is never built from it.
    const base = await ensureCsvProcessorBase();
    variantTags = makeTestVariant(outdir, 'CsvProcessor', context => {
      fs.writeFileSync(path.join(context, 'requirements.txt'), '');
      const dockerfile = path.join(context, 'Dockerfile');
      const text = fs.readFileSync(dockerfile, 'utf8');
      expect(text).toMatch(new RegExp(`^FROM ${CSV_PROCESSOR_FROM.replace(/[.]/g, '\\.')}$`, 'm'));
      fs.writeFileSync(dockerfile, text.split(`FROM ${CSV_PROCESSOR_FROM}`).join(`FROM ${base}`));
    });
  });

  afterAll(async () => {
    expect(await leftoverContainers()).toEqual([]);
    for (const tag of variantTags) await removeImage(tag);
    if (outdir) await removeAssetImages(outdir);
    for (const dir of [outdir, home]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the S3 read fails without credentials: exit 1, the error in Lambda\'s shape, logs and REPORT on stderr', async () => {
    const event = path.join(ROOT, 'examples', 'csv-processor', 'events', 's3_event.json');
    const r = await cli(['invoke', 'CsvProcessor/Processor', '--app', outdir, '--event', event], home);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 1 });
    const error = JSON.parse(r.stdout);
    expect(error).toMatchObject({ errorType: 'NoCredentialsError', errorMessage: 'Unable to locate credentials' });
    expect(Array.isArray(error.stackTrace)).toBe(true);
    expect(r.stderr).toMatch(/CsvProcessor\/Processor: (building image|cached)/);
    expect(r.stderr).toMatch(/START RequestId: \S+ Version: \$LATEST/);
    expect(r.stderr).toMatch(/REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
  });

  test('an unknown function: exit 2 and the candidates', async () => {
    const r = await cli(['invoke', 'Processr', '--app', outdir, '--no-build'], home);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no container-image function "Processr". Functions in this app:\n {2}CsvProcessor\/Processor \(Processor[0-9A-F]{8}\)/);
  });
});
