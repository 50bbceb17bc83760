import { InvocationResult, Sandbox } from '../../../lib/local/runtime/sandbox';
import { SandboxPool } from '../../../lib/local/service/pool';

/** A stand-in execution environment: records concurrency, answers after a tick. */
class FakeSandbox {
  static live = 0;
  busy = 0;
  maxBusy = 0;
  destroyed = false;
  constructor(readonly id: number, private readonly reusable: (n: number) => boolean) { FakeSandbox.live++; }
  get alive() { return !this.destroyed; }
  async warm() { /* ready */ }
  async invoke(payload: Buffer): Promise<InvocationResult> {
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    await new Promise(r => setTimeout(r, 5));
    this.busy--;
    const n = JSON.parse(payload.toString()).n;
    return { requestId: `r${n}`, payload: Buffer.from(JSON.stringify({ n, sandbox: this.id })), durationMs: 1, memoryMb: 128, logs: '', reusable: this.reusable(n) };
  }
  async destroy() { if (!this.destroyed) { this.destroyed = true; FakeSandbox.live--; } }
}

function pool(maxConcurrency: number, reusable: (n: number) => boolean = () => true) {
  const made: FakeSandbox[] = [];
  const start = async () => {
    const s = new FakeSandbox(made.length, reusable);
    made.push(s);
    return s as unknown as Sandbox;
  };
  const p = new SandboxPool({ maxConcurrency, start });
  return { p, made };
}

const call = (p: SandboxPool, n: number) => p.invoke(Buffer.from(JSON.stringify({ n }))).then(r => JSON.parse(r.payload.toString()));

describe('SandboxPool', () => {
  beforeEach(() => { FakeSandbox.live = 0; });

  test('concurrent requests: at most maxConcurrency environments, one request each at a time, every answer right', async () => {
    const { p, made } = pool(3);
    const out = await Promise.all(Array.from({ length: 20 }, (_, n) => call(p, n)));
    expect(out.map(o => o.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(made).toHaveLength(3);
    expect(made.every(s => s.maxBusy === 1)).toBe(true);
    await p.close();
    expect(FakeSandbox.live).toBe(0);
  });

  test('sequential requests reuse one warm environment', async () => {
    const { p, made } = pool(4);
    for (let n = 0; n < 5; n++) await call(p, n);
    expect(made).toHaveLength(1);
    await p.close();
  });

  test('an environment that cannot be reused is destroyed and replaced', async () => {
    const { p, made } = pool(1, n => n !== 1);
    await call(p, 0);
    await call(p, 1);
    await call(p, 2);
    expect(made).toHaveLength(2);
    expect(made[0].destroyed).toBe(true);
    expect(FakeSandbox.live).toBe(1);
    await p.close();
    expect(FakeSandbox.live).toBe(0);
  });

  test('waiting requests are refused once the pool closes', async () => {
    const { p } = pool(1);
    const first = call(p, 0);
    const waiting = expect(call(p, 1)).rejects.toThrow(/shutting down/);
    await p.close();
    await first.catch(() => undefined);
    await waiting;
    await expect(call(p, 2)).rejects.toThrow(/shutting down/);
  });

  test('a dead idle environment is skipped and forgotten, never handed a request', async () => {
    const { p, made } = pool(2);
    await call(p, 0);
    made[0].destroyed = true; // its container died while idle
    FakeSandbox.live--;
    const out = await call(p, 1);
    expect(out.sandbox).toBe(1);
    expect(made[0].maxBusy).toBe(1); // only ever the first request
    expect(p.size).toBe(1);
    await p.close();
  });

  test('a waiter is served by a fresh environment after the busy one turns out broken', async () => {
    const { p, made } = pool(1, n => n !== 0);
    const [first, second] = await Promise.all([call(p, 0), call(p, 1)]);
    expect(first.sandbox).toBe(0);
    expect(second.sandbox).toBe(1);
    expect(made[0].destroyed).toBe(true);
    expect(p.size).toBe(1);
    await p.close();
    expect(FakeSandbox.live).toBe(0);
  });

  test('prewarm keeps its environment for the first request', async () => {
    const { p, made } = pool(2);
    await p.prewarm();
    expect(made).toHaveLength(1);
    const out = await call(p, 0);
    expect(out.sandbox).toBe(0);
    expect(made).toHaveLength(1);
    await p.close();
  });

  test('an environment that fails to start frees its slot: the waiter gets the error, the next request a new one', async () => {
    let fail = true;
    const made: FakeSandbox[] = [];
    const p = new SandboxPool({
      maxConcurrency: 1,
      start: async () => {
        if (fail) { fail = false; throw new Error('docker is gone'); }
        const s = new FakeSandbox(made.length, () => true);
        made.push(s);
        return s as unknown as Sandbox;
      },
    });
    await expect(call(p, 0)).rejects.toThrow('docker is gone');
    expect(p.size).toBe(0);
    expect((await call(p, 1)).sandbox).toBe(0);
    await p.close();
  });

  test('maxConcurrency below 1 is refused', () => {
    expect(() => pool(0)).toThrow(/maxConcurrency must be at least 1/);
  });

  test('retire (--watch replaced the function): requests already there finish on it, then every environment is removed', async () => {
    const { p, made } = pool(1);
    await p.prewarm();
    const running = call(p, 1);
    const queued = call(p, 2);
    let retired = false;
    const retiring = p.retire().then(() => { retired = true; });
    await new Promise(r => setTimeout(r, 0));
    expect(retired).toBe(false);
    expect(await running).toEqual({ n: 1, sandbox: 0 });
    expect(await queued).toEqual({ n: 2, sandbox: 0 });
    await retiring;
    expect(made.every(s => s.destroyed)).toBe(true);
    expect(FakeSandbox.live).toBe(0);
    await expect(call(p, 3)).rejects.toThrow(/replaced by a rebuild/);
  });

  test('retire with nothing running: resolves at once, idle environments removed', async () => {
    const { p, made } = pool(2);
    await p.prewarm();
    await p.retire();
    expect(made.map(s => s.destroyed)).toEqual([true]);
  });

  test('retire resolves once the requests are answered, not when docker rm is done; removed() and close() wait for the removal', async () => {
    const { p, made } = pool(1);
    await p.prewarm();
    // Removing a container takes a while (docker rm): hold it until the test lets it finish.
    let finishRemoval!: () => void;
    const removal = new Promise<void>(r => { finishRemoval = r; });
    const realDestroy = made[0].destroy.bind(made[0]);
    let removing = false;
    made[0].destroy = async () => { removing = true; await removal; await realDestroy(); };
    await p.retire();
    expect(removing).toBe(true);
    expect(made[0].destroyed).toBe(false);
    let removed = false;
    const gone = p.removed().then(() => { removed = true; });
    let closed = false;
    const closing = p.close().then(() => { closed = true; });
    await new Promise(r => setTimeout(r, 10));
    expect({ removed, closed }).toEqual({ removed: false, closed: false });
    finishRemoval();
    await Promise.all([gone, closing]);
    expect(made[0].destroyed).toBe(true);
    expect(FakeSandbox.live).toBe(0);
  });

  test('close waits for an environment discarded after a failed request to be removed', async () => {
    const { p, made } = pool(1, n => n !== 1);
    await call(p, 0);
    let finishRemoval!: () => void;
    const removal = new Promise<void>(r => { finishRemoval = r; });
    const realDestroy = made[0].destroy.bind(made[0]);
    made[0].destroy = async () => { await removal; await realDestroy(); };
    await call(p, 1);
    let closed = false;
    const closing = p.close().then(() => { closed = true; });
    await new Promise(r => setTimeout(r, 10));
    expect(closed).toBe(false);
    finishRemoval();
    await closing;
    expect(FakeSandbox.live).toBe(0);
  });
});
