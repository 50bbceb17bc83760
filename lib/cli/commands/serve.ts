// `cdk-container-function serve`: a local endpoint for Lambda's Invoke API, serving every container-image
// function of the app (as `sam local start-lambda`), for the AWS SDKs and CLI:
//   new LambdaClient({ endpoint: 'http://127.0.0.1:3001' }).send(new InvokeCommand({ FunctionName: 'Stack/Fn' }))
// Each function has a pool of warm containers, one request per container at a time. SIGINT and SIGTERM
// remove every container before exiting.
import { Command, InvalidArgumentError } from 'commander';
import { AppAssembly, AppFunction, findFunctions } from '../../assembly';
import { loadApp, prepareFunctions } from '../../local/functions/load';
import { InvokeApiServer } from '../../local/service/invoke-api';
import { isLoopbackAddress } from '../../local/service/request-origin';
import { FunctionWatcher } from '../../local/watch';
import { DebugFlags, addDebugFlags, applyDebugFlags } from '../debug-flags';
import { assertPortFree } from '../port-free';
import { WatchFlags, addWatchFlag, startWatching } from '../watch-flag';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${value}`);
  return n;
}

interface ServeOptions {
  port: number;
  host: string;
  maxConcurrency: number;
  warm?: boolean;
  function?: string[];
  app?: string;
  envVars?: string;
  build: boolean;
  region?: string;
  allowHost?: string[];
}

/** What serve prints when it listens beyond this machine: anyone who reaches the port runs functions with the user's credentials. */
export function exposureWarning(host: string): string | undefined {
  if (isLoopbackAddress(host)) return undefined;
  return `WARNING: listening on ${host}, beyond this machine. Anyone who can reach this port can invoke the functions, `
    + 'and they run with your AWS credentials. Use the default --host 127.0.0.1 unless you mean to share them.';
}

type ServeFlags = ServeOptions & DebugFlags & WatchFlags;

export function configureServeCommand(command: Command): Command {
  return addWatchFlag(addDebugFlags(command, { several: true }))
    .description('serve the app\'s container-image functions on a local Lambda Invoke API endpoint')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', v => Number(v), 3001)
    .option('--host <address>', 'address to listen on (beyond 127.0.0.1, anyone who reaches it runs your functions with your credentials)', '127.0.0.1')
    .option('--allow-host <name...>', 'host names callers may use besides localhost, IP addresses and this machine\'s name')
    .option('--max-concurrency <n>', 'containers per function at most (each serves one request at a time)', positiveInt, 4)
    .option('--warm', 'start one container per function before serving (no cold start on the first request)')
    .option('-f, --function <name...>', 'serve only these functions (construct paths or logical ids)')
    .option('-a, --app <app>', 'cloud assembly directory, or the app command to synthesize (default: cdk.json "app")')
    .option('--env-vars <file>', 'JSON of environment values, SAM\'s shape: {"<function>": {"NAME": "value"}, "Parameters": {...}}')
    .option('--no-build', 'use the images already built; fail when one is missing')
    .option('--region <region>', 'region when a stack does not pin one (default: AWS_REGION or us-east-1)')
    .action(async (opts: ServeFlags) => {
      let server: InvokeApiServer | undefined;
      let watcher: FunctionWatcher | undefined;
      try {
        await assertPortFree(opts.port, opts.host);
        const app = await loadApp(opts.app);
        // Unknown names fail here, before any image is built.
        const chosen = opts.function ? findFunctions(app, opts.function) : [...app.functions];
        const functions = await prepareFunctions(app, chosen, {
          envVarsFile: opts.envVars,
          build: opts.build,
          region: opts.region,
          note: line => process.stderr.write(`${line}\n`),
        });
        if (functions.length === 0) throw new Error('the app has no container-image functions to serve.');
        await applyDebugFlags(functions, opts);
        const warning = exposureWarning(opts.host);
        if (warning) process.stderr.write(`\n${'!'.repeat(100)}\n${warning}\n${'!'.repeat(100)}\n\n`);
        server = new InvokeApiServer({
          functions, maxConcurrency: opts.maxConcurrency, log: t => process.stderr.write(t), allowedHosts: opts.allowHost,
        });
        const shutdown = (signal: NodeJS.Signals) => {
          process.stderr.write(`\n${signal}: removing containers…\n`);
          // Containers first, then the images content-only rebuilds made for them.
          void (async () => { await watcher?.close(); await server!.close(); await watcher?.removeBuilt(); })().finally(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
        if (opts.warm) await Promise.all(functions.map(f => server!.poolOf(f).prewarm()));
        const target = server;
        watcher = await startWatching(app, {
          gate: target.gate,
          wanted: next => wantedFunctions(next, opts.function),
          served: () => target.served,
          apply: async (_next, fns) => { await target.serve(fns); return []; },
          pools: target.pools,
        }, opts); const port = await server.listen(opts.port, opts.host);
        process.stderr.write(`Lambda Invoke API at http://${opts.host}:${port} (endpoint for the AWS SDK/CLI); functions:\n`);
        for (const f of functions) process.stderr.write(`  ${f.spec.path}  (${f.spec.logicalId}, ${f.spec.functionName})\n`);
        process.stderr.write('Ctrl+C stops and removes every container.\n');
      } catch (e) {
        process.stderr.write(`cdk-container-function serve: ${(e as Error).message}\n`);
        await watcher?.close();
        await server?.close();
        await watcher?.removeBuilt();
        process.exitCode = 2;
      }
    });
}

/** What --watch serves after a synth: every function, or those of the --function names the app still has. */
function wantedFunctions(app: AppAssembly, names: readonly string[] | undefined): AppFunction[] {
  if (!names) return [...app.functions];
  return names.flatMap(name => {
    try { return findFunctions(app, [name]); } catch { return []; }
  });
}
