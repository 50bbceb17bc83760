import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppFunction } from '../../../lib/assembly/app-function';
import { hostCredentials, logStreamName, overridesFor, readEnvVarsFile, standardVariables, stillUnresolved } from '../../../lib/local/functions/environment';
import { tempDir } from '../../support/temp-dir';

const fn: AppFunction = {
  stackName: 'S',
  stackId: 'S',
  logicalId: 'FnABC',
  path: 'S/Fn',
  functionName: 'S-FnABC',
  memoryMb: 256,
  timeoutSeconds: 3,
  architecture: 'x86_64',
  environment: { A: '1' },
  unresolvedEnvironment: ['BUCKET', 'TABLE'],
  image: { kind: 'uri', uri: 'x' },
};

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function tmp(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-env-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
}

describe('--env-vars (SAM shape)', () => {
  test('Parameters for all, then the function by logical id or path; undeclared variables are kept', () => {
    const file = readEnvVarsFile(tmp('env.json', JSON.stringify({ 'Parameters': { BUCKET: 'p', X1: 'x' }, 'FnABC': { BUCKET: 'b' }, 'S/Fn': { EXTRA: 'e', N1: 5 }, 'Other': { TABLE: 'no' } })));
    const o = overridesFor(fn, file);
    expect(o).toEqual({ BUCKET: 'b', X1: 'x', EXTRA: 'e', N1: '5' });
    expect(stillUnresolved(fn, o)).toEqual(['TABLE']);
  });

  test('malformed files name the file and the expected shape', () => {
    expect(() => readEnvVarsFile(tmp('bad.json', '{'))).toThrow(/--env-vars .*bad\.json: .*Expected JSON like/);
    expect(() => readEnvVarsFile(tmp('arr.json', '[]'))).toThrow(/expected a JSON object/);
    expect(() => readEnvVarsFile(tmp('v.json', '{"Fn": "x"}'))).toThrow(/"Fn" must map variable names to values/);
  });

  test.each([
    ['a NUL byte in a value', { Fn: { GOOD: 'x', BAD: 'a\u0000b' } }, /"Fn"\."BAD": the value holds a NUL byte, which no process environment can carry/],
    ['a name with =', { Fn: { 'A=B': 'x' } }, /"Fn"\."A=B": Lambda accepts variable names of a letter followed by letters, digits or underscores/],
    ['an empty name', { Parameters: { '': 'x' } }, /"Parameters"\."": Lambda accepts variable names/],
    ['a name starting with a digit', { Fn: { '1X': 'x' } }, /"1X": Lambda accepts variable names/],
    ['a name with a NUL byte', { Fn: { 'A\u0000B': 'x' } }, /Lambda accepts variable names/],
    ['null', { Fn: { X1: null } }, /"X1": a value must be a string, number or boolean \(got null\)/],
    ['an object', { Fn: { X1: { a: 1 } } }, /got object\)/],
    ['an array', { Fn: { X1: [1] } }, /got an array\)/],
  ])('refused before anything starts: %s', (_, content, message) => {
    expect(() => readEnvVarsFile(tmp('env.json', JSON.stringify(content)))).toThrow(message);
  });

  test('numbers and booleans become their text, as Lambda stores them', () => {
    expect(readEnvVarsFile(tmp('env.json', JSON.stringify({ Fn: { N1: 5, B1: false, S1: 'é\nx' } })))).toEqual({ Fn: { N1: '5', B1: 'false', S1: 'é\nx' } });
  });
});

describe('credentials pass through only when present', () => {
  test('from the environment', () => {
    expect(hostCredentials({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' }))
      .toEqual({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' });
  });

  test('from the shared credentials file, by AWS_PROFILE', () => {
    const file = tmp('credentials', '[default]\naws_access_key_id = D\naws_secret_access_key = DS\n[dev]\naws_access_key_id=K\naws_secret_access_key=S\n');
    expect(hostCredentials({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'dev' })).toEqual({ AWS_ACCESS_KEY_ID: 'K', AWS_SECRET_ACCESS_KEY: 'S' });
    expect(hostCredentials({ AWS_SHARED_CREDENTIALS_FILE: file })).toEqual({ AWS_ACCESS_KEY_ID: 'D', AWS_SECRET_ACCESS_KEY: 'DS' });
  });

  test('none: nothing is invented', () => {
    expect(hostCredentials({ HOME: tempDir('ccf-home-') })).toEqual({});
  });
});

describe("Lambda's standard variables", () => {
  test('log group keeps its leading slash; memory, region, handler, runtime API', () => {
    const env = standardVariables({ fn, region: 'eu-west-1', handler: 'app.handler', runtimeApi: '172.17.0.1:9001', logStreamName: 'ls', taskRoot: '/var/task' });
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'S-FnABC',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/S-FnABC',
      AWS_LAMBDA_LOG_STREAM_NAME: 'ls',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      _HANDLER: 'app.handler',
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_RUNTIME_API: '172.17.0.1:9001',
      TZ: ':UTC',
    });
  });

  test('log stream name in Lambda format', () => {
    expect(logStreamName(new Date('2026-01-02T03:04:05Z'), 'f'.repeat(32))).toBe(`2026/01/02/[$LATEST]${'f'.repeat(32)}`);
  });
});
