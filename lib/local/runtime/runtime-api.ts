// Lambda's Runtime API, served on the host for one container (one execution environment): the
// runtime interface client inside polls `GET /2018-06-01/runtime/invocation/next` and posts back to
// `/invocation/{id}/response`, `/invocation/{id}/error` or `/init/error`.
// @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// One server per container (its own port), so an environment never receives a second event while it
// works on one. The server hands events (and the user's credentials inside them) to whoever polls, so it
// answers only its own container: `admit` checks each connection's peer address (see sandbox.ts), and
// one poller at a time may wait for the next event.
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import { isHeaderSafe } from './client-context';
import { MAX_RESPONSE_BYTES } from '../../lambda-facts';

const PREFIX = '/2018-06-01/runtime';

/** One event handed to the runtime. */
export interface RuntimeInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  /** Epoch milliseconds (Lambda-Runtime-Deadline-Ms). */
  readonly deadlineMs: number;
  readonly functionArn: string;
  readonly traceId?: string;
  /** Lambda-Runtime-Client-Context: the decoded client context, as header-safe JSON (client-context.ts). */
  readonly clientContext?: string;
  /**
   * Receives a streamed response as it arrives (response streaming, see StreamedResponse). Without it, a
   * streamed response is collected and answered whole, as a buffered one.
   */
  readonly onStream?: (s: StreamedResponse) => void;
}

/**
 * A response the runtime streams (`Lambda-Runtime-Function-Response-Mode: streaming`, a chunked body, an
 * error reported in the `Lambda-Runtime-Function-Error-Type`/`-Body` trailers). For Function URLs its
 * content type is `application/vnd.awslambda.http-integration-response`: a JSON prelude (status, headers,
 * cookies), 8 NUL bytes, then the body.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html#runtimes-custom-response-streaming
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html
 */
export interface StreamedResponse {
  readonly contentType: string;
  /** The body as the runtime sends it; ends when the function's stream ends. */
  readonly body: NodeJS.ReadableStream;
}

const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';

/** What the runtime answered for one invocation. */
export type RuntimeOutcome =
  | { readonly kind: 'response'; readonly body: Buffer }
  | { readonly kind: 'error'; readonly body: Buffer; readonly errorType?: string }
  | { readonly kind: 'response-too-large'; readonly bytes: number };

export interface RuntimeApiOptions {
  /** @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /**
   * Whether a connection from `address` (the peer's IP) is the environment's own container. Asked once
   * per connection, before anything of it is read. @default every peer (unit tests on loopback)
   */
  readonly admit?: (address: string) => Promise<boolean> | boolean;
  /** Told about each refused connection (the sandbox logs it). */
  readonly onRefused?: (address: string) => void;
}

interface Pending {
  readonly invocation: RuntimeInvocation;
  readonly resolve: (o: RuntimeOutcome) => void;
  delivered: boolean;
}

/** `::ffff:172.17.0.2` → `172.17.0.2`. */
export function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

export class RuntimeApiServer {
  public readonly maxResponseBytes: number;
  private readonly server: http.Server;
  private readonly admitted = new WeakMap<Socket, Promise<boolean>>();
  private waiting: http.ServerResponse | undefined;
  private pending: Pending | undefined;
  private firstPoll!: () => void;
  private initFailed!: (e: { body: Buffer; errorType?: string }) => void;
  /** Resolves at the runtime's first `/invocation/next`: init is done. */
  public readonly initDone: Promise<void>;
  /** Resolves when the runtime posts `/init/error`. */
  public readonly initError: Promise<{ body: Buffer; errorType?: string }>;

  constructor(private readonly o: RuntimeApiOptions = {}) {
    this.maxResponseBytes = o.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.initDone = new Promise(r => { this.firstPoll = r; });
    this.initError = new Promise(r => { this.initFailed = r; });
    // Nothing a request does may throw out of here: an uncaught error would end the whole process.
    this.server = http.createServer((req, res) => { void this.route(req, res).catch(e => failed(res, e)); });
    // The runtime's long poll must never time out on our side.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.keepAliveTimeout = 0;
  }

  /** Listens on an ephemeral port of `host`; returns the port. */
  async listen(host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => { this.server.off('error', reject); resolve(); });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Hands one event to the runtime (now, or at its next poll) and resolves with its answer. */
  invoke(invocation: RuntimeInvocation): Promise<RuntimeOutcome> {
    if (this.pending) throw new Error(`this execution environment is busy with ${this.pending.invocation.requestId}`);
    return new Promise(resolve => {
      this.pending = { invocation, resolve, delivered: false };
      if (this.waiting) this.deliver(this.waiting);
    });
  }

  /** Forgets the current invocation (after a timeout or a crash); a late answer gets 400. */
  abandon(): void {
    this.pending = undefined;
  }

  async close(): Promise<void> {
    this.waiting?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>(r => this.server.close(() => r()));
  }

  private deliver(res: http.ServerResponse): void {
    const p = this.pending!;
    this.waiting = undefined;
    p.delivered = true;
    const i = p.invocation;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': i.requestId,
      'Lambda-Runtime-Deadline-Ms': String(i.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': i.functionArn,
    };
    if (i.traceId) headers['Lambda-Runtime-Trace-Id'] = i.traceId;
    if (i.clientContext) headers['Lambda-Runtime-Client-Context'] = i.clientContext;
    const unsafe = Object.entries(headers).find(([, v]) => !isHeaderSafe(String(v)));
    if (unsafe) {
      // Never reached with values built by client-context.ts; refused here too, so a bad one fails this
      // invocation (as a Lambda error) instead of throwing out of the server.
      res.writeHead(500, { 'Content-Type': 'application/json' }).end();
      this.pending = undefined;
      p.resolve({ kind: 'error', errorType: 'Runtime.InvalidRequest', body: Buffer.from(JSON.stringify({ errorType: 'Runtime.InvalidRequest', errorMessage: `the ${unsafe[0]} value cannot be sent in an HTTP header` })) });
      return;
    }
    res.writeHead(200, headers).end(i.payload);
  }

  /** Whether the connection behind `req` is this environment's container (decided once per connection). */
  private isAdmitted(req: http.IncomingMessage): Promise<boolean> {
    if (!this.o.admit) return Promise.resolve(true);
    const socket = req.socket;
    let decision = this.admitted.get(socket);
    if (!decision) {
      const address = plainAddress(socket.remoteAddress);
      decision = Promise.resolve().then(() => this.o.admit!(address)).catch(() => false);
      this.admitted.set(socket, decision);
    }
    return decision;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!(await this.isAdmitted(req))) {
      this.o.onRefused?.(plainAddress(req.socket.remoteAddress));
      req.resume();
      res.shouldKeepAlive = false;
      json(res, 403, { errorMessage: 'this Runtime API serves one container only', errorType: 'AccessDeniedException' });
      return;
    }
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
      if (this.waiting && !this.waiting.destroyed) {
        // The environment has one runtime, polling once at a time; a second poller never takes its place.
        json(res, 409, { errorMessage: 'a runtime is already waiting for the next event of this environment', errorType: 'InvalidStateTransition' });
        return;
      }
      this.firstPoll();
      // A runtime that gives up its poll (connection closed) is no longer waiting.
      res.on('close', () => { if (this.waiting === res) this.waiting = undefined; });
      if (this.pending && !this.pending.delivered) this.deliver(res); else this.waiting = res;
      return;
    }
    if (this.streamTo(req, res, url)) return;
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      // Past the limit, stop keeping the body: only its size matters now.
      if (bytes <= this.maxResponseBytes) chunks.push(c);
    });
    req.on('end', () => {
      try { this.answer(req, res, url, Buffer.concat(chunks), bytes); } catch (e) { failed(res, e); }
    });
    req.on('error', e => failed(res, e));
  }

  /**
   * A streamed response for the invocation in progress, when its caller takes streams: handed over as it
   * arrives, and settled when it ends (an error in the trailers makes it an error). Returns false for
   * everything else, which the buffered path answers.
   */
  private streamTo(req: http.IncomingMessage, res: http.ServerResponse, url: string): boolean {
    const p = this.pending;
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/response$/.exec(url);
    if (req.method !== 'POST' || !m || req.headers[RESPONSE_MODE_HEADER] !== 'streaming') return false;
    if (!p || !p.delivered || !p.invocation.onStream || p.invocation.requestId !== safeDecode(m[1])) return false;
    this.pending = undefined;
    p.invocation.onStream({ contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), body: req });
    const settle = (outcome: RuntimeOutcome) => {
      if (!res.headersSent) res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      p.resolve(outcome);
    };
    req.on('end', () => {
      const trailerType = req.trailers['lambda-runtime-function-error-type'];
      const trailerBody = req.trailers['lambda-runtime-function-error-body'];
      if (trailerType) settle({ kind: 'error', errorType: trailerType, body: Buffer.from(trailerBody ?? '', 'base64') });
      else settle({ kind: 'response', body: Buffer.alloc(0) });
    });
    // The runtime went away mid-stream (the container died): the invocation fails as a crash would.
    req.on('aborted', () => settle({ kind: 'error', errorType: 'Runtime.StreamAborted', body: Buffer.from(JSON.stringify({ errorType: 'Runtime.StreamAborted', errorMessage: 'the runtime stopped streaming before the response ended' })) }));
    return true;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, url: string, body: Buffer, bytes: number): void {
    // A streamed response collected whole reports its error in trailers.
    const streamedError = req.headers[RESPONSE_MODE_HEADER] === 'streaming' ? req.trailers['lambda-runtime-function-error-type'] : undefined;
    if (streamedError) body = Buffer.from(req.trailers['lambda-runtime-function-error-body'] ?? '', 'base64');
    const errorType = streamedError ?? headerValue(req.headers['lambda-runtime-function-error-type']);
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      this.initFailed({ body, errorType });
      json(res, 202, { status: 'OK' });
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method !== 'POST' || !m) {
      json(res, 404, { errorMessage: `unknown Runtime API path ${req.method} ${url}`, errorType: 'InvalidRequest' });
      return;
    }
    const p = this.pending;
    if (!p || !p.delivered || p.invocation.requestId !== safeDecode(m[1])) {
      json(res, 400, { errorMessage: `no invocation ${m[1]} is in progress`, errorType: 'InvalidRequestID' });
      return;
    }
    this.pending = undefined;
    if (m[2] === 'response' && bytes > this.maxResponseBytes) {
      // The Runtime API refuses the body (413); the caller gets Function.ResponseSizeTooLarge.
      json(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${this.maxResponseBytes} bytes).`, errorType: 'RequestEntityTooLarge' });
      p.resolve({ kind: 'response-too-large', bytes });
      return;
    }
    json(res, 202, { status: 'OK' });
    p.resolve(m[2] === 'response' && !streamedError ? { kind: 'response', body } : { kind: 'error', body, errorType });
  }
}

function json(res: http.ServerResponse, status: number, o: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(o));
}

/** Answers 500 for an unexpected failure, or drops the connection when the answer has begun. */
function failed(res: http.ServerResponse, e: unknown): void {
  try {
    if (res.headersSent) res.destroy();
    else json(res, 500, { errorMessage: `the Runtime API failed: ${(e as Error)?.message}`, errorType: 'ServiceException' });
  } catch {
    res.destroy();
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function safeDecode(s: string): string | undefined {
  try { return decodeURIComponent(s); } catch { return undefined; }
}
