// Warm execution environments for one function, as Lambda keeps them: an environment works on at most
// one request at a time; a request takes an idle one, else starts a new one (up to maxConcurrency),
// else waits its turn. Broken environments (timeout, crash, init failure) are discarded, never reused.
// (AWS's emulator has one environment and fails a second concurrent request: aws-lambda-runtime-interface-emulator#97.)
import { InvocationResult, InvokeOptions, Sandbox } from '../runtime/sandbox';

export interface PoolOptions {
  readonly maxConcurrency: number;
  /** Starts a new environment (the caller binds image, settings and output handling). */
  readonly start: () => Promise<Sandbox>;
}

export class SandboxPool {
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly waiters: ((s: Sandbox | Error) => void)[] = [];
  private starting = 0;
  private closed = false;
  /** Retired (--watch replaced the function): serves the requests already here, then removes its environments. */
  private retiring = false;
  private drained?: () => void;
  private removeRetired?: (s: Sandbox) => void;

  constructor(private readonly o: PoolOptions) {
    if (!(o.maxConcurrency >= 1)) throw new Error(`maxConcurrency must be at least 1 (got ${o.maxConcurrency})`);
  }

  /** Environments alive now (busy or idle). */
  get size(): number {
    return this.all.size + this.starting;
  }

  /** Starts one environment and waits for its runtime to initialise (serve --warm). */
  async prewarm(): Promise<void> {
    const s = await this.create();
    try {
      await s.warm();
      this.release(s, true);
    } catch (e) {
      this.release(s, false);
      throw e;
    }
  }

  /** Runs one event on an environment of the pool. */
  async invoke(payload: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const s = await this.acquire();
    let reusable = false;
    try {
      const r = await s.invoke(payload, opts);
      reusable = r.reusable;
      return r;
    } finally {
      this.release(s, reusable);
    }
  }

  /** Removes every environment; later invokes fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(new Error('the local endpoint is shutting down'));
    this.idle.length = 0;
    await Promise.all([...this.all].map(s => s.destroy()));
    this.all.clear();
  }

  /**
   * Takes no new requests; those already running or queued here finish on this pool's environments, which are then
   * removed. Resolves once the last one is gone (so the code they run answers no request after that).
   */
  retire(): Promise<void> {
    this.retiring = true;
    const removals: Promise<unknown>[] = [];
    const remove = (s: Sandbox) => { removals.push(s.destroy()); };
    this.removeRetired = remove;
    for (const s of this.idle.splice(0)) { remove(s); this.forget(s); }
    return new Promise<void>(resolve => {
      this.drained = resolve;
      this.checkDrained();
    }).then(() => Promise.allSettled(removals)).then(() => undefined);
  }

  private async acquire(): Promise<Sandbox> {
    if (this.closed) throw new Error('the local endpoint is shutting down');
    if (this.retiring && this.waiters.length === 0 && this.all.size === 0) throw new Error('the function was replaced by a rebuild (--watch); retry');
    while (this.idle.length) {
      const s = this.idle.pop()!;
      if (s.alive) return s;
      this.forget(s);
    }
    if (this.size < this.o.maxConcurrency) return this.create();
    const next = await new Promise<Sandbox | Error>(r => this.waiters.push(r));
    if (next instanceof Error) throw next;
    return next;
  }

  private async create(): Promise<Sandbox> {
    this.starting++;
    try {
      const s = await this.o.start();
      this.all.add(s);
      return s;
    } finally {
      this.starting--;
      this.checkDrained();
    }
  }

  private release(s: Sandbox, reusable: boolean): void {
    if (this.retiring && this.waiters.length === 0) {
      this.removeRetired!(s);
      this.forget(s);
      return;
    }
    if (this.closed || !reusable || !s.alive) {
      this.forget(s);
      void s.destroy();
      // A slot freed up: a waiter may start a fresh environment.
      const w = this.waiters.shift();
      if (w && !this.closed) this.create().then(w, e => w(e as Error));
      return;
    }
    const w = this.waiters.shift();
    if (w) w(s); else this.idle.push(s);
  }

  private forget(s: Sandbox): void {
    this.all.delete(s);
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.retiring && this.drained && this.all.size === 0 && this.starting === 0 && this.waiters.length === 0) {
      const drained = this.drained;
      this.drained = undefined;
      drained();
    }
  }
}
