// Lambda's Runtime API, served on the host for one container (one execution environment): the
// runtime interface client inside polls `GET /2018-06-01/runtime/invocation/next` and posts back to
// `/invocation/{id}/response`, `/invocation/{id}/error` or `/init/error`.
// @see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
// One server per container (its own port), so which environment is calling never has to be guessed
// from a source address, and an environment never receives a second event while it works on one.
import * as http from 'http';
import { AddressInfo } from 'net';
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
  /** Base64 JSON, as the Invoke API's X-Amz-Client-Context. */
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

interface Pending {
  readonly invocation: RuntimeInvocation;
  readonly resolve: (o: RuntimeOutcome) => void;
  delivered: boolean;
}

export class RuntimeApiServer {
  private readonly server: http.Server;
  private waiting: http.ServerResponse | undefined;
  private pending: Pending | undefined;
  private firstPoll!: () => void;
  private initFailed!: (e: { body: Buffer; errorType?: string }) => void;
  /** Resolves at the runtime's first `/invocation/next`: init is done. */
  public readonly initDone: Promise<void>;
  /** Resolves when the runtime posts `/init/error`. */
  public readonly initError: Promise<{ body: Buffer; errorType?: string }>;

  constructor(public readonly maxResponseBytes = MAX_RESPONSE_BYTES) {
    this.initDone = new Promise(r => { this.firstPoll = r; });
    this.initError = new Promise(r => { this.initFailed = r; });
    this.server = http.createServer((req, res) => this.route(req, res));
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
    if (i.clientContext) headers['Lambda-Runtime-Client-Context'] = Buffer.from(i.clientContext, 'base64').toString('utf8');
    res.writeHead(200, headers).end(i.payload);
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
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
    req.on('end', () => this.answer(req, res, url, Buffer.concat(chunks), bytes));
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
    const json = (status: number, o: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(o));
    // A streamed response collected whole reports its error in trailers.
    const streamedError = req.headers[RESPONSE_MODE_HEADER] === 'streaming' ? req.trailers['lambda-runtime-function-error-type'] : undefined;
    if (streamedError) body = Buffer.from(req.trailers['lambda-runtime-function-error-body'] ?? '', 'base64');
    const errorType = streamedError ?? req.headers['lambda-runtime-function-error-type'] as string | undefined;
    if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
      this.initFailed({ body, errorType });
      json(202, { status: 'OK' });
      return;
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (req.method !== 'POST' || !m) {
      json(404, { errorMessage: `unknown Runtime API path ${req.method} ${url}`, errorType: 'InvalidRequest' });
      return;
    }
    const p = this.pending;
    if (!p || !p.delivered || p.invocation.requestId !== decodeURIComponent(m[1])) {
      json(400, { errorMessage: `no invocation ${m[1]} is in progress`, errorType: 'InvalidRequestID' });
      return;
    }
    this.pending = undefined;
    if (m[2] === 'response' && bytes > this.maxResponseBytes) {
      // The Runtime API refuses the body (413); the caller gets Function.ResponseSizeTooLarge.
      json(413, { errorMessage: `Exceeded maximum allowed payload size (${this.maxResponseBytes} bytes).`, errorType: 'RequestEntityTooLarge' });
      p.resolve({ kind: 'response-too-large', bytes });
      return;
    }
    json(202, { status: 'OK' });
    p.resolve(m[2] === 'response' && !streamedError ? { kind: 'response', body } : { kind: 'error', body, errorType });
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}
