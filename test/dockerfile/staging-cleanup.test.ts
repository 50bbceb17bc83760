import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { sourceDir } from './support';
import { sweepStaleStagingDirectories } from '../../lib/dockerfile/staging-directory';
import { tempDir } from '../support/temp-dir';

// A synth leaves no staging directory behind: the app runs in its own process (as `cdk synth` runs it), with a temp
// directory of its own, and that directory must be empty once the process has exited.

const ROOT = path.resolve(__dirname, '../..');
const APP = `
const { App, Stack, aws_ecr_assets } = require('aws-cdk-lib');
const { stageSourceImage } = require('${ROOT}/lib/dockerfile/stage-source');
const { LambdaBaseImage } = require('${ROOT}/lib/dockerfile');
const app = new App();
const stack = new Stack(app, 'S');
const staged = stageSourceImage('S/Fn', process.env.SOURCE, { base: LambdaBaseImage.PYTHON_3_13, handler: 'app.lambda_handler' });
new aws_ecr_assets.DockerImageAsset(stack, 'Image', { directory: staged.directory });
app.synth();
console.log(staged.directory);
`;

function runApp(env: { [name: string]: string }): { staged: string; tmp: string } {
  const tmp = tempDir('ccf-unit-tmp-');
  const source = sourceDir({ 'app.py': 'def lambda_handler(e, c):\n    return 1\n', 'lib/util.py': 'X = 1\n' });
  const staged = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', APP], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, SOURCE: source, TS_NODE_PREFER_TS_EXTS: 'true', ...env },
    encoding: 'utf8',
  }).trim().split('\n').pop()!;
  return { staged, tmp };
}

test('the staged copy is gone after synth; the asset in the cloud assembly holds the files', () => {
  const outdir = tempDir('ccf-unit-out-');
  const { staged, tmp } = runApp({ CDK_OUTDIR: outdir });
  expect(path.dirname(staged)).toBe(tmp);
  expect(fs.readdirSync(tmp).filter(n => n.startsWith('ccf-'))).toEqual([]);
  const assets = fs.readdirSync(outdir).filter(n => n.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  expect(fs.readdirSync(path.join(outdir, assets[0])).sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.py', 'lib']);
}, 60_000);

test('with asset staging disabled (cdk synth --no-staging), the context is staged inside the cloud assembly and kept', () => {
  const outdir = tempDir('ccf-unit-out-');
  const { staged, tmp } = runApp({ CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:disable-asset-staging': true }) });
  expect(fs.readdirSync(tmp).filter(n => n.startsWith('ccf-'))).toEqual([]);
  expect(path.dirname(staged)).toBe(fs.realpathSync(outdir));
  expect(fs.readdirSync(staged).sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.py', 'lib']);
  const manifest = fs.readFileSync(path.join(outdir, 'S.assets.json'), 'utf8');
  expect(manifest).toContain(path.basename(staged));
}, 60_000);

test('directories left by processes that have ended are swept; those of running processes are kept', () => {
  const tmp = tempDir('ccf-unit-tmp-');
  const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
  const running = spawn('sleep', ['30']);
  try {
    for (const pid of [ended, running.pid!, process.pid]) fs.mkdirSync(path.join(tmp, `ccf-source-${pid}-abc123`));
    fs.mkdirSync(path.join(tmp, 'ccf-source-notapid'));
    sweepStaleStagingDirectories(tmp);
    expect(fs.readdirSync(tmp).sort()).toEqual([`ccf-source-${process.pid}-abc123`, `ccf-source-${running.pid}-abc123`, 'ccf-source-notapid'].sort());
  } finally {
    running.kill();
  }
});
