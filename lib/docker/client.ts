// The one Docker client of the package's tools (measure, the measured synth, local invoke, serve and api, asset
// builds): it resolves the command, runs it, streams it, and reports every failure as one error type. No other
// module under lib/ spawns the Docker CLI (test/docker/one-client.test.ts reads the sources to keep it so). Callers'
// unit tests stub this module only, and a test can count engine calls by pointing CDK_DOCKER at a wrapper script.
import { ChildProcess } from 'child_process';
import { ProcessOutcome, ProcessResult, ProcessRunOptions, runProcess, runProcessSync, spawnProcess } from './process';

/**
 * The client CDK would use: `CDK_DOCKER`, else `docker` on the PATH, as cdk-assets-lib resolves it
 * (lib/private/docker.js getDockerCmd(): `process.env.CDK_DOCKER ?? 'docker'`). One difference, on purpose: an empty
 * CDK_DOCKER (`export CDK_DOCKER=`) means `docker` here, where cdk-assets would try to run an empty command and fail.
 */
export function dockerCommand(): string {
  return process.env.CDK_DOCKER || 'docker';
}

export type DockerResult = ProcessResult;

export interface DockerRunOptions extends ProcessRunOptions {
  /** Resolve with the result of a non-zero exit instead of throwing (the client still has to start). @default false */
  readonly allowFailure?: boolean;
}

/**
 * The one error of the Docker client: a command that exited non-zero (or was killed), or a client that could not
 * start at all (`started` false: no such command, or the sync run timed out), with what to do.
 */
export class DockerCommandError extends Error {
  constructor(
    public readonly command: string,
    public readonly args: readonly string[],
    public readonly result: DockerResult,
    public readonly started: boolean,
  ) {
    super(started ? `${command} ${args[0]} exited with code ${result.code}:\n${outputTail(result)}` : couldNotRun(command, result.stderr));
    this.name = 'DockerCommandError';
  }

  /** For a report: the tail of the command's output, or why the client could not start. */
  detail(lines: number): string {
    return this.started ? outputTail(this.result, lines) : this.message;
  }
}

/** Why a client that could not start did not, and what to do. */
export function couldNotRun(command: string, why: string): string {
  return `could not run '${command}' (${why}). Install Docker, or set CDK_DOCKER to a compatible client.`;
}

/** The last `lines` lines of a command's output, for error messages. */
export function outputTail(result: DockerResult, lines = 30): string {
  return `${result.stdout}${result.stderr}`.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs the client; rejects with DockerCommandError on a non-zero exit (unless allowFailure) or when it cannot start. */
export async function runDocker(args: string[], options: DockerRunOptions = {}): Promise<DockerResult> {
  return settle(args, options, await runProcess(dockerCommand(), args, options));
}

/**
 * runDocker for synth time only: the measured synth builds and measures from inside a CDK Aspect, which cannot
 * await. Everything else uses runDocker.
 */
export function runDockerSync(args: string[], options: DockerRunOptions = {}): DockerResult {
  return settle(args, options, runProcessSync(dockerCommand(), args, options));
}

/**
 * Starts the client attached, output piped: the caller reads a container's stdout/stderr live.
 * `env` adds to the client's environment (what `-e NAME` without a value reads).
 */
export function spawnDocker(args: string[], env: { [name: string]: string } = {}, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawnProcess(dockerCommand(), args, env, stdin);
}

function settle(args: string[], options: DockerRunOptions, outcome: ProcessOutcome): DockerResult {
  if (!outcome.started) throw new DockerCommandError(dockerCommand(), args, outcome.result, false);
  if (outcome.result.code !== 0 && !options.allowFailure) throw new DockerCommandError(dockerCommand(), args, outcome.result, true);
  return outcome.result;
}
