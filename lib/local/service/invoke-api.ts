// A local endpoint for Lambda's Invoke API, `POST /2015-03-31/functions/{name}/invocations`, so the
// AWS SDKs and CLI can call local functions (`endpoint: http://127.0.0.1:3001`).
// @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { FunctionPools } from './function-pools';
import { SandboxPool } from './pool';
import { foreignRequestReason } from './request-origin';
import { findFunction } from '../../assembly/function-lookup';
import { LOG_TAIL_BYTES, MAX_ASYNC_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../../lambda-facts';
import { LocalFunction } from '../functions/local-function';
import { ClientContextError, clientContextHeader } from '../runtime/client-context';
import { requestTooLargeMessage } from '../runtime/lambda-errors';
import { endLine, reportLine, startLine } from '../runtime/report';
import { InvocationResult } from '../runtime/sandbox';
import { RebuildGate } from '../watch/rebuild-gate';

/**
 * Event (asynchronous) invocations this endpoint holds at once, queued or running, and their bytes: past
 * either bound it answers Lambda's throttling error (429 TooManyRequestsException) instead of growing
 * without limit. Lambda's own queue is far larger; a local endpoint needs only enough for tests.
 */
export const MAX_QUEUED_EVENTS = 100;
export const MAX_QUEUED_EVENT_BYTES = 16 * 1024 * 1024;

export interface InvokeApiOptions {
  readonly functions: readonly LocalFunction[];
  /** Environments per function at most (each takes one request at a time). */
  readonly maxConcurrency: number;
  /** Where function output and platform lines go (serve: stderr). */
  readonly log?: (text: string) => void;
  /** Host names accepted besides localhost, IP literals and this machine's name (serve --allow-host). */
  readonly allowedHosts?: readonly string[];
  /** How long a request waits for a --watch rebuild. @default WATCH_REQUEST_WAIT_MS */
  readonly rebuildWaitMs?: number;
}

/** An Invoke API error: status, the error code the SDKs read from x-amzn-ErrorType, and a message. */
class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: { [key: string]: string } = {},
    /** Close the connection after answering (the request's body is still arriving). */
    readonly close = false) { super(message); }
}

/** `arn:aws:lambda:us-east-1:123456789012:function:name:qualifier`, `123456789012:function:name`, or a plain name. */
export function functionNameOf(raw: string): string {
  const m = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?function:([^:]+)(?::[^:]+)?$/.exec(raw);
  return m ? m[1] : raw;
}

export class InvokeApiServer {
  private readonly server: http.Server;
  readonly pools: FunctionPools;
  private readonly background = new Set<Promise<unknown>>();
  private queuedEventBytes = 0;
  private closing: Promise<void> | undefined;
  /** The functions served now (--watch swaps them after a rebuild). */
  private functions: readonly LocalFunction[];
  /** Requests wait here while --watch rebuilds. */
  readonly gate: RebuildGate;

  constructor(private readonly o: InvokeApiOptions) {
    this.functions = o.functions;
    this.gate = new RebuildGate(o.rebuildWaitMs);
    this.pools = new FunctionPools({ maxConcurrency: o.maxConcurrency, log: t => this.log(t) });
    // Nothing a request does may throw out of here: an uncaught error would end `serve` for every caller.
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(e => this.sendError(res, e instanceof ApiError ? e : new ApiError(500, 'ServiceException', String((e as Error)?.message ?? e))));
    });
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** The pool of `fn` (created on first use). */
  poolOf(fn: LocalFunction): SandboxPool {
    return this.pools.poolOf(fn);
  }

  /** The functions served now. */
  get served(): readonly LocalFunction[] {
    return this.functions;
  }

  /**
   * Serves `functions` from now on (--watch, after a rebuild): the pools of functions no longer served take no new
   * request; resolves once the requests already on them are answered (their containers go in the background).
   */
  async serve(functions: readonly LocalFunction[]): Promise<void> {
    this.functions = functions;
    await this.pools.retireAllBut(functions);
  }

  /** Stops taking requests, waits for Event invocations in flight, removes every container. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.server.listening) this.server.close();
      this.server.closeAllConnections();
      await Promise.race([Promise.allSettled([...this.background]), new Promise(r => setTimeout(r, 2000).unref())]);
      await this.pools.close();
    })();
    return this.closing;
  }

  private log(text: string): void {
    try { this.o.log?.(text); } catch { /* a closed stderr must not end the server */ }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const foreign = foreignRequestReason({ host: req.headers.host, origin: req.headers.origin }, this.o.allowedHosts);
    if (foreign) {
      req.resume();
      throw new ApiError(403, 'AccessDeniedException', foreign);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) {
      req.resume();
      throw new ApiError(404, 'UnknownOperationException', `${req.method} ${url.pathname} is not an operation of this endpoint; it serves POST /2015-03-31/functions/{name}/invocations`);
    }
    let raw: string;
    try {
      raw = decodeURIComponent(m[1]);
    } catch {
      req.resume();
      throw new ApiError(400, 'ValidationException', `the function name in ${url.pathname} is not validly %-encoded`);
    }
    const name = functionNameOf(raw);
    let fn = this.find(name, () => req.resume());
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
      req.resume();
      throw new ApiError(400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun (got ${type})`);
    }
    const limit = type === 'Event' ? MAX_ASYNC_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES;
    const payload = await readBody(req, limit, type);
    if (payload.length > 0) {
      try { JSON.parse(payload.toString('utf8')); } catch (e) {
        throw new ApiError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`);
      }
    }
    // --watch: wait for a rebuild of this function under way, then take it as it is now (no await from here to its pool).
    if (!await this.gate.pass([fn.spec.path])) {
      throw new ApiError(409, 'ResourceConflictException', `The operation cannot be performed at this time. ${name} is still being rebuilt (--watch); retry when the rebuild line is printed.`);
    }
    fn = this.find(name);
    const requestId = crypto.randomUUID();
    const headers = { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' };
    if (type === 'DryRun') {
      res.writeHead(204, headers).end();
      return;
    }
    const event = payload.length ? payload : Buffer.from('{}');
    const clientContext = clientContextOf(req.headers['x-amz-client-context']);
    if (type === 'Event') {
      // Lambda queues it; here the queue is bounded (by events and bytes), and past the bound the caller
      // gets Lambda's throttling answer instead of this process growing without limit.
      if (this.background.size >= MAX_QUEUED_EVENTS || this.queuedEventBytes + event.length > MAX_QUEUED_EVENT_BYTES) {
        throw new ApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: 'ConcurrentInvocationLimitExceeded' });
      }
      // Accepted, then run in the background (errors only reach the logs).
      res.writeHead(202, headers).end();
      this.queuedEventBytes += event.length;
      const run = this.run(fn, event, requestId, clientContext).catch(e => this.log(`${fn.spec.path}: ${(e as Error)?.message}\n`));
      this.background.add(run);
      void run.finally(() => { this.background.delete(run); this.queuedEventBytes -= event.length; });
      return;
    }
    const wantTail = String(req.headers['x-amz-log-type'] ?? '') === 'Tail';
    const { result, tail } = await this.run(fn, event, requestId, clientContext, wantTail);
    const out: http.OutgoingHttpHeaders = { ...headers, 'Content-Type': 'application/json' };
    if (result.functionError) out['X-Amz-Function-Error'] = 'Unhandled';
    if (wantTail) out['X-Amz-Log-Result'] = tail;
    res.writeHead(200, out).end(result.payload);
  }

  /** The served function `name` names; 404 ResourceNotFoundException (after `before`) when none does. */
  private find(name: string, before?: () => void): LocalFunction {
    try {
      const spec = findFunction(this.functions.map(f => f.spec), name);
      return this.functions.find(f => f.spec === spec)!;
    } catch (e) {
      before?.();
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${name}. ${(e as Error).message}`);
    }
  }

  private async run(fn: LocalFunction, event: Buffer, requestId: string, clientContext?: string, collectLogs = false):
  Promise<{ result: InvocationResult; tail: string }> {
    this.log(startLine(requestId) + '\n');
    const result = await this.poolOf(fn).invoke(event, { requestId, clientContext, collectLogs });
    const platform = `${endLine(requestId)}\n${reportLine({ ...result })}\n`;
    this.log(platform);
    const full = Buffer.from(`${startLine(requestId)}\n${result.logs}${platform}`);
    return { result, tail: full.subarray(Math.max(0, full.length - LOG_TAIL_BYTES)).toString('base64') };
  }

  /** An error in the Invoke API's shape: the SDKs read the code from x-amzn-ErrorType and `message` from the body. */
  private sendError(res: http.ServerResponse, e: ApiError): void {
    try {
      if (res.headersSent) { res.destroy(); return; }
      const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json', 'x-amzn-ErrorType': e.code, 'x-amzn-RequestId': crypto.randomUUID() };
      // Lambda's throttling answer carries Retry-After (the SDK's retryAfterSeconds).
      if (e.status === 429) headers['Retry-After'] = '1';
      if (e.close) headers.Connection = 'close';
      res.writeHead(e.status, headers).end(JSON.stringify({ Type: e.status >= 500 ? 'Service' : 'User', message: e.message, ...e.extra }));
    } catch {
      res.destroy();
    }
  }
}

/** The runtime's Lambda-Runtime-Client-Context for an X-Amz-Client-Context; 400 when it is not base64 JSON. */
function clientContextOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  try {
    return clientContextHeader(Array.isArray(header) ? header[0] : header);
  } catch (e) {
    if (e instanceof ClientContextError) throw new ApiError(400, 'InvalidRequestContentException', e.message);
    throw e;
  }
}

/**
 * Reads the request body, refusing one over `limit` bytes before anything runs (413, as Lambda does):
 * by its Content-Length, or, for a chunked body, as soon as the bytes received pass the limit (the rest
 * is drained, not kept, and the connection closes after the answer).
 */
function readBody(req: http.IncomingMessage, limit: number, type: string): Promise<Buffer> {
  const tooLarge = (bytes: number) => new ApiError(413, 'RequestEntityTooLargeException', requestTooLargeMessage(bytes, type, limit), {}, true);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes <= limit) chunks.push(c);
      else if (bytes - c.length <= limit) reject(tooLarge(bytes));
    });
    req.on('end', () => bytes > limit ? reject(tooLarge(bytes)) : resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
