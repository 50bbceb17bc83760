#!/usr/bin/env node
// The package's one command line tool: `npx cdk-container-function <subcommand>`.
// Internal (not exported from lib/index.ts). Each subcommand lives in lib/cli/commands/<name>.ts and
// registers itself here with one line.
import { Command } from 'commander';
import { configureApiCommand } from './commands/api';
import { configureDockerfileCommand } from './commands/dockerfile';
import { configureEventCommand } from './commands/event';
import { configureInvokeCommand } from './commands/invoke';
import { configureMeasureCommand } from './commands/measure';
import { configureServeCommand } from './commands/serve';

/** Builds the program; tests call `program.parseAsync([...], { from: 'user' })`. */
export function createProgram(): Command {
  const program = new Command()
    .name('cdk-container-function')
    .description('Tools for container-image Lambda functions in CDK apps')
    .showHelpAfterError()
    // Exit codes: 0 success, 1 a finding or a function error (per subcommand), 2 usage or tool errors.
    .exitOverride(err => { process.exit(err.exitCode === 1 && err.code.startsWith('commander.') ? 2 : err.exitCode); });
  configureDockerfileCommand(program.command('dockerfile'));
  configureMeasureCommand(program.command('measure'));
  configureInvokeCommand(program.command('invoke'));
  configureServeCommand(program.command('serve'));
  configureEventCommand(program.command('event'));
  configureApiCommand(program.command('api'));
  return program;
}

if (require.main === module) {
  createProgram().parseAsync(process.argv).catch((e: Error) => {
    process.stderr.write(`cdk-container-function: ${e.message}\n`);
    process.exit(2);
  });
}
