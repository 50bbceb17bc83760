// A LocalFunction whose execution environments are in-process fakes: what the Invoke API and the pool do
// around a sandbox, without Docker. Each fake records what it was asked and answers as `behave` says.
import { AppFunction } from '../../../lib/assembly/app-function';
import { LocalFunction } from '../../../lib/local/functions/local-function';
import { InvocationResult, InvokeOptions, Sandbox } from '../../../lib/local/runtime/sandbox';

export interface Call { readonly payload: string; readonly opts: InvokeOptions }

export type Behaviour = (payload: string, opts: InvokeOptions) => Promise<Partial<InvocationResult>> | Partial<InvocationResult>;

export class FakeSandbox {
  static live = 0;
  destroyed = false;
  readonly calls: Call[] = [];
  constructor(private readonly behave: Behaviour) { FakeSandbox.live++; }
  get alive() { return !this.destroyed; }
  async warm() { /* ready */ }
  async invoke(payload: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    this.calls.push({ payload: payload.toString('utf8'), opts });
    const r = await this.behave(payload.toString('utf8'), opts);
    return { requestId: opts.requestId ?? 'r', payload: Buffer.from('{}'), durationMs: 1.5, memoryMb: 128, logs: '', reusable: true, ...r };
  }
  async destroy() { if (!this.destroyed) { this.destroyed = true; FakeSandbox.live--; } }
}

export function spec(logicalId = 'FnABC', path = 'S/Fn'): AppFunction {
  return {
    stackName: 'S',
    stackId: 'S',
    logicalId,
    path,
    functionName: `S-${logicalId}`,
    memoryMb: 128,
    timeoutSeconds: 3,
    architecture: 'x86_64',
    environment: {},
    unresolvedEnvironment: [],
    image: { kind: 'uri', uri: 'x' },
  };
}

/** A function whose sandboxes behave as `behave` says; `started` lists them. */
export function fakeFunction(behave: Behaviour, s: AppFunction = spec()): { fn: LocalFunction; started: FakeSandbox[] } {
  const started: FakeSandbox[] = [];
  const fn = {
    spec: s,
    startSandbox: async () => { const f = new FakeSandbox(behave); started.push(f); return f as unknown as Sandbox; },
  } as unknown as LocalFunction;
  return { fn, started };
}
