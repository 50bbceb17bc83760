// The platform log lines Lambda writes around every invocation (START, END, REPORT), in its format.
// @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html (the REPORT line's fields)
// @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html (Status and Error Type on failures)

export interface ReportInput {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  /** Peak bytes of the container's cgroup; undefined when it could not be read. */
  readonly maxMemoryBytes?: number;
  /** Present on a cold start only. */
  readonly initDurationMs?: number;
  /** `timeout`, or `error` with an error type (Runtime.OutOfMemory, Runtime.ExitError). */
  readonly status?: { readonly status: 'timeout' | 'error'; readonly errorType?: string };
  /** The function ran under a debugger with its timeout suspended (not a Lambda field: local runs only). */
  readonly timeoutSuspended?: boolean;
}

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * Billed duration: rounded up to the millisecond; for container images it includes the init duration.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
export function billedMs(durationMs: number, initDurationMs = 0): number {
  return Math.ceil(durationMs + initDurationMs);
}

export function reportLine(r: ReportInput): string {
  const parts = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedMs(r.durationMs, r.initDurationMs)} ms`,
    `Memory Size: ${r.memoryMb} MB`,
    `Max Memory Used: ${r.maxMemoryBytes === undefined ? 'unknown' : `${Math.ceil(r.maxMemoryBytes / (1024 * 1024))} MB`}`,
  ];
  if (r.initDurationMs !== undefined) parts.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.timeoutSuspended) parts.push('Timeout: suspended (debugger)');
  if (r.status) {
    parts.push(`Status: ${r.status.status}`);
    if (r.status.errorType) parts.push(`Error Type: ${r.status.errorType}`);
  }
  return parts.join('\t');
}
