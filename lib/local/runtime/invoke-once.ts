// One invocation in a fresh execution environment, as `invoke` runs it: refuse an oversized request
// before starting anything, start the container, run the event, remove the container, and write the
// platform lines (START, END, REPORT) around the function's own output.
import * as crypto from 'crypto';
import { requestTooLargeMessage } from './lambda-errors';
import { endLine, reportLine, startLine } from './report';
import { InvocationResult, Sandbox } from './sandbox';
import { MAX_SYNC_REQUEST_BYTES } from '../../lambda-facts';
import { LocalFunction } from '../functions/local-function';

export interface InvokeOnceOptions {
  /** Where the function's output and the platform lines go (the CLI: stderr). */
  readonly log: (text: string) => void;
  /** Called with the started environment, so a signal handler can remove it. */
  readonly onStarted?: (s: Sandbox) => void;
  /** Called with the result as soon as it is known, before the container is removed (the CLI prints it). */
  readonly onResult?: (r: InvocationResult) => void;
}

/** Thrown for a request Lambda would refuse (413) before running anything. */
export class RequestTooLargeError extends Error {}

export async function invokeOnce(fn: LocalFunction, event: Buffer, o: InvokeOnceOptions): Promise<InvocationResult> {
  if (event.length > MAX_SYNC_REQUEST_BYTES) {
    throw new RequestTooLargeError(`RequestEntityTooLargeException: ${requestTooLargeMessage(event.length, 'RequestResponse', MAX_SYNC_REQUEST_BYTES)}`);
  }
  const sandbox = await fn.startSandbox(chunk => o.log(chunk.toString('utf8')));
  o.onStarted?.(sandbox);
  let result: InvocationResult | undefined;
  try {
    const requestId = crypto.randomUUID();
    o.log(startLine(requestId) + '\n');
    result = await sandbox.invoke(event, { requestId });
    o.onResult?.(result);
    return result;
  } finally {
    // Removing the container also drains its last output, so END and REPORT come after it.
    await sandbox.destroy();
    if (result) o.log(`${endLine(result.requestId)}\n${reportLine(result)}\n`);
  }
}
