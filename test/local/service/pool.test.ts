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

  test('maxConcurrency below 1 is refused', () => {
    expect(() => pool(0)).toThrow(/maxConcurrency must be at least 1/);
  });
});
