import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppFunction } from '../../../lib/assembly/app-function';
import { architectureProblem, emulationRegistered } from '../../../lib/local/functions/architecture';
import * as errors from '../../../lib/local/runtime/lambda-errors';
import { cgroupPeakFiles, readPeakFromHost } from '../../../lib/local/runtime/memory-peak';
import { endLine, reportLine, startLine } from '../../../lib/local/runtime/report';
import { tempDir } from '../../support/temp-dir';

describe('REPORT line', () => {
  test("Lambda's fields, tab separated; Init Duration only on a cold start", () => {
    expect(reportLine({ requestId: 'r', durationMs: 12.345, memoryMb: 128, maxMemoryBytes: 70 * 1024 * 1024 + 1, initDurationMs: 150.5 }))
      .toBe('REPORT RequestId: r\tDuration: 12.35 ms\tBilled Duration: 163 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 150.50 ms');
    expect(reportLine({ requestId: 'r', durationMs: 1.2, memoryMb: 128, maxMemoryBytes: 1024 * 1024 }))
      .toBe('REPORT RequestId: r\tDuration: 1.20 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB');
  });

  test('Status and Error Type on platform failures', () => {
    expect(reportLine({ requestId: 'r', durationMs: 3000, memoryMb: 128, status: { status: 'error', errorType: 'Runtime.OutOfMemory' } }))
      .toMatch(/Max Memory Used: unknown\tStatus: error\tError Type: Runtime.OutOfMemory$/);
    expect(startLine('r')).toBe('START RequestId: r Version: $LATEST');
    expect(endLine('r')).toBe('END RequestId: r');
  });
});

describe("Lambda's own error payloads", () => {
  test('timeout, memory, exit, response size, request size', () => {
    expect(errors.timedOut('id', 3)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: id Error: Task timed out after 3.00 seconds' });
    expect(errors.timedOutLogLine('id', 1, new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z id Task timed out after 1.00 seconds');
    expect(errors.outOfMemory('id')).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: 'RequestId: id Error: Runtime exited with error: signal: killed' });
    expect(errors.exitError('id', { code: 3 }).errorMessage).toBe('RequestId: id Error: Runtime exited with error: exit status 3');
    expect(errors.responseTooLarge(6291556)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    expect(errors.requestTooLargeMessage(7000000, 'RequestResponse', 6291456)).toBe('7000000 byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)');
  });

  test("a runtime's error body is kept; an unparsable one becomes Runtime.Unknown", () => {
    expect(errors.parseErrorBody(Buffer.from('{"errorType":"TypeError","errorMessage":"x","trace":["a"]}'))).toEqual({ errorType: 'TypeError', errorMessage: 'x', trace: ['a'] });
    expect(errors.parseErrorBody(Buffer.from('oops'), undefined)).toEqual({ errorType: 'Runtime.Unknown', errorMessage: 'oops' });
  });

  test('the error type comes from the body; the header only fills in when the body has none', () => {
    expect(errors.parseErrorBody(Buffer.from('{"errorType":"TypeError","errorMessage":"x"}'), 'Handled.Unknown').errorType).toBe('TypeError');
    expect(errors.parseErrorBody(Buffer.from('{"errorMessage":"x"}'), 'Handled.FromHeader').errorType).toBe('Handled.FromHeader');
    expect(errors.parseErrorBody(Buffer.from('oops'), 'Handled.FromHeader')).toEqual({ errorType: 'Handled.FromHeader', errorMessage: 'oops' });
  });
});

describe('memory peak from cgroup files', () => {
  const id = 'c'.repeat(64);
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
  function root(file: string, value: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cgroup-'));
    dirs.push(dir);
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), value);
    return dir;
  }

  test('cgroup v1 (cgroupfs driver): memory.max_usage_in_bytes', () => {
    expect(readPeakFromHost(id, root(`memory/docker/${id}/memory.max_usage_in_bytes`, '73400320\n'))).toBe(73400320);
  });

  test('cgroup v2 (systemd driver): memory.peak', () => {
    expect(readPeakFromHost(id, root(`system.slice/docker-${id}.scope/memory.peak`, '5242880\n'))).toBe(5242880);
  });

  test('an empty or zero peak is no reading: the next layout is tried, else undefined (never 0 MB)', () => {
    expect(readPeakFromHost(id, root(`memory/docker/${id}/memory.max_usage_in_bytes`, ''))).toBeUndefined();
    expect(readPeakFromHost(id, root(`memory/docker/${id}/memory.max_usage_in_bytes`, '0\n'))).toBeUndefined();
    const both = root(`memory/docker/${id}/memory.max_usage_in_bytes`, '\n');
    fs.mkdirSync(path.join(both, 'docker', id), { recursive: true });
    fs.writeFileSync(path.join(both, 'docker', id, 'memory.peak'), '2097152\n');
    expect(readPeakFromHost(id, both)).toBe(2097152);
  });

  test('nothing readable: undefined, never the configured size', () => {
    expect(readPeakFromHost(id, tempDir('ccf-cgroup-'))).toBeUndefined();
    expect(cgroupPeakFiles(id, '/r')).toHaveLength(4);
  });
});

describe('architecture', () => {
  const fn = (architecture: string) => ({ path: 'S/Fn', architecture } as AppFunction);
  const image = (architecture: string) => ({ id: 'i', architecture, entrypoint: [], cmd: [], workingDir: '', env: [] });
  const amd64Engine = { architecture: 'x86_64', cgroupVersion: '1', os: 'linux' };
  function binfmt(entries: { [name: string]: string }): string {
    const dir = tempDir('ccf-binfmt-');
    for (const [n, v] of Object.entries(entries)) fs.writeFileSync(path.join(dir, n), v);
    return dir;
  }

  test('an arm64 function on an x86_64 engine without emulation gets a clear message', () => {
    const msg = architectureProblem(fn('arm64'), image('arm64'), amd64Engine, true, binfmt({}));
    expect(msg).toMatch(/S\/Fn is an arm64 function and this Docker engine runs x86_64 without arm64 emulation.*exec format error.*qemu-user-static/);
  });

  test('with QEMU registered, or on a matching engine, it runs', () => {
    expect(architectureProblem(fn('arm64'), image('arm64'), amd64Engine, true, binfmt({ 'qemu-aarch64': 'enabled\ninterpreter /usr/bin/qemu-aarch64-static\n' }))).toBeUndefined();
    expect(architectureProblem(fn('x86_64'), image('amd64'), amd64Engine, true, binfmt({}))).toBeUndefined();
    expect(emulationRegistered('arm64', binfmt({ 'qemu-aarch64': 'disabled\n' }))).toBe(false);
  });

  test('an image built for another architecture than the function is named', () => {
    expect(architectureProblem(fn('arm64'), image('amd64'), amd64Engine, true, binfmt({}))).toMatch(/S\/Fn is an arm64 function but its image was built for amd64/);
  });
});
