// The stale sweep with a fake Docker client: it removes exactly the containers whose owners are provably gone.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OwnerIdentity, currentOwner, ownerLabelArgs } from '../../../lib/local/runtime/owner';
import { removeStaleCidDirectories, removeStaleContainers } from '../../../lib/local/runtime/stale-containers';

const engine = { containers: new Map<string, { [k: string]: string }>(), removed: [] as string[] };

jest.mock('../../../lib/docker', () => ({
  containersWithLabel: async () => [...engine.containers.keys()],
  runDocker: async (args: string[]) => {
    if (args[0] === 'inspect') {
      const names = args.slice(3);
      return { code: 0, stderr: '', stdout: names.map(n => `/${n}\t${JSON.stringify(engine.containers.get(n))}`).join('\n') + '\n' };
    }
    if (args[0] === 'container' && args[1] === 'inspect') {
      const id = args[args.length - 1];
      return engine.containers.has(id) ? { code: 0, stdout: id, stderr: '' } : { code: 1, stdout: '', stderr: 'No such container' };
    }
    throw new Error(`unexpected docker ${args.join(' ')}`);
  },
  removeContainers: async (names: string[]) => { engine.removed.push(...names); for (const n of names) engine.containers.delete(n); },
}));

const labels = (o: OwnerIdentity) => {
  const args = ownerLabelArgs(o);
  return Object.fromEntries(args.filter((_, i) => i % 2 === 1).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
};

describe('removeStaleContainers', () => {
  beforeEach(() => { engine.containers.clear(); engine.removed = []; });

  test('removes only the containers of owners that are provably gone', async () => {
    const me = currentOwner();
    engine.containers.set('mine-live', labels(me));
    engine.containers.set('dead-owner', labels({ ...me, pid: 999999999 }));
    engine.containers.set('reused-pid', labels({ ...me, startTicks: '1' }));
    engine.containers.set('other-namespace', labels({ ...me, pid: 999999999, pidNamespace: 'pid:[1]' }));
    engine.containers.set('other-machine', labels({ ...me, pid: 999999999, bootId: 'another-boot' }));
    engine.containers.set('pid-only-label', { 'cdk-container-function.local.owner': '999999999' });
    expect((await removeStaleContainers()).sort()).toEqual(['dead-owner', 'reused-pid']);
    expect([...engine.containers.keys()].sort()).toEqual(['mine-live', 'other-machine', 'other-namespace', 'pid-only-label']);
  });

  test('nothing labelled: nothing removed', async () => {
    expect(await removeStaleContainers()).toEqual([]);
    expect(engine.removed).toEqual([]);
  });
});

describe('removeStaleCidDirectories (left by earlier versions)', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccf-cidtest-')); engine.containers.clear(); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const dir = (name: string, cid?: string, ageMs = 0) => {
    const d = path.join(tmp, name);
    fs.mkdirSync(d);
    if (cid !== undefined) fs.writeFileSync(path.join(d, 'cid'), cid);
    const t = new Date(Date.now() - ageMs);
    fs.utimesSync(d, t, t);
    return d;
  };

  test('removes those whose container is gone, and empty ones a minute old; keeps the rest', async () => {
    const live = 'a'.repeat(64);
    engine.containers.set(live, {});
    const gone = dir('ccf-cid-gone', 'b'.repeat(64));
    const kept = dir('ccf-cid-live', live);
    const oldEmpty = dir('ccf-cid-old', undefined, 120_000);
    const newEmpty = dir('ccf-cid-new');
    const other = dir('not-ours', 'c'.repeat(64));
    expect((await removeStaleCidDirectories(tmp)).sort()).toEqual([gone, oldEmpty].sort());
    expect([kept, newEmpty, other].every(d => fs.existsSync(d))).toBe(true);
  });
});
