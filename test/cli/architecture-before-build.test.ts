// An arm64 function on an x86_64 engine without arm64 emulation is refused before anything is built, with the
// architecture and the fix in the message (a build for the wrong machine fails with errors that never say why). The
// Docker client here answers `docker info` as an x86_64 engine and fails every other command, so a build attempt
// would show as a different error.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Architecture, DockerImageCode, DockerImageFunction } from 'aws-cdk-lib/aws-lambda';
import { emulationRegistered } from '../../lib/local/functions/architecture';

const ROOT = path.join(__dirname, '..', '..');

// Only meaningful where arm64 emulation is not registered (this project's machines); elsewhere there is nothing to refuse.
const maybe = emulationRegistered('arm64') === false ? test : test.skip;

maybe('invoke of an arm64 function on an x86_64 engine without emulation: exit 2, nothing built, the fix named', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-arch-'));
  try {
    const fn = path.join(work, 'fn');
    fs.mkdirSync(fn);
    fs.writeFileSync(path.join(fn, 'Dockerfile'), 'FROM scratch\nCMD ["app.handler"]\n');
    const client = path.join(work, 'docker');
    fs.writeFileSync(client, [
      '#!/bin/sh',
      `echo "$*" >> ${JSON.stringify(path.join(work, 'calls'))}`,
      'if [ "$1" = info ]; then echo \'{"ServerVersion":"20.10.24","Architecture":"x86_64","CgroupVersion":"1","OSType":"linux"}\'; exit 0; fi',
      'echo "unexpected docker $1" >&2; exit 1',
    ].join('\n'), { mode: 0o755 });
    const outdir = path.join(work, 'cdk.out');
    const app = new App({ outdir });
    new DockerImageFunction(new Stack(app, 'Arm'), 'Fn', { architecture: Architecture.ARM_64, code: DockerImageCode.fromImageAsset(fn) });
    app.synth();

    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), 'invoke', 'Arm/Fn', '--app', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), CDK_DOCKER: client, DOCKER_HOST: '' },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: expect.any(String) });
    expect(r.stderr).toContain('Arm/Fn is an arm64 function and this Docker engine runs x86_64 without arm64 emulation');
    expect(r.stderr).toContain('or invoke on an arm64 machine.');
    const calls = fs.readFileSync(path.join(work, 'calls'), 'utf8');
    expect(calls).not.toMatch(/^(build|image inspect)/m);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 120_000);
