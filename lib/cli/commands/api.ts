// `cdk-container-function api`: the app's API Gateway REST and HTTP APIs and its Function URLs on
// localhost (as `sam local start-api`, for CDK apps, with Function URLs, streaming, JWT and CORS), each
// API or URL on its own port, backed by the same warm containers, limits and REPORT lines as `serve`.
// SIGINT and SIGTERM remove every container before exiting.
import * as fs from 'fs';
import { Command, InvalidArgumentError } from 'commander';
import { AppAssembly, AppFunction } from '../../assembly';
import { loadApp, prepareFunctions } from '../../local/functions/load';
import { appRoutes } from '../../local/http/app-routes';
import { readJwks } from '../../local/http/authorizers/jwt-authorizer';
import { functionKey } from '../../local/http/front-door';
import { FrontDoors } from '../../local/http/front-doors';
import { formatRouteTable } from '../../local/http/route-table';
import { TemplateRoutes } from '../../local/http/routes';
import { FunctionWatcher } from '../../local/watch';
import { DebugFlags, addDebugFlags, applyDebugFlags } from '../debug-flags';
import { assertPortFree } from '../port-free';
import { WatchFlags, addWatchFlag, startWatching } from '../watch-flag';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got ${value}`);
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port number (0 for any free port), got ${value}`);
  return n;
}

interface ApiOptions {
  port: number;
  host: string;
  app?: string;
  envVars?: string;
  stage?: string;
  routes?: string;
  jwks?: string;
  build: boolean;
  region?: string;
  maxConcurrency: number;
  warm?: boolean;
}

type ApiFlags = ApiOptions & DebugFlags & WatchFlags;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function configureApiCommand(command: Command): Command {
  return addWatchFlag(addDebugFlags(command, { several: true }))
    .description('serve the app\'s API Gateway REST and HTTP APIs and Function URLs on localhost, backed by its container-image functions')
    .option('-p, --port <port>', 'port of the first API; the next ones take the following ports (0: any free ports)', port, 3000)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('-a, --app <app>', 'cloud assembly directory, or the app command to synthesize (default: cdk.json "app")')
    .option('--env-vars <file>', 'JSON of environment values, SAM\'s shape: {"<function>": {"NAME": "value"}, "Parameters": {...}}')
    .option('--stage <name>', 'the stage to serve for APIs with several (default: $default for HTTP APIs, else the first)')
    .option('--routes <file>', 'also write the route table as JSON to this file')
    .option('--jwks <file>', 'JSON Web Key Set that JWT authorizers check signatures against (without it, JWT routes are not served)')
    .option('--no-build', 'use the images already built; fail when one is missing')
    .option('--region <region>', 'region when a stack does not pin one (default: AWS_REGION or us-east-1)')
    .option('--max-concurrency <n>', 'containers per function at most (each serves one request at a time)', positiveInt, 4)
    .option('--warm', 'start one container per function before serving (no cold start on the first request)')
    .action(async (opts: ApiFlags) => {
      let doors: FrontDoors | undefined;
      let watcher: FunctionWatcher | undefined;
      const note = (line: string) => process.stderr.write(`${line}\n`);
      try {
        await assertPortFree(opts.port, opts.host);
        const jwks = opts.jwks ? readJwks(opts.jwks) : undefined;
        const app = await loadApp(opts.app);
        const first = routesOf(app, opts, jwks !== undefined);
        const { routes, mocks, refused } = first;
        if (routes.length === 0) {
          if (refused.length) note(formatRouteTable([], refused));
          throw new Error('the app has no API Gateway route or Function URL that can be served locally.');
        }
        const functions = await prepareFunctions(app, first.functions, {
          envVarsFile: opts.envVars,
          build: opts.build,
          region: opts.region,
          note,
        });
        await applyDebugFlags(functions, opts);
        doors = new FrontDoors({ routes, mocks, functions, maxConcurrency: opts.maxConcurrency, jwks, log: t => process.stderr.write(t) });
        const shutdown = (signal: NodeJS.Signals) => {
          process.stderr.write(`\n${signal}: removing containers…\n`);
          // Containers first, then the images content-only rebuilds made for them.
          void (async () => { await watcher?.close(); await doors!.close(); await watcher?.removeBuilt(); })().finally(() => process.exit(0));
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
        if (!LOOPBACK.has(opts.host)) {
          note(`WARNING: listening on ${opts.host}, beyond this machine's loopback: anyone who can reach it can run the app's functions with your AWS credentials.`);
        }
        if (opts.warm) await doors.prewarm();
        await doors.listen(opts.port, opts.host);
        const target = doors;
        let latest = first;
        watcher = await startWatching(app, {
          gate: target.gate,
          wanted: next => {
            latest = routesOf(next, opts, jwks !== undefined);
            if (latest.routes.length === 0) throw new Error('the app has no API Gateway route or Function URL that can be served locally now; the last good routes keep serving.');
            return latest.functions;
          },
          served: () => target.functions,
          apply: (_next, fns) => target.update({ routes: latest.routes, mocks: latest.mocks, functions: fns }),
          pools: target.pools,
        }, opts);
        const rows = doors.rows();
        if (opts.routes) fs.writeFileSync(opts.routes, JSON.stringify(rows.map(({ stage: _s, ...r }) => r), undefined, 2) + '\n');
        process.stderr.write(`${formatRouteTable(rows, refused)}\n`);
        process.stderr.write('Ctrl+C stops and removes every container.\n');
      } catch (e) {
        process.stderr.write(`cdk-container-function api: ${(e as Error).message}\n`);
        await watcher?.close();
        await doors?.close();
        await watcher?.removeBuilt();
        process.exitCode = 2;
      }
    });
}

/** The app's servable routes, and the functions they run (routes' functions and Lambda authorizers). */
function routesOf(app: AppAssembly, opts: { stage?: string }, haveJwks: boolean): TemplateRoutes & { functions: AppFunction[] } {
  // Construct paths as the one reader knows them (from the logicalId metadata: right without path metadata too).
  const stacks = app.stacks.filter(s => !s.parent).map(s => ({
    stackName: s.stackName,
    template: s.template,
    paths: new Map(Object.keys(s.template.Resources ?? {}).map(id => [id, s.pathOf(id)] as [string, string])),
  }));
  const found = appRoutes(stacks, {
    stage: opts.stage,
    imageFunctions: new Set(app.functions.map(functionKey)),
    functionPaths: new Map(app.functions.map(f => [functionKey(f), f.path])),
    haveJwks,
  });
  const needed = new Set(found.routes.flatMap(r => [r.function, ...(r.auth.type === 'LAMBDA' && r.auth.authorizer.function ? [r.auth.authorizer.function] : [])]).map(functionKey));
  return { ...found, functions: app.functions.filter(f => needed.has(functionKey(f))) };
}
