// invoke and serve as the CLI runs them, with the app loading stubbed: what is refused before any synth or
// build, what is printed, and the exit codes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { configureInvokeCommand, readEvent } from '../../../lib/cli/commands/invoke';
import { configureServeCommand, exposureWarning } from '../../../lib/cli/commands/serve';
import * as load from '../../../lib/local/functions/load';
import * as once from '../../../lib/local/runtime/invoke-once';

describe('invoke', () => {
  let dir: string;
  let stderr: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cli-'));
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation(((t: string) => { stderr += t; return true; }) as typeof process.stderr.write);
    process.exitCode = undefined;
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exitCode = undefined;
  });

  const run = (args: string[]) => configureInvokeCommand(new Command('invoke').exitOverride()).parseAsync(args, { from: 'user' });

  test('an event over 6 MB is refused before the app is synthesized or any image built (exit 2)', async () => {
    const loadFunctions = jest.spyOn(load, 'loadFunctions');
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, JSON.stringify({ x: 'y'.repeat(6 * 1024 * 1024) }));
    await run(['S/Fn', '--event', file]);
    expect(loadFunctions).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(2);
    expect(stderr).toMatch(/^cdk-container-function invoke: RequestEntityTooLargeException: --event .*big\.json: 6291464 byte payload is too large for the RequestResponse invocation type \(limit 6291456 bytes\)\n$/);
  });

  test('an event that is not JSON, or missing, is refused before loading too', async () => {
    const loadFunctions = jest.spyOn(load, 'loadFunctions');
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{nope');
    await run(['S/Fn', '--event', file]);
    expect(stderr).toMatch(/--event .*bad\.json is not JSON .*Lambda events are JSON documents/);
    await run(['S/Fn', '--event', path.join(dir, 'missing.json')]);
    expect(stderr).toMatch(/--event .*missing\.json: ENOENT/);
    expect(loadFunctions).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(2);
  });

  test('a load failure (e.g. a bad --env-vars) is printed with exit 2, and nothing is left listening', async () => {
    jest.spyOn(load, 'loadFunctions').mockRejectedValue(new Error('--env-vars e.json: "Fn"."A=B": Lambda accepts variable names of a letter followed by letters, digits or underscores'));
    await run(['S/Fn']);
    expect(process.exitCode).toBe(2);
    expect(stderr).toContain('cdk-container-function invoke: --env-vars e.json: "Fn"."A=B"');
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  // The documented exit codes: 0 success, 1 function error (its payload still printed on stdout), 2 tool error.
  test.each([
    ['an answer', 0, undefined],
    ['a function error', 1, { errorType: 'TypeError', errorMessage: 'boom' }],
  ] as const)('%s: the payload on stdout, exit %s', async (_name, exitCode, functionError) => {
    let stdout = '';
    jest.spyOn(process.stdout, 'write').mockImplementation(((t: Buffer | string) => { stdout += t.toString(); return true; }) as typeof process.stdout.write);
    jest.spyOn(load, 'loadFunctions').mockResolvedValue([{ spec: { path: 'S/Fn' } } as any]);
    const payload = Buffer.from(functionError ? JSON.stringify(functionError) : '{"ok":true}');
    const invokeOnce = jest.spyOn(once, 'invokeOnce').mockImplementation(async (_fn, event, o) => {
      const result = { requestId: 'r', durationMs: 1, memoryMb: 128, payload, logs: '', reusable: true, ...(functionError ? { functionError } : {}) };
      o.onResult?.(result as any);
      return result as any;
    });
    await run(['S/Fn']);
    expect(invokeOnce.mock.calls[0][1].toString()).toBe('{}');
    expect(stdout).toBe(`${payload.toString()}\n`);
    expect(process.exitCode).toBe(exitCode);
  });

  test('readEvent: {} by default, the file\'s bytes otherwise', () => {
    expect(readEvent(undefined).toString()).toBe('{}');
    const file = path.join(dir, 'e.json');
    fs.writeFileSync(file, '{"a":"é"}');
    expect(readEvent(file).toString()).toBe('{"a":"é"}');
  });
});

describe('serve', () => {
  test.each(['127.0.0.1', '127.0.0.2', 'localhost', '::1'])('no warning on %s', host => {
    expect(exposureWarning(host)).toBeUndefined();
  });

  test.each(['0.0.0.0', '::', '192.168.1.20'])('a loud warning beyond loopback: %s', host => {
    expect(exposureWarning(host)).toMatch(new RegExp(`^WARNING: listening on ${host.replace(/\./g, '\\.')}, beyond this machine\\. .*run with your AWS credentials`));
  });

  test('an app without functions to serve: the message and exit 2', async () => {
    let stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation(((t: string) => { stderr += t; return true; }) as typeof process.stderr.write);
    jest.spyOn(load, 'loadApp').mockResolvedValue({ directory: '/nowhere', stacks: [], functions: [], imageAssets: [], unreadNestedStacks: [] });
    jest.spyOn(load, 'prepareFunctions').mockResolvedValue([]);
    try {
      await configureServeCommand(new Command('serve').exitOverride()).parseAsync(['--host', '0.0.0.0'], { from: 'user' });
      expect(stderr).toContain('the app has no container-image functions to serve');
      expect(process.exitCode).toBe(2);
    } finally {
      jest.restoreAllMocks();
      process.exitCode = undefined;
    }
  });
});
