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

  test('per function: a hold on some functions holds their requests only; a hold on all (an app edit) holds every request', async () => {
    const gate = new RebuildGate(5000);
    const releaseA = gate.hold(['S/A']);
    await expect(gate.pass(['S/B'])).resolves.toBe(true);
    let a: boolean | undefined;
    let unknown: boolean | undefined;
    let both: boolean | undefined;
    void gate.pass(['S/A']).then(p => { a = p; });
    void gate.pass().then(p => { unknown = p; });
    void gate.pass(['S/B', 'S/A']).then(p => { both = p; });
    const releaseAll = gate.hold();
    let b: boolean | undefined;
    void gate.pass(['S/B']).then(p => { b = p; });
    releaseA();
    await new Promise(r => setTimeout(r, 0));
    expect({ a, unknown, both, b }).toEqual({ a: undefined, unknown: undefined, both: undefined, b: undefined });
    releaseAll();
    await new Promise(r => setTimeout(r, 0));
    expect({ a, unknown, both, b }).toEqual({ a: true, unknown: true, both: true, b: true });
    expect(gate.held).toBe(false);
  });

  test('per function: releasing the hold of one function lets its requests through while another is still held', async () => {
    const gate = new RebuildGate(5000);
    const releaseA = gate.hold(['S/A']);
    const releaseB = gate.hold(['S/B']);
    let a: boolean | undefined;
    let b: boolean | undefined;
    void gate.pass(['S/A']).then(p => { a = p; });
    void gate.pass(['S/B']).then(p => { b = p; });
    releaseA();
    await new Promise(r => setTimeout(r, 0));
    expect({ a, b }).toEqual({ a: true, b: undefined });
    releaseB();
    await new Promise(r => setTimeout(r, 0));
    expect(b).toBe(true);
  });
});
