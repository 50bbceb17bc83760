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
  /** Removals of environments this pool let go (retired, broken or closed), awaited by removed() and close(). */
  private readonly removals = new Set<Promise<void>>();

  constructor(private readonly o: PoolOptions) {
    if (!(o.maxConcurrency >= 1)) throw new Error(`maxConcurrency must be at least 1 (got ${o.maxConcurrency})`);
  }

  /** Environments alive now (busy or idle). */
  get size(): number {
    return this.all.size + this.starting;
  }

  /** Starts one environment and waits for its runtime to initialise (serve --warm). */
  async prewarm(): Promise<void> {
    await this.keepWarm(await this.create());
  }

  /**
   * Takes an environment started elsewhere (--watch's waiting one, resumed with the edit in it) as this pool's; resolves
   * once its runtime has initialised, like prewarm.
   */
  async adopt(s: Sandbox): Promise<void> {
    this.all.add(s);
    await this.keepWarm(s);
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

  /** Removes every environment (those already on their way out included); later invokes fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(new Error('the local endpoint is shutting down'));
    this.idle.length = 0;
    for (const s of this.all) this.remove(s);
    this.all.clear();
    await this.removed();
  }

  /**
   * Takes no new requests; those already running or queued here finish on this pool's environments. Resolves once the
   * last of them is answered (so the code they run answers no request after that); each environment is removed as it
   * frees up, in the background (removed() tells when all are gone), so a rebuild does not wait for `docker rm`.
   */
  retire(): Promise<void> {
    this.retiring = true;
    for (const s of this.idle.splice(0)) { this.remove(s); this.forget(s); }
    return new Promise<void>(resolve => {
      this.drained = resolve;
      this.checkDrained();
    });
  }

  /** Resolves once every environment this pool has let go so far is removed. */
  async removed(): Promise<void> {
    await Promise.allSettled([...this.removals]);
  }

  private remove(s: Sandbox): void {
    const removal = s.destroy();
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }

  /** Waits for an environment's runtime, then keeps it idle (or lets it go when it never initialised). */
  private async keepWarm(s: Sandbox): Promise<void> {
    try {
      await s.warm();
      this.release(s, true);
    } catch (e) {
      this.release(s, false);
      throw e;
    }
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
      this.remove(s);
      this.forget(s);
      return;
    }
    if (this.closed || !reusable || !s.alive) {
      this.forget(s);
      this.remove(s);
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
