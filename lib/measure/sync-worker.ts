// Runs a self-contained async function to completion from synchronous code: measurement also runs inside a CDK Aspect
// at synth, which cannot await, while tar-stream is stream-only. The function's source text is the worker's code
// (`eval: true`), so no compiled .js file is needed: it works from the shipped JavaScript and under ts-jest alike, as
// long as nothing instruments function bodies (jest's coverage provider is v8, which does not).
// The caller blocks in Atomics.wait; the worker reports progress in shared memory, so a worker that stalls or dies
// (nothing else can be observed while blocked) is given up on once it has been silent for `stallMs`.
import { MessageChannel, Worker, receiveMessageOnPort } from 'worker_threads';

const STATE = 0; // 0 running, 1 done
const PROGRESS = 1; // bumped by the worker as it works

export interface RunSynchronouslyOptions {
  /** How long the worker may make no progress before it is stopped and an error thrown. @default 120_000 */
  readonly stallMs?: number;
}

/**
 * Calls `fn(arg, require, progress)` in a worker thread and returns its result, blocking until it settles. `arg` and
 * the result must be structured-cloneable; an error thrown by `fn` is thrown here with its message.
 */
export function runSynchronously<A, R>(
  fn: (arg: A, load: (id: string) => any, progress: () => void) => Promise<R>,
  arg: A,
  options: RunSynchronouslyOptions = {},
): R {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const code = `
const { workerData } = require('worker_threads');
const { shared, port, arg } = workerData;
const settle = message => { port.postMessage(message); Atomics.store(shared, ${STATE}, 1); Atomics.notify(shared, ${STATE}); port.close(); };
const progress = () => { Atomics.add(shared, ${PROGRESS}, 1); Atomics.notify(shared, ${STATE}); };
Promise.resolve().then(() => (${fn.toString()})(arg, require, progress))
  .then(value => settle({ value }), error => settle({ error: error instanceof Error ? error.message : String(error) }));
`;
  const worker = new Worker(code, { eval: true, workerData: { shared, port: port2, arg }, transferList: [port2] });
  worker.unref();
  const stallMs = options.stallMs ?? 120_000;
  try {
    let seen = Atomics.load(shared, PROGRESS);
    let lastProgress = Date.now();
    while (Atomics.load(shared, STATE) === 0) {
      Atomics.wait(shared, STATE, 0, 1000);
      const now = Atomics.load(shared, PROGRESS);
      if (now !== seen) {
        seen = now;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > stallMs) {
        throw new Error(`a worker made no progress for ${Math.round(stallMs / 1000)} s and was stopped`);
      }
    }
    const received = receiveMessageOnPort(port1)?.message as { value?: R; error?: string } | undefined;
    if (!received) throw new Error('a worker ended without a result');
    if (received.error !== undefined) throw new Error(received.error);
    return received.value as R;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
