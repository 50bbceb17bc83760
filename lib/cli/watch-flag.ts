// `--watch` on `serve` and `api`: the flag, its help (what it watches, what requests do during a rebuild), and
// starting the watcher with the command's own options.
import { Command } from 'commander';
import { AppAssembly } from '../assembly';
import { FunctionWatcher, WatchTarget } from '../local/watch';
import { WATCH_REQUEST_WAIT_MS } from '../local/watch/rebuild-gate';

export interface WatchFlags {
  watch?: boolean;
  app?: string;
  envVars?: string;
  region?: string;
}

export function addWatchFlag(command: Command): Command {
  return command
    .option('--watch', 'serve edits as you save them: a code edit in a served image\'s build context (.dockerignore honoured) '
      + 'rebuilds that image, an edit to the app\'s source (cdk.json "watch") re-synthesizes and rebuilds only the changed '
      + `images; requests for a function being rebuilt wait for it (up to ${WATCH_REQUEST_WAIT_MS / 1000} s), so none is `
      + 'answered by old code after it');
}

/** Starts watching for `target` when --watch was given; undefined otherwise. */
export async function startWatching(app: AppAssembly, target: WatchTarget, flags: WatchFlags): Promise<FunctionWatcher | undefined> {
  if (!flags.watch) return undefined;
  const watcher = new FunctionWatcher(app, target, {
    app: flags.app,
    envVarsFile: flags.envVars,
    // A rebuild builds what changed, whatever --no-build said for the start.
    build: true,
    region: flags.region,
    note: line => process.stderr.write(`${line}\n`),
    print: line => process.stderr.write(`${line}\n`),
  });
  await watcher.start();
  return watcher;
}
