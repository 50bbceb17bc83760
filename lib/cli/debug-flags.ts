// The debugger flags shared by invoke, serve and api (SAM's -d / --debug-port, --debug-function, --debugger-path).
import { Command } from 'commander';
import { attachDebugger } from '../local/debug';
import { LocalFunction } from '../local/functions/local-function';

export interface DebugFlags {
  debugPort?: number;
  debugFunction?: string;
  debuggerPath?: string;
}

export function addDebugFlags(command: Command, o: { several: boolean }): Command {
  command
    .option('-d, --debug-port <port>', 'start the function under a debugger listening on 127.0.0.1:<port> (Node.js, Python, Java); its timeout is suspended', v => Number(v))
    .option('--debugger-path <dir>', 'a directory with the debugpy package, mounted into Python functions whose image has none');
  if (o.several) command.option('--debug-function <name>', 'the function --debug-port applies to, when several are served');
  return command;
}

/** Applies the flags to the loaded functions (nothing without --debug-port). */
export async function applyDebugFlags(fns: readonly LocalFunction[], flags: DebugFlags): Promise<void> {
  if (flags.debugPort === undefined) {
    if (flags.debugFunction || flags.debuggerPath) throw new Error('--debug-function and --debugger-path need --debug-port.');
    return;
  }
  await attachDebugger(fns, {
    port: flags.debugPort,
    functionName: flags.debugFunction,
    debuggerPath: flags.debuggerPath,
    log: t => process.stderr.write(t),
  });
}
