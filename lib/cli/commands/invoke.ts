// `cdk-container-function invoke <function>`: runs one event through a container-image function of the
// app, in a container started with the function's settings (as `sam local invoke`, for CDK apps).
// stdout: the result; stderr: the function's logs and Lambda's REPORT line.
// Exit codes: 0 success, 1 function error (printed in Lambda's shape), 2 tool error.
import * as fs from 'fs';
import { Command } from 'commander';
import { MAX_SYNC_REQUEST_BYTES } from '../../lambda-facts';
import { loadFunctions } from '../../local/functions/load';
import { RequestTooLargeError, invokeOnce } from '../../local/runtime/invoke-once';
import { requestTooLargeMessage } from '../../local/runtime/lambda-errors';
import { Sandbox } from '../../local/runtime/sandbox';
import { DebugFlags, addDebugFlags, applyDebugFlags } from '../debug-flags';

/**
 * The event: a file, `-` for stdin, or `{}`. Refused when it is not JSON, or over Lambda's 6 MB request
 * limit: both before the app is synthesized or any image built.
 */
export function readEvent(source: string | undefined): Buffer {
  if (source === undefined) return Buffer.from('{}');
  let data: Buffer;
  try {
    data = fs.readFileSync(source === '-' ? 0 : source);
  } catch (e) {
    throw new Error(`--event ${source}: ${(e as Error).message}`);
  }
  if (data.length > MAX_SYNC_REQUEST_BYTES) {
    throw new RequestTooLargeError(`RequestEntityTooLargeException: --event ${source}: ${requestTooLargeMessage(data.length, 'RequestResponse', MAX_SYNC_REQUEST_BYTES)}`);
  }
  try {
    JSON.parse(data.toString('utf8'));
  } catch (e) {
    throw new Error(`--event ${source} is not JSON (${(e as Error).message}); Lambda events are JSON documents.`);
  }
  return data;
}

export function configureInvokeCommand(command: Command): Command {
  return addDebugFlags(command, { several: false })
    .description('invoke a container-image function of the app locally, with its settings from the template')
    .argument('<function>', 'construct path (Stack/Fn) or logical id')
    .option('-e, --event <file>', 'event JSON file, or - for stdin (default: {})')
    .option('-a, --app <app>', 'cloud assembly directory, or the app command to synthesize (default: cdk.json "app")')
    .option('--env-vars <file>', 'JSON of environment values, SAM\'s shape: {"<function>": {"NAME": "value"}, "Parameters": {...}}')
    .option('--no-build', 'use the image already built; fail when it is missing')
    .option('--region <region>', 'region when the stack does not pin one (default: AWS_REGION or us-east-1)')
    .action(async (name: string, opts: { event?: string; app?: string; envVars?: string; build: boolean; region?: string } & DebugFlags) => {
      let sandbox: Sandbox | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        void (sandbox?.destroy() ?? Promise.resolve()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const event = readEvent(opts.event);
        const [fn] = await loadFunctions({
          app: opts.app,
          functions: [name],
          envVarsFile: opts.envVars,
          build: opts.build,
          region: opts.region,
          note: line => process.stderr.write(`${line}\n`),
        });
        await applyDebugFlags([fn], opts);
        const result = await invokeOnce(fn, event, {
          log: t => process.stderr.write(t),
          onStarted: s => { sandbox = s; },
          // The answer is printed at once; removing the container (which END and REPORT wait for) follows.
          onResult: r => { process.stdout.write(Buffer.concat([r.payload, Buffer.from('\n')])); },
        });
        process.exitCode = result.functionError ? 1 : 0;
      } catch (e) {
        const message = e instanceof RequestTooLargeError ? e.message : (e as Error).message;
        process.stderr.write(`cdk-container-function invoke: ${message}\n`);
        process.exitCode = 2;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
