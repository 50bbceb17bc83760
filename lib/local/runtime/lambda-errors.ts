// The error payloads Lambda itself produces (as opposed to the ones a runtime client posts), in
// Lambda's shape. Each one cites where the shape is documented or shown.

/** A function error payload in Lambda's shape. Runtimes add `stackTrace` (Python) or `trace` (Node.js). */
export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly stackTrace?: string[];
  readonly trace?: string[];
}

/** `3` → `3.00`: Lambda prints timeouts with two decimals. */
function seconds(s: number): string {
  return s.toFixed(2);
}

/**
 * A timed-out invocation. The synchronous response is
 * `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}`
 * and the log carries `<timestamp> <id> Task timed out after 3.00 seconds`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html#troubleshooting-timeouts
 */
export function timedOut(requestId: string, timeoutSeconds: number): LambdaErrorPayload {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds(timeoutSeconds)} seconds` };
}

export function timedOutLogLine(requestId: string, timeoutSeconds: number, at = new Date()): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${seconds(timeoutSeconds)} seconds`;
}

/**
 * The runtime was killed for going over the function's memory. Lambda reports
 * `Runtime exited with error: signal: killed` with error type `Runtime.OutOfMemory`, and the REPORT line ends
 * with `Status: error Error Type: Runtime.OutOfMemory` (Max Memory Used then equals Memory Size).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-execution.html ("Runtime exited with error: signal: killed")
 */
export function outOfMemory(requestId: string): LambdaErrorPayload {
  return { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` };
}

/**
 * The runtime process exited before answering (a crash, a `process.exit()`, a missing entrypoint).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-execution.html (Runtime.ExitError)
 */
export function exitError(requestId: string, exit: { code?: number; signal?: string }): LambdaErrorPayload {
  const how = exit.signal ? `signal: ${exit.signal}` : `exit status ${exit.code ?? 'unknown'}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}` };
}

/**
 * The function returned more than the response limit:
 * `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export function responseTooLarge(limitBytes: number): LambdaErrorPayload {
  return { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${limitBytes} bytes).` };
}

/**
 * The Invoke API's refusal of an oversized request (HTTP 413, before anything runs):
 * `<n> byte payload is too large for the RequestResponse invocation type (limit 6291456 bytes)`.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors (RequestEntityTooLargeException)
 */
export function requestTooLargeMessage(bytes: number, invocationType: string, limitBytes: number): string {
  return `${bytes} byte payload is too large for the ${invocationType} invocation type (limit ${limitBytes} bytes)`;
}

/**
 * The runtime did not reach its first `/invocation/next` within the init limit.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html#troubleshooting-timeouts (Sandbox.Timedout during Init)
 */
export function initTimedOut(requestId: string, limitMs: number): LambdaErrorPayload {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Init phase timed out after ${seconds(limitMs / 1000)} seconds` };
}

/** Parses a runtime's error body; anything unparsable becomes Lambda's `Runtime.Unknown`. */
export function parseErrorBody(body: Buffer, headerType?: string): LambdaErrorPayload {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && typeof parsed.errorMessage === 'string') {
      return { ...parsed, errorType: typeof parsed.errorType === 'string' ? parsed.errorType : headerType ?? 'Runtime.Unknown' };
    }
  } catch { /* fall through */ }
  return { errorType: headerType ?? 'Runtime.Unknown', errorMessage: body.toString('utf8') || 'Unknown application error occurred' };
}
