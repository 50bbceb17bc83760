// The served functions, each with its warm pool (one request per environment, reused while healthy), and
// START/END/REPORT lines around every invocation. `serve`'s Invoke API and `api`'s front doors both serve through
// it; in `api`, authorizers and route functions share the pools.
import * as crypto from 'crypto';
import { SandboxPool } from './pool';
import { LocalFunction } from '../functions/local-function';
import { endLine, reportLine, startLine } from '../runtime/report';
import { InvocationResult, InvokeOptions, Sandbox } from '../runtime/sandbox';

export class FunctionPools {
  private readonly pools = new Map<LocalFunction, SandboxPool>();
  /** Pools of functions --watch replaced, until their environments are removed. */
  private readonly retired = new Set<SandboxPool>();

  constructor(private readonly o: { readonly maxConcurrency: number; readonly log: (text: string) => void }) {}

  poolOf(fn: LocalFunction): SandboxPool {
    let pool = this.pools.get(fn);
    if (!pool) {
      // A debugged function has one debug port, so one environment at a time.
      pool = new SandboxPool({ maxConcurrency: fn.debug ? 1 : this.o.maxConcurrency, start: () => fn.startSandbox(c => this.o.log(c.toString('utf8'))) });
      this.pools.set(fn, pool);
    }
    return pool;
  }

  /** Starts one environment of `fn` and waits for its runtime (serve --warm; --watch after a rebuild). */
  prewarm(fn: LocalFunction): Promise<void> {
    return this.poolOf(fn).prewarm();
  }

  /** Makes a resumed held environment `fn`'s first; resolves once its runtime has initialised. */
  adopt(fn: LocalFunction, sandbox: Sandbox): Promise<void> {
    return this.poolOf(fn).adopt(sandbox);
  }

  /** Starts a held environment of `fn` (a standby for --watch), its output going where the pools' goes. */
  startHeld(fn: LocalFunction): Promise<Sandbox> {
    return fn.startSandbox(c => this.o.log(c.toString('utf8')), { held: true });
  }

  /** Runs one event on a warm environment of `fn`, with the platform lines. */
  async invoke(fn: LocalFunction, event: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const requestId = opts.requestId ?? crypto.randomUUID();
    this.o.log(`${startLine(requestId)}\n`);
    const result = await this.poolOf(fn).invoke(event, { ...opts, requestId });
    this.o.log(`${endLine(requestId)}\n${reportLine(result)}\n`);
    return result;
  }

  /**
   * Retires the pools of functions not in `served` (--watch replaced or removed them): they take no new request.
   * Resolves once the requests already on them are answered; their environments are removed in the background
   * (retiredRemoved() tells when).
   */
  async retireAllBut(served: readonly LocalFunction[]): Promise<void> {
    const retired = [...this.pools.entries()].filter(([fn]) => !served.includes(fn));
    for (const [fn, pool] of retired) {
      this.pools.delete(fn);
      this.retired.add(pool);
    }
    await Promise.all(retired.map(([, pool]) => pool.retire()));
  }

  /** Resolves once the environments of every retired pool are removed. */
  async retiredRemoved(): Promise<void> {
    const pools = [...this.retired];
    await Promise.all(pools.map(p => p.removed()));
    for (const p of pools) this.retired.delete(p);
  }

  /** Removes every environment of every function, retired ones included. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values(), ...this.retired].map(p => p.close()));
  }
}
