import { RebuildGate } from '../../../lib/local/watch/rebuild-gate';

describe('RebuildGate: requests during a rebuild wait for it, bounded', () => {
  test('open: a request passes at once', async () => {
    await expect(new RebuildGate(1000).pass()).resolves.toBe(true);
  });

  test('held: a request waits until the last hold is released', async () => {
    const gate = new RebuildGate(5000);
    const first = gate.hold();
    const second = gate.hold();
    let passed: boolean | undefined;
    void gate.pass().then(p => { passed = p; });
    first();
    first(); // a second call of the same release does nothing
    await new Promise(r => setTimeout(r, 20));
    expect(passed).toBeUndefined();
    expect(gate.held).toBe(true);
    second();
    await new Promise(r => setTimeout(r, 0));
    expect(passed).toBe(true);
    expect(gate.held).toBe(false);
  });

  test('a rebuild longer than the bound: the request is told so (false), never let through to old code', async () => {
    const gate = new RebuildGate(30);
    const release = gate.hold();
    await expect(gate.pass()).resolves.toBe(false);
    release();
    await expect(gate.pass()).resolves.toBe(true);
  });
});
