import { Command } from 'commander';
import { configureApiCommand } from '../../lib/cli/commands/api';
import { configureInvokeCommand } from '../../lib/cli/commands/invoke';
import { configureServeCommand } from '../../lib/cli/commands/serve';
import { applyDebugFlags } from '../../lib/cli/debug-flags';

const flagsOf = (c: Command) => c.options.map(o => o.long);

test.each([
  ['invoke', configureInvokeCommand, ['--debug-port', '--debugger-path']],
  ['serve', configureServeCommand, ['--debug-port', '--debugger-path', '--debug-function']],
  ['api', configureApiCommand, ['--debug-port', '--debugger-path', '--debug-function']],
])('%s takes the debugger flags', (name, configure, flags) => {
  expect(flagsOf(configure(new Command(name)))).toEqual(expect.arrayContaining(flags));
});

test('invoke debugs its one function: no --debug-function', () => {
  expect(flagsOf(configureInvokeCommand(new Command('invoke')))).not.toContain('--debug-function');
});

test('--debug-function and --debugger-path without --debug-port are refused', async () => {
  await expect(applyDebugFlags([], { debugFunction: 'S/Fn' })).rejects.toThrow('--debug-function and --debugger-path need --debug-port.');
  await expect(applyDebugFlags([], { debuggerPath: '/x' })).rejects.toThrow('--debug-function and --debugger-path need --debug-port.');
  await expect(applyDebugFlags([], {})).resolves.toBeUndefined();
});
