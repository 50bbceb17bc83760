// One execution environment: a container of the function's image, started with its settings, and the
// Runtime API server it polls. Invoked one event at a time; reused while it stays healthy, as Lambda
// reuses a warm environment. Every way out (answer, error, timeout, crash, memory kill) ends with the
// caller able to destroy() the container, and destroy() always removes it.
//
// The container runs with --rm: the engine removes it as soon as it exits, even when this process was
// killed, so an exited container never keeps the user's credentials (its environment) visible in
// `docker inspect`. How it ended comes from the attached `docker run` client's own exit status, which is
// the container's (128 + signal for a signal death).
import { ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import { ContainerAddress } from './container-address';
import { ContainerSettings, containerEnvironment, containerRunArgs } from './container-args';
import * as errors from './lambda-errors';
import { readMemoryPeak } from './memory-peak';
import { RuntimeApiServer, RuntimeInvocation, RuntimeOutcome } from './runtime-api';
import { FileIntoContainer, copyFilesInto, execIn, removeContainers, spawnDocker } from '../../docker';
import { INIT_TIMEOUT_MS } from '../../lambda-facts';

export { OWNER_LABEL } from './owner';

export interface SandboxOptions extends ContainerSettings {
  /** Live container output (stdout and stderr), e.g. to print as it happens. */
  readonly onOutput?: (chunk: Buffer) => void;
}

/** One invocation's result, with everything REPORT and the Invoke API need. */
export interface InvocationResult {
  readonly requestId: string;
  /** The payload returned to the caller: the function's response, or an error in Lambda's shape. */
  readonly payload: Buffer;
  /** Set when the payload is an error (Invoke API: X-Amz-Function-Error: Unhandled). */
  readonly functionError?: errors.LambdaErrorPayload;
  readonly durationMs: number;
  readonly initDurationMs?: number;
  readonly maxMemoryBytes?: number;
  readonly memoryMb: number;
  /** REPORT's Status for platform failures. */
  readonly status?: { readonly status: 'timeout' | 'error'; readonly errorType?: string };
  /** Set when the function ran under a debugger, without its timeout (REPORT says so). */
  readonly timeoutSuspended?: boolean;
  /** Container output during this invocation (function logs, platform lines excluded). */
  readonly logs: string;
  /** Whether the environment can take another event. */
  readonly reusable: boolean;
}

export interface InvokeOptions {
  readonly requestId?: string;
  /** The decoded client context as header-safe JSON (client-context.ts). */
  readonly clientContext?: string;
  /** Wait for the function's last output before returning, so `logs` is complete (LogType: Tail). */
  readonly collectLogs?: boolean;
  /** Receives a streamed response as it arrives (Function URLs with RESPONSE_STREAM). */
  readonly onStream?: RuntimeInvocation['onStream'];
}

type Ending =
  | { readonly kind: 'outcome'; readonly outcome: RuntimeOutcome }
  | { readonly kind: 'init-error'; readonly body: Buffer; readonly errorType?: string }
  | { readonly kind: 'exit' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'init-timeout' };

let counter = 0;

/** How long the engine may take to start a container after `docker run` before its Init phase is given up on (local). */
const CONTAINER_START_GRACE_MS = 60_000;

export class Sandbox {
  /** Starts the container; the runtime initialises in the background (the first invoke waits for it). */
  static async start(o: SandboxOptions): Promise<Sandbox> {
    const name = `ccf-local-${process.pid}-${++counter}-${crypto.randomBytes(3).toString('hex')}`;
    const container = new ContainerAddress(name);
    const runtime = new RuntimeApiServer({
      admit: address => o.host.peers === 'loopback' ? isLoopback(address) : container.is(address),
      onRefused: address => o.onOutput?.(Buffer.from(`[cdk-container-function] refused a Runtime API connection from ${address}: it is not ${name}\n`)),
    });
    // Whatever fails from here on closes what was opened, so a failed start leaves no listener behind.
    try {
      const port = await runtime.listen(o.host.bind);
      const env = containerEnvironment(o, port);
      const child = spawnDocker(containerRunArgs(o, name, env), env, o.held ? 'pipe' : 'ignore');
      const sandbox = new Sandbox(o, name, container, runtime, child, performance.now());
      // Known before the runtime's first poll, so resuming does not wait for `docker inspect`.
      if (o.held) void container.waitKnown(() => !sandbox.alive);
      return sandbox;
    } catch (e) {
      await runtime.close().catch(() => undefined);
      throw e;
    }
  }

  private readonly exited: Promise<void>;
  private hasExited = false;
  /** The `docker run` client's exit status: the container's (undefined when the client itself was killed). */
  private exitCode: number | undefined;
  /** Init Duration: from the container's start (creating it is not part of Lambda's Init phase) to the first poll. */
  private initDuration: Promise<number> | undefined;
  private initDoneAt: number | undefined;
  private initLimitReached: Promise<void> | undefined;
  /** When `docker run` was called (epoch ms, as the engine's start times are). */
  private readonly spawnedAt = Date.now();
  /** When a held runtime was let go (epoch ms): its Init phase starts there. */
  private resumedAt: number | undefined;
  private resumed: Promise<void>;
  private markResumed!: () => void;
  private capture: Buffer[] | undefined;
  private readonly recentOutput: Buffer[] = [];
  private destroyed: Promise<void> | undefined;
  private invocations = 0;
  /** Flush markers in flight (see flushOutput) and what to call when one comes out. */
  private readonly marks = new Map<string, () => void>();

  private constructor(
    private readonly o: SandboxOptions,
    public readonly name: string,
    private readonly container: ContainerAddress,
    private readonly runtime: RuntimeApiServer,
    private readonly child: ChildProcess,
    private readonly startedAt: number,
  ) {
    const onData = (chunk: Buffer) => {
      let c = chunk;
      for (const [mark, seen] of this.marks) {
        const text = c.toString('utf8');
        if (text.includes(mark)) { seen(); c = Buffer.from(text.split(`${mark}\n`).join('')); }
      }
      if (c.length === 0) return;
      this.capture?.push(c);
      this.recentOutput.push(c);
      if (this.recentOutput.length > 50) this.recentOutput.shift();
      o.onOutput?.(c);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise(r => {
      child.on('close', (code: number | null) => { this.hasExited = true; this.exitCode = code ?? undefined; r(); });
      // The client could not start (no docker binary): nothing runs, and nothing will close.
      child.on('error', () => { this.hasExited = true; r(); });
    });
    this.resumed = o.held ? new Promise<void>(r => { this.markResumed = r; }) : Promise.resolve();
    void runtime.initDone.then(() => {
      this.initDoneAt = performance.now();
      const doneAt = Date.now();
      this.initDuration = this.resumedAt !== undefined
        ? Promise.resolve(doneAt - this.resumedAt)
        : this.containerStartedAt().then(started => doneAt - (started ?? this.spawnedAt));
    });
  }

  get alive(): boolean {
    return !this.hasExited && !this.destroyed;
  }

  /** A held environment, once its container runs: copies files in (as COPY would), e.g. an edit. Throws Docker's error. */
  async copyIn(files: readonly FileIntoContainer[]): Promise<void> {
    if (!this.o.held || this.resumedAt !== undefined) throw new Error(`${this.name} is not a held environment`);
    await this.container.waitKnown(() => !this.alive);
    await copyFilesInto(this.name, files);
  }

  /** Lets a held runtime start (its Init phase begins now); nothing for one that was never held. */
  resume(): void {
    if (!this.o.held || this.resumedAt !== undefined) return;
    this.resumedAt = Date.now();
    this.child.stdin?.on('error', () => undefined);
    this.child.stdin?.end('\n');
    this.markResumed();
  }

  /** Resolves when the runtime has initialised (its first poll), or rejects with why it never will. */
  async warm(): Promise<void> {
    const r = await Promise.race([
      this.runtime.initDone.then(() => 'ok' as const),
      this.runtime.initError.then(() => 'init-error' as const),
      this.exited.then(() => 'exit' as const),
      this.initLimit().then(() => 'timeout' as const),
    ]);
    if (r !== 'ok') throw new Error(`${this.o.fn.path}: the runtime did not initialise (${r}). Invoke it to see the error.`);
  }

  /** Runs one event. Never rejects for function or runtime failures: those are results in Lambda's shape. */
  async invoke(payload: Buffer, opts: InvokeOptions = {}): Promise<InvocationResult> {
    const fn = this.o.fn;
    const requestId = opts.requestId ?? crypto.randomUUID();
    const cold = this.invocations++ === 0;
    this.capture = [];
    const invokeAt = performance.now();

    // Cold: wait for init (bounded by Lambda's init limit) before the function's own timeout starts.
    let ending: Ending | undefined;
    if (this.initDoneAt === undefined) {
      ending = await Promise.race([
        this.runtime.initDone.then(() => undefined),
        this.runtime.initError.then(e => ({ kind: 'init-error', ...e }) as Ending),
        this.exited.then(() => ({ kind: 'exit' }) as Ending),
        this.initLimit().then(() => ({ kind: 'init-timeout' }) as Ending),
      ]);
    }
    const runStart = Math.max(invokeAt, this.initDoneAt ?? invokeAt);
    let timer: NodeJS.Timeout | undefined;
    if (!ending) {
      const timeoutMs = fn.timeoutSeconds * 1000;
      const answered = this.runtime.invoke({
        requestId,
        payload,
        deadlineMs: Date.now() + timeoutMs,
        functionArn: `arn:aws:lambda:${this.o.region}:${this.o.account ?? '123456789012'}:function:${fn.functionName}`,
        traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${crypto.randomBytes(12).toString('hex')};Parent=${crypto.randomBytes(8).toString('hex')};Sampled=0`,
        clientContext: opts.clientContext,
        onStream: opts.onStream,
      });
      ending = await Promise.race([
        answered.then(outcome => ({ kind: 'outcome', outcome }) as Ending),
        this.runtime.initError.then(e => ({ kind: 'init-error', ...e }) as Ending),
        this.exited.then(() => ({ kind: 'exit' }) as Ending),
        // Under a debugger the function may sit at a breakpoint for as long as the user likes (as SAM does).
        ...(this.o.debug ? [] : [new Promise<Ending>(r => { timer = setTimeout(() => r({ kind: 'timeout' }), timeoutMs); })]),
      ]);
      if (timer) clearTimeout(timer);
    }
    const endAt = performance.now();
    // Measured, also for a timeout: a timer that fires late shows in REPORT instead of being papered over.
    const durationMs = Math.max(0, endAt - runStart);
    // Read the peak while the container still exists (a dead one's cgroup is gone).
    const peak = this.hasExited ? undefined : await readMemoryPeak(await this.container.id() ?? this.name, this.name);
    const base = {
      requestId,
      durationMs,
      initDurationMs: cold ? await this.initDuration ?? endAt - this.startedAt : undefined,
      memoryMb: fn.memoryMb,
      maxMemoryBytes: peak,
      ...(this.o.debug ? { timeoutSuspended: true } : {}),
    };
    if (opts.collectLogs && ending.kind === 'outcome') await this.flushOutput();
    const result = await this.settle(ending, base);
    this.capture = undefined;
    return result;
  }

  private async settle(ending: Ending, base: Omit<InvocationResult, 'payload' | 'logs' | 'reusable'>): Promise<InvocationResult> {
    const logs = () => Buffer.concat(this.capture ?? []).toString('utf8');
    const fail = (e: errors.LambdaErrorPayload, reusable: boolean, extra: Partial<InvocationResult> = {}): InvocationResult =>
      ({ ...base, payload: Buffer.from(JSON.stringify(e)), functionError: e, logs: logs(), reusable, ...extra });
    switch (ending.kind) {
      case 'outcome': {
        const o = ending.outcome;
        if (o.kind === 'response') return { ...base, payload: o.body, logs: logs(), reusable: true };
        if (o.kind === 'response-too-large') return fail(errors.responseTooLarge(this.runtime.maxResponseBytes), true);
        return fail(errors.parseErrorBody(o.body, o.errorType), true);
      }
      case 'init-error':
      {
        // Lambda discards an environment whose init failed, and marks the report with the error type.
        await this.destroy();
        const e = errors.parseErrorBody(ending.body, ending.errorType);
        return fail(e, false, { status: { status: 'error', errorType: e.errorType } });
      }
      case 'timeout': {
        this.runtime.abandon();
        await this.destroy();
        const line = errors.timedOutLogLine(base.requestId, this.o.fn.timeoutSeconds);
        this.o.onOutput?.(Buffer.from(line + '\n'));
        return fail(errors.timedOut(base.requestId, this.o.fn.timeoutSeconds), false, { status: { status: 'timeout' }, logs: logs() + line + '\n' });
      }
      case 'init-timeout':
        await this.destroy();
        return fail(errors.initTimedOut(base.requestId, INIT_TIMEOUT_MS), false, { status: { status: 'timeout' } });
      case 'exit': {
        const exit = await this.exitInfo();
        await this.destroy();
        const out = Buffer.concat(this.recentOutput).toString('utf8');
        if (/exec format error/i.test(out)) {
          const e = { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${base.requestId} Error: the image's binaries are not for this machine's architecture (exec format error). ${this.o.fn.path} is ${this.o.fn.architecture}: register QEMU emulation, or invoke on a matching machine.` };
          return fail(e, false, { status: { status: 'error', errorType: e.errorType } });
        }
        // 137 = 128 + SIGKILL: in a container with a memory limit that nothing else kills, the kernel's OOM killer.
        if (exit === 137) {
          // Killed at the memory limit: Lambda then reports Max Memory Used equal to Memory Size.
          const e = errors.outOfMemory(base.requestId);
          return fail(e, false, { status: { status: 'error', errorType: e.errorType }, maxMemoryBytes: this.o.fn.memoryMb * 1024 * 1024 });
        }
        const e = errors.exitError(base.requestId, exitDescription(exit));
        return fail(e, false, { status: { status: 'error', errorType: e.errorType } });
      }
    }
  }

  /**
   * Output written just before the answer can reach us after it: docker's attach stream is a second path.
   * Writes a marker line into the container's own stdout and stderr (PID 1's, the pipes the runtime writes
   * to) and waits until both come out the other end: everything written before them has then arrived.
   */
  private async flushOutput(maxMs = 2000): Promise<void> {
    const mark = `ccf-flush-${crypto.randomBytes(6).toString('hex')}`;
    let seen = 0;
    const arrived = new Promise<void>(resolve => { this.marks.set(mark, () => { if (++seen === 2) resolve(); }); });
    const wrote = await execIn(this.name, ['sh', '-c', `echo ${mark} >/proc/1/fd/1; echo ${mark} >/proc/1/fd/2`]);
    if (wrote !== undefined) await Promise.race([arrived, delay(maxMs)]);
    this.marks.delete(mark);
  }

  /**
   * Resolves when Lambda's Init phase limit has passed. The phase starts when the container starts, not at `docker run`:
   * creating the container is the environment's set-up, which can take seconds on a loaded machine. The engine's start
   * time is asked for only once the limit counted from `docker run` has passed (the common case asks nothing). None
   * while a debugger may hold the runtime (it waits for one from the start).
   */
  private initLimit(): Promise<void> {
    if (this.o.debug) return new Promise<void>(() => {});
    this.initLimitReached ??= (async () => {
      await this.resumed;
      if (this.resumedAt !== undefined) {
        await delay(Math.max(0, this.resumedAt + INIT_TIMEOUT_MS - Date.now()));
        return;
      }
      let deadline = this.spawnedAt + INIT_TIMEOUT_MS;
      for (;;) {
        await delay(Math.max(0, deadline - Date.now()));
        if (this.initDoneAt !== undefined || !this.alive) return;
        const started = await this.containerStartedAt();
        if (started !== undefined) deadline = started + INIT_TIMEOUT_MS;
        // Not started yet: ask again shortly, up to a bound, past which the engine is not going to start it.
        else if (Date.now() - this.spawnedAt < CONTAINER_START_GRACE_MS) deadline = Date.now() + 250;
        else return;
        if (Date.now() >= deadline) return;
      }
    })();
    return this.initLimitReached;
  }

  /** When the engine started the container (epoch ms, within [docker run, now] against clock skew); undefined until then. */
  private async containerStartedAt(): Promise<number | undefined> {
    const started = await this.container.startedAt();
    return started === undefined ? undefined : Math.min(Math.max(started, this.spawnedAt), Date.now());
  }

  private async exitInfo(): Promise<number | undefined> {
    await this.exited;
    return this.exitCode;
  }

  /** Removes the container and stops the Runtime API server; idempotent, never throws. */
  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      this.runtime.abandon();
      await removeContainers([this.name]);
      // `docker run` ends once its container is gone; that also drains the last output.
      await Promise.race([this.exited, delay(10_000)]);
      if (!this.hasExited) this.child.kill('SIGKILL');
      await this.runtime.close();
    })();
    return this.destroyed;
  }

}

function delay(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms).unref());
}

/** Docker reports a signal death as 128 + signal; Lambda names the signal as Go does (`signal: killed`). */
export function exitDescription(exitCode: number | undefined): { code?: number; signal?: string } {
  if (exitCode === undefined) return {};
  const names: { [n: number]: string } = { 6: 'aborted', 9: 'killed', 11: 'segmentation fault', 15: 'terminated' };
  if (exitCode > 128 && names[exitCode - 128]) return { signal: names[exitCode - 128] };
  return { code: exitCode };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}
