// How an execution environment's container is started: its settings, the `docker run` arguments (Lambda's memory
// limit without swap, the owner label, ENTRYPOINT and CMD as Lambda overrides them, a held runtime behind a shell) and
// the environment it gets (the function's, then Lambda's standard variables).
import * as crypto from 'crypto';
import { OwnerIdentity, currentOwner, ownerLabelArgs } from './owner';
import { RuntimeHost } from './runtime-host';
import { AppFunction } from '../../assembly/app-function';
import { ImageRunConfig } from '../../docker';
import { dockerPlatform } from '../../lambda-facts';
import { SandboxDebug } from '../debug/debug-plan';
import { EnvMap, logStreamName, standardVariables } from '../functions/environment';

export interface ContainerSettings {
  readonly fn: AppFunction;
  /** Image reference to run. */
  readonly image: string;
  readonly imageInfo: ImageRunConfig;
  /** Template environment, overrides and credentials, already merged (standard variables are added here). */
  readonly environment: EnvMap;
  readonly region: string;
  readonly host: RuntimeHost;
  /** The account in the function ARN the runtime sees. */
  readonly account?: string;
  /** @default the current process */
  readonly owner?: OwnerIdentity;
  /** A debugger's settings, added at run time; while one is attached, the timeouts are suspended. */
  readonly debug?: SandboxDebug;
  /**
   * Start the container but hold the runtime until resume() (a standby for --watch: files can be copied in first).
   * Needs /bin/sh in the image; the Init phase and its limit start at resume().
   */
  readonly held?: boolean;
}

/** `docker run` arguments (the environment's values are passed through the client's environment). */
export function containerRunArgs(o: ContainerSettings, name: string, env: EnvMap): string[] {
  const fn = o.fn;
  const entry = fn.entryPoint ?? o.imageInfo.entrypoint;
  const cmd = fn.command ?? o.imageInfo.cmd;
  const platform = dockerPlatform(fn.architecture);
  const args = ['run', '--rm', ...(o.held ? ['-i'] : []), '--name', name, ...ownerLabelArgs(o.owner ?? currentOwner()),
    '--platform', platform,
    // MemorySize is the hard limit, with no swap on top: over it, the kernel kills the runtime as Lambda does.
    '--memory', `${fn.memoryMb}m`, '--memory-swap', `${fn.memoryMb}m`,
    ...o.host.runArgs, ...(o.debug?.runArgs ?? [])];
  // `-e NAME` takes the value from the client's environment: values (credentials) never show in `ps`.
  for (const k of Object.keys(env)) args.push('-e', k);
  if (fn.workingDirectory) args.push('--workdir', fn.workingDirectory);
  // Held: a shell waits for one line on stdin (or its end: the caller is gone), then becomes the runtime.
  if (o.held) args.push('--entrypoint', '/bin/sh', o.image, '-c', 'read -r _ || exit 0; exec "$@" </dev/null', 'ccf-held', ...entry, ...cmd);
  // Lambda overrides ENTRYPOINT and CMD independently; docker's --entrypoint clears CMD, so pass both.
  else if (fn.entryPoint) args.push('--entrypoint', entry[0] ?? '', o.image, ...entry.slice(1), ...cmd);
  else if (fn.command) args.push(o.image, ...cmd);
  else args.push(o.image);
  return args;
}

/** The container's environment: the function's, then Lambda's standard variables, then a debugger's. */
export function containerEnvironment(o: ContainerSettings, port: number): EnvMap {
  const cmd = o.fn.command ?? o.imageInfo.cmd;
  return {
    ...o.environment,
    ...standardVariables({
      fn: o.fn,
      region: o.region,
      handler: cmd[0],
      runtimeApi: `${o.host.advertise}:${port}`,
      logStreamName: logStreamName(new Date(), crypto.randomBytes(16).toString('hex')),
      taskRoot: o.imageInfo.env.find(e => e.startsWith('LAMBDA_TASK_ROOT='))?.slice('LAMBDA_TASK_ROOT='.length) ?? '/var/task',
    }),
    ...o.debug?.env,
  };
}
