// A project for the `--watch` tests: files below a temporary directory (removed when the test file ends), the CLI run
// there as users run it, with a logging Docker client (CDK_DOCKER: the test sees every Docker call) and the Node.js
// stand-in as the functions' BASE build argument. cleanUp() stops every CLI it started, removes every image they built
// and tells which of their containers are left.
import * as fs from 'fs';
import * as path from 'path';
import { CliProcess, startCli, waitFor } from './cli-process';
import { docker } from './docker';
import { loggingDockerClient } from './docker-log';
import { ensureStandIns } from './standins';
import { OWNER_LABEL } from '../../../lib/local/runtime/owner';
import { tempDir } from '../../support/temp-dir';

const ROOT = path.join(__dirname, '..', '..', '..');

/** A Node.js handler that answers its version. */
export const versionHandler = (version: string) => `'use strict';\nexports.handler = async () => ({ version: '${version}' });\n`;

/** A Dockerfile in AWS's form on the stand-in: the handler copied last. */
export const HANDLER_DOCKERFILE = 'ARG BASE\nFROM ${BASE}\nCOPY index.js ${LAMBDA_TASK_ROOT}/\nCMD ["index.handler"]\n';

/** A JavaScript CDK app with one DockerImageFunction per entry, built from `<dir>` with the stand-in as BASE. */
export function dockerImageFunctionApp(stack: string, functions: readonly { id: string; dir: string; props?: string }[]): string {
  return [
    'const path = require(\'path\');',
    'const { App, Stack, aws_lambda: lambda } = require(\'aws-cdk-lib\');',
    'const app = new App();',
    `const stack = new Stack(app, '${stack}');`,
    ...functions.map(f => `new lambda.DockerImageFunction(stack, '${f.id}', {\n`
      + `  code: lambda.DockerImageCode.fromImageAsset(path.join(__dirname, '${f.dir}'), { buildArgs: { BASE: process.env.CCF_WATCH_TEST_BASE } }),\n`
      + `${f.props ? `  ${f.props}\n` : ''}});`),
    'app.synth();',
    '',
  ].join('\n');
}

export class WatchProject {
  /** Writes `files` (relative path → text) into a new project. */
  static async create(prefix: string, files: { readonly [file: string]: string }): Promise<WatchProject> {
    const { nodeTag } = await ensureStandIns();
    const project = new WatchProject(tempDir(`${prefix}-`), nodeTag, loggingDockerClient(tempDir(`${prefix}-docker-`)));
    for (const [file, text] of Object.entries(files)) project.write(file, text);
    return project;
  }

  private readonly clis: CliProcess[] = [];

  /** What the CLI runs with: the app finds aws-cdk-lib, the functions' BASE is the stand-in, Docker calls are logged. */
  readonly env: { readonly [name: string]: string };

  private constructor(readonly directory: string, nodeTag: string, readonly log: ReturnType<typeof loggingDockerClient>) {
    this.env = { NODE_PATH: path.join(ROOT, 'node_modules'), CCF_WATCH_TEST_BASE: nodeTag, CDK_DOCKER: log.client, DOCKER_BUILDKIT: '1' };
  }

  path(file: string): string {
    return path.join(this.directory, file);
  }

  write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(this.path(file)), { recursive: true });
    fs.writeFileSync(this.path(file), text);
  }

  /** Starts the CLI here; resolves once stderr shows `ready` (its endpoint listens), or throws with what it printed. */
  async start(args: string[], ready = 'Lambda Invoke API at', guardMs?: number): Promise<CliProcess> {
    const c = startCli(args, this.directory, this.env, guardMs);
    this.clis.push(c);
    const ok = await waitFor(() => (c.stderr().includes(ready) ? true : c.child.exitCode !== null ? false : undefined), `${args[0]} to listen`, 600_000);
    if (!ok) throw new Error(`${args[0]} exited:\n${c.stderr()}`);
    return c;
  }

  /** Stops every CLI started here, removes every image they built; the names of their containers still there. */
  async cleanUp(): Promise<string[]> {
    for (const c of this.clis) await c.stop();
    for (const call of this.log.calls()) {
      const tag = /^build .*--tag (\S+)/.exec(call)?.[1];
      if (tag) await docker(['image', 'rm', '-f', tag], { allowFailure: true });
    }
    const left: string[] = [];
    for (const pid of this.clis.map(c => c.child.pid).filter((p): p is number => p !== undefined)) {
      const r = await docker(['ps', '-a', '--filter', `label=${OWNER_LABEL}=${pid}`, '--format', '{{.Names}}']);
      left.push(...r.stdout.split('\n').filter(Boolean));
    }
    return left;
  }
}
