// Lambda's invocation limits that the local runtime enforces, each with its source.
// (The library's lib/lambda-facts.ts is meant to become the one home of Lambda facts; these are
// the invocation-time ones only the local runtime needs.)

/**
 * Synchronous (RequestResponse) request payload limit: 6 MB.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html ("Invocation payload (request and response)")
 * The Invoke API refuses a larger request with 413 RequestEntityTooLargeException before any function code runs.
 */
export const MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024; // 6,291,456

/**
 * Asynchronous (Event) request payload limit: 1 MB (raised from 256 KB in 2025).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_ASYNC_REQUEST_BYTES = 1024 * 1024;

/**
 * Response payload limit. Lambda's own error message names 6,291,556 bytes (6 MB + 100 bytes of
 * framing), so that is the number compared against and reported.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_BYTES = 6_291_556;

/**
 * The init phase is limited to 10 seconds for on-demand functions.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
export const INIT_TIMEOUT_MS = 10_000;

/**
 * Lambda's defaults when the template leaves them out.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (MemorySize 128, Timeout 3)
 */
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_TIMEOUT_SECONDS = 3;

/** The log tail returned with `LogType: Tail`: the last 4 KB of the invocation's log. */
export const LOG_TAIL_BYTES = 4 * 1024;
