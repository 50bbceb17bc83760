// A local endpoint for Lambda's Invoke API, `POST /2015-03-31/functions/{name}/invocations`, so the
// AWS SDKs and CLI can call local functions (`endpoint: http://127.0.0.1:3001`).
// @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { SandboxPool } from './pool';
import { LOG_TAIL_BYTES, MAX_ASYNC_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../../lambda-facts';
import { findFunction } from '../functions/function-lookup';
import { LocalFunction } from '../functions/local-function';
import { requestTooLargeMessage } from '../runtime/lambda-errors';
import { endLine, reportLine, startLine } from '../runtime/report';
import { InvocationResult } from '../runtime/sandbox';

export interface InvokeApiOptions {
  readonly functions: readonly LocalFunction[];
  /** Environments per function at most (each takes one request at a time). */
  readonly maxConcurrency: number;
  /** Where function output and platform lines go (serve: stderr). */
  readonly log?: (text: string) => void;
}

/** An Invoke API error: status, the error code the SDKs read from x-amzn-ErrorType, and a message. */
class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

/** `arn:aws:lambda:us-east-1:123456789012:function:name:qualifier`, `123456789012:function:name`, or a plain name. */
export function functionNameOf(raw: string): string {
  const m = /^(?:arn:[^:]+:lambda:[^:]*:)?(?:\d{12}:)?function:([^:]+)(?::[^:]+)?$/.exec(raw);
  return m ? m[1] : raw;
}

export class InvokeApiServer {
  private readonly server: http.Server;
  private readonly pools = new Map<LocalFunction, SandboxPool>();
  private readonly background = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly o: InvokeApiOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(e => this.sendError(res, e instanceof ApiError ? e : new ApiError(500, 'ServiceException', (e as Error).message)));
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
    let pool = this.pools.get(fn);
    if (!pool) {
      pool = new SandboxPool({ maxConcurrency: this.o.maxConcurrency, start: () => fn.startSandbox(c => this.log(c.toString('utf8'))) });
      this.pools.set(fn, pool);
    }
    return pool;
  }

  /** Stops taking requests, waits for Event invocations in flight, removes every container. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.server.listening) this.server.close();
      this.server.closeAllConnections();
      await Promise.race([Promise.allSettled([...this.background]), new Promise(r => setTimeout(r, 2000).unref())]);
      await Promise.all([...this.pools.values()].map(p => p.close()));
    })();
    return this.closing;
  }

  private log(text: string): void {
    this.o.log?.(text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) {
      throw new ApiError(404, 'UnknownOperationException', `${req.method} ${url.pathname} is not an operation of this endpoint; it serves POST /2015-03-31/functions/{name}/invocations`);
    }
    const name = functionNameOf(decodeURIComponent(m[1]));
    let fn: LocalFunction;
    try {
      const spec = findFunction(this.o.functions.map(f => f.spec), name);
      fn = this.o.functions.find(f => f.spec === spec)!;
    } catch (e) {
      throw new ApiError(404, 'ResourceNotFoundException', `Function not found: ${name}. ${(e as Error).message}`);
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
      throw new ApiError(400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun (got ${type})`);
    }
    const limit = type === 'Event' ? MAX_ASYNC_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES;
    const payload = await readBody(req, limit, type);
    if (payload.length > 0) {
      try { JSON.parse(payload.toString('utf8')); } catch (e) {
        throw new ApiError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(e as Error).message}`);
      }
    }
    const requestId = crypto.randomUUID();
    const headers = { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' };
    if (type === 'DryRun') {
      res.writeHead(204, headers).end();
      return;
    }
    const event = payload.length ? payload : Buffer.from('{}');
    const clientContext = req.headers['x-amz-client-context'] as string | undefined;
    if (type === 'Event') {
      // Accepted, then run in the background (Lambda queues it; errors only reach the logs).
      res.writeHead(202, headers).end();
      const run = this.run(fn, event, requestId, clientContext).catch(e => this.log(`${fn.spec.path}: ${(e as Error).message}\n`));
      this.background.add(run);
      void run.finally(() => this.background.delete(run));
      return;
    }
    const wantTail = String(req.headers['x-amz-log-type'] ?? '') === 'Tail';
    const { result, tail } = await this.run(fn, event, requestId, clientContext, wantTail);
    const out: http.OutgoingHttpHeaders = { ...headers, 'Content-Type': 'application/json' };
    if (result.functionError) out['X-Amz-Function-Error'] = 'Unhandled';
    if (wantTail) out['X-Amz-Log-Result'] = tail;
    res.writeHead(200, out).end(result.payload);
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

  private sendError(res: http.ServerResponse, e: ApiError): void {
    if (res.headersSent) { res.destroy(); return; }
    res.writeHead(e.status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': e.code, 'x-amzn-RequestId': crypto.randomUUID() })
      .end(JSON.stringify({ Type: 'User', message: e.message }));
  }
}

/** Reads the request body, refusing one over `limit` bytes before anything runs (413, as Lambda does). */
function readBody(req: http.IncomingMessage, limit: number, type: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new ApiError(413, 'RequestEntityTooLargeException', requestTooLargeMessage(declared, type, limit)));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => { bytes += c.length; if (bytes <= limit) chunks.push(c); });
    req.on('end', () => bytes > limit
      ? reject(new ApiError(413, 'RequestEntityTooLargeException', requestTooLargeMessage(bytes, type, limit)))
      : resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
