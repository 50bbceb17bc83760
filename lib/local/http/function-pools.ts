// The functions behind the front doors, each with its warm pool (serve's SandboxPool: one request per
// environment, reused while healthy), and START/END/REPORT lines around every invocation, as `serve`
// writes them. Authorizers and route functions share the pools.
import * as crypto from 'crypto';
import { LocalFunction } from '../functions/local-function';
import { endLine, reportLine, startLine } from '../runtime/report';
import { InvocationResult, InvokeOptions } from '../runtime/sandbox';
import { SandboxPool } from '../service/pool';

export class FunctionPools {
  private readonly pools = new Map<LocalFunction, SandboxPool>();

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

  /** Runs one event on a warm environment of `fn`, with the platform lines. */
  async invoke(fn: LocalFunction, event: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const requestId = opts.requestId ?? crypto.randomUUID();
    this.o.log(`${startLine(requestId)}\n`);
    const result = await this.poolOf(fn).invoke(event, { ...opts, requestId });
    this.o.log(`${endLine(requestId)}\n${reportLine(result)}\n`);
    return result;
  }

  /**
   * Retires the pools of functions not in `served` (--watch replaced or removed them): they take no new request and go
   * once the requests already on them are answered.
   */
  async retireAllBut(served: readonly LocalFunction[]): Promise<void> {
    const retired = [...this.pools.entries()].filter(([fn]) => !served.includes(fn));
    for (const [fn] of retired) this.pools.delete(fn);
    await Promise.all(retired.map(([, pool]) => pool.retire()));
  }

  /** Removes every environment of every function. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map(p => p.close()));
  }
}
