// Who owns a container, and when a sweep may call it orphaned: only with proof (same boot, PID namespace and
// host, and no process with that pid and start time); every other case is "unknown" and left alone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OwnerIdentity, currentOwner, ownerFromLabels, ownerLabelArgs, ownerState, processStartTicks } from '../../../lib/local/runtime/owner';

const here: OwnerIdentity = { pid: 100, bootId: 'boot-1', pidNamespace: 'pid:[4026531836]', hostname: 'laptop', startTicks: '5000' };
const labelsOf = (o: OwnerIdentity) => {
  const args = ownerLabelArgs(o);
  return Object.fromEntries(args.filter((_, i) => i % 2 === 1).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
};

describe('owner identity', () => {
  test('round-trips through container labels, odd characters included', () => {
    const odd = { ...here, hostname: 'dev/box=1,x', pidNamespace: 'pid:[1]' };
    expect(ownerFromLabels(labelsOf(odd))).toEqual(odd);
  });

  test('labels that do not name an owner completely name none (such a container is never swept)', () => {
    expect(ownerFromLabels({ 'cdk-container-function.local.owner': '123' })).toBeUndefined();
    expect(ownerFromLabels(null)).toBeUndefined();
    expect(ownerFromLabels({ ...labelsOf(here), 'cdk-container-function.local.owner': 'x' })).toBeUndefined();
  });

  const ticks = (table: { [pid: number]: string }) => (pid: number) => table[pid] ?? '';

  test.each([
    ['same boot, namespace and host; no such pid', { pid: 7 }, {}, 'gone'],
    ['same boot, namespace and host; the pid now belongs to a newer process', { pid: 7 }, { 7: '9999' }, 'gone'],
    ['same boot, namespace and host; the owner runs', { pid: 7 }, { 7: '5000' }, 'alive'],
    ['another PID namespace (unshare, a devcontainer)', { pid: 7, pidNamespace: 'pid:[4026532200]' }, {}, 'unknown'],
    ['another boot (the machine restarted, or another machine on a remote engine)', { pid: 7, bootId: 'boot-2' }, {}, 'unknown'],
    ['another host sharing the kernel', { pid: 7, hostname: 'devcontainer' }, {}, 'unknown'],
    ['an owner whose start time could not be read', { pid: 7, startTicks: '' }, {}, 'unknown'],
  ] as [string, Partial<OwnerIdentity>, { [pid: number]: string }, string][])('%s', (_, owner, table, state) => {
    expect(ownerState({ ...here, ...owner }, here, ticks(table))).toBe(state);
  });

  test('where this process cannot tell its namespace (no /proc), nothing is provably gone', () => {
    expect(ownerState({ ...here, pid: 7 }, { ...here, pidNamespace: '', bootId: '' }, () => '')).toBe('unknown');
  });

  test('this process, read from /proc: alive to itself', () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(me.startTicks).toMatch(/^\d+$/);
    expect(me.pidNamespace).toMatch(/^pid:\[\d+\]$/);
    expect(ownerState(me)).toBe('alive');
    expect(ownerState({ ...me, startTicks: String(Number(me.startTicks) + 1) })).toBe('gone');
  });

  test('the start time is field 22 of /proc/<pid>/stat, after a command name with spaces and parentheses', () => {
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-proc-'));
    try {
      fs.mkdirSync(path.join(proc, '42'));
      fs.writeFileSync(path.join(proc, '42', 'stat'), '42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 777123 1000 10\n');
      expect(processStartTicks(42, proc)).toBe('777123');
      expect(processStartTicks(43, proc)).toBe('');
    } finally {
      fs.rmSync(proc, { recursive: true, force: true });
    }
  });
});
