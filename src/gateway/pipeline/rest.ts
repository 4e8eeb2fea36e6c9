import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { type Dispatcher, errors as undiciErrors } from 'undici';
import { GatehouseError, requestIdFrom } from '../../core/index.js';
import { headerValue, type OutgoingHeaders } from '../net/header-map.js';
import { clientCertificateOf } from '../auth/client-certificate.js';
import { TokenMemo } from '../auth/token.js';
import { resolveClientIp } from '../net/client-ip.js';
import { sendContinue } from '../net/expect-continue.js';
import { displayIp, ipMatches, parseIp } from '../net/ip-matcher.js';
import { callerResponseHeaders, callerResponseHeadersRaw, upstreamRequestHeaders } from '../upstream/headers.js';
import { responseDeadlines, type Timed } from '../upstream/deadlines.js';
import { writeRawResponseHead } from '../upstream/response-head.js';
import { afterFailure, attemptsFor, streamFailureCode, upstreamRequest } from '../upstream/send.js';
import { applyBackendAuth, backendAuthOf, retryAfterUnauthorized } from '../credentials/apply.js';
import type { UpstreamSet, RestTarget } from '../upstream/targets.js';
import type { CompiledWorkflow } from '../workflows/compile.js';
import { Exchange } from '../workflows/exchange.js';
import { addExtraHeaders, applyHeaderEdits, finalResponse, storeInCache } from '../workflows/responses.js';
import { runNodes, runRequestPhase } from '../workflows/run.js';
import { BodyCapture } from './capture.js';
import { CallContext } from './context.js';
import type { GatewayCore } from './core.js';
import { discardRestOfBody, lingerThenClose } from '../net/linger.js';
import { errorResult } from './error-result.js';
import { recordCall } from './record.js';
import { startCallSpan, startUpstreamSpan } from './trace.js';
import type { UpstreamSpan } from '../../telemetry/otel/tracer.js';
import { runChecks } from './steps.js';
import { writeCacheHit } from './write-cache-hit.js';

const CALL = Symbol('gatehouse.call');
const TAP = Symbol('gatehouse.tap');
const MEMO = Symbol('gatehouse.tokenMemo');

type Tracked = { [CALL]?: RestCall };

/**
 * Counts (and, when enabled, captures) the request body on its way upstream, and cuts it off with
 * 413 once it passes the proxy's limit (only a chunked body can: a declared length is checked first).
 */
class RequestTap extends Transform {
  constructor(
    private readonly ctx: CallContext,
    private readonly maxBytes: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const ctx = this.ctx;
    ctx.bytesIn += chunk.length;
    if (ctx.bytesIn > this.maxBytes) {
      done(new GatehouseError('GATEHOUSE_BODY_TOO_LARGE'));
      return;
    }
    ctx.requestCapture?.push(chunk);
    done(null, chunk);
  }
}

function ignore(): void {}

/** Where the upstream exchange of a call stands. */
enum Stage {
  /** Checks still running, or refused: nothing sent upstream. */
  Idle,
  /** Dispatched, waiting for the response headers. */
  Waiting,
  /** The response is streaming to the caller. */
  Streaming,
  /** The upstream's body is being buffered for the workflow's response phase; nothing has gone to the caller yet. */
  Buffering,
  /** An upstream 401 to a token it has since been told to forget: its body is read and dropped before the call goes again. */
  Discarding,
  /** Complete, failed or abandoned. */
  Done,
}

const CALLER_GONE = 'the caller went away';

/**
 * Bodies declared up to this size are read whole before dispatch rather than streamed (nginx's
 * default client_body_buffer_size on 64-bit; such a body almost always arrives with the head).
 */
const WHOLE_BODY_BYTES = 16 * 1024;

/**
 * One REST call, and its undici dispatch handler: the upstream response is written straight into
 * the caller's response as it arrives, with no intermediate Readable, promise or pipe() (whose
 * listeners and buffering were a large share of the per-call cost next to the bare proxy).
 */
class RestCall implements Dispatcher.DispatchHandler, Timed {
  stage = Stage.Idle;
  deadline = 0;
  prevTimed: Timed | null = null;
  nextTimed: Timed | null = null;
  private set: UpstreamSet | null = null;
  private target: RestTarget | null = null;
  private attempts = 1;
  private attempt = 0;
  private started = 0;
  private headers: OutgoingHeaders | null = null;
  private body: Readable | Buffer | null = null;
  /** A small request body read whole before dispatch (readWholeBody), without a workflow. */
  private wholeBody: Buffer | null = null;
  /** The upstream body's chunks while a workflow buffers it. */
  private buffered: Buffer[] | null = null;
  private bufferedBytes = 0;
  /** undici's handle on the current attempt: abort it, pause and resume reading its response. */
  private upstream: Dispatcher.DispatchController | null = null;
  /** An error raised while writing the caller's response head, to report as itself rather than as an upstream failure. */
  private headError: unknown = null;
  /** The response body's declared length (Content-Length), or -1. */
  private declaredLength = -1;
  /** The traced span of the upstream attempt awaiting its response head; null when untraced. */
  private upstreamSpan: UpstreamSpan | null = null;
  /** The response timeout this call enforces through responseDeadlines, or 0 when undici's own timers do. */
  private ownTimeoutMs = 0;

  constructor(
    readonly core: GatewayCore,
    readonly ctx: CallContext,
    readonly req: IncomingMessage & { [TAP]?: RequestTap },
    readonly res: ServerResponse & Tracked,
  ) {}

  start(): void {
    try {
      const checking = runChecks(this.ctx, this.core);
      if (checking)
        checking.then(
          () => this.proceed(),
          (err: unknown) => this.fail(err),
        );
      else this.proceed();
    } catch (err) {
      this.fail(err);
    }
  }

  /** After the checks: a preflight's answer, the workflow's request phase, or straight to the upstream. */
  private proceed(): void {
    const ctx = this.ctx;
    if (ctx.preflight !== null) {
      this.answer(204, ctx.preflight, null);
      return;
    }
    if (ctx.workflow !== null) {
      this.startWorkflow(ctx.workflow);
      return;
    }
    this.send();
  }

  /**
   * A small body with a declared length is read whole and goes upstream as those bytes, in one write
   * with the head: cheaper than streaming it (no stream, pipe or timers of undici's per call), and
   * a Buffer can be replayed to the next target. The declared length bounds it (node's parser
   * reads no further, checkBodySize refused more than the proxy accepts).
   */
  private readWholeBody(): void {
    sendContinue(this.req, this.res);
    readRequestBody(this.ctx, this.req, this.ctx.proxy!.proxy.maxRequestBodyBytes).then(
      (body) => {
        this.wholeBody = body;
        this.send();
      },
      (err: unknown) => this.fail(err),
    );
  }

  private send(): void {
    // The caller left while an asynchronous check ran: there is nobody to answer.
    if (this.res.destroyed) return;
    const ctx = this.ctx;
    const x = ctx.exchange;
    if (this.wholeBody === null && (x === null || x.requestBody === null) && isSmallBody(ctx, this.req)) {
      this.readWholeBody();
      return;
    }
    let authorizing: Promise<void> | null;
    try {
      const buffered = x?.requestBody ?? this.wholeBody;
      this.headers = upstreamRequestHeaders(ctx, ctx.trustedPeer, buffered !== null);
      if (x !== null) applyHeaderEdits(this.headers, x);
      if (buffered !== null) this.headers['content-length'] = String(buffered.length);
      this.set = x?.route?.set ?? this.core.upstreams.setFor(ctx.proxy!);
      ctx.backendAuth = backendAuthOf(ctx);
      authorizing = applyBackendAuth(ctx, this.headers, this.core.tokens);
      this.body = buffered ?? requestBody(ctx, this.req);
      if (this.body !== null && buffered === null) sendContinue(this.req, this.res);
      this.attempts = attemptsFor(ctx, this.body);
      // A streamed request body keeps undici's timers: its headers timeout waits for the upload to end.
      this.ownTimeoutMs = this.body === null || Buffer.isBuffer(this.body) ? ctx.proxy!.proxy.timeouts.responseMs : 0;
    } catch (err) {
      this.fail(err);
      return;
    }
    this.started = performance.now();
    if (authorizing === null) this.dispatch();
    else this.dispatchAfter(authorizing);
  }

  /** Dispatches once an access token is in the headers (fetched, or being fetched for every waiting call). */
  private dispatchAfter(authorizing: Promise<void>): void {
    this.stage = Stage.Waiting;
    authorizing.then(
      () => {
        if (this.stage === Stage.Waiting && !this.res.destroyed) this.dispatch();
      },
      (err: unknown) => this.fail(err),
    );
  }

  // workflow ----------------------------------------------------------------------------------

  private startWorkflow(wf: CompiledWorkflow): void {
    const x = new Exchange(this.ctx);
    this.ctx.exchange = x;
    if (!wf.requestBody || !hasBody(this.ctx, this.req)) {
      this.requestPhase(wf, x);
      return;
    }
    sendContinue(this.req, this.res);
    readRequestBody(this.ctx, this.req, wf.bodyLimitBytes).then(
      (body) => {
        x.setRequestBody(body);
        this.requestPhase(wf, x);
      },
      (err: unknown) => this.fail(err),
    );
  }

  private requestPhase(wf: CompiledWorkflow, x: Exchange): void {
    let pending: void | Promise<void>;
    try {
      pending = runRequestPhase(wf.request, x);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (pending)
      pending.then(
        () => this.afterRequestPhase(wf, x),
        (err: unknown) => this.fail(err),
      );
    else this.afterRequestPhase(wf, x);
  }

  private afterRequestPhase(wf: CompiledWorkflow, x: Exchange): void {
    if (this.res.destroyed) return;
    if (x.answered === null) {
      this.send();
      return;
    }
    // Answered without the upstream: a cache hit is already the response phase's output; a mock still passes through it.
    if (x.answered === 'cache') {
      // A hit is written as stored, unless the workflow adds headers of its own (CORS) to every response.
      if (x.cacheHit !== null && x.extraResponseHeaders === null) {
        this.stage = Stage.Done;
        writeCacheHit(this.ctx, this.req, this.res, x.cacheHit);
        return;
      }
      this.writeWorkflowResponse(x);
      return;
    }
    this.responsePhase(wf, x);
  }

  private responsePhase(wf: CompiledWorkflow, x: Exchange): void {
    x.phase = 'response';
    let pending: void | Promise<void>;
    try {
      pending = runNodes(wf.response, x);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (pending)
      pending.then(
        () => this.writeWorkflowResponse(x),
        (err: unknown) => this.fail(err),
      );
    else this.writeWorkflowResponse(x);
  }

  private writeWorkflowResponse(x: Exchange): void {
    if (this.res.destroyed) return;
    const out = finalResponse(x, this.ctx.requestId, this.ctx.limit);
    storeInCache(x, out, this.core.workflows.log);
    this.answer(out.status, out.headers, out.body);
  }

  /** Writes a whole response the gateway holds (a workflow's, a preflight's); the caller's unread body is discarded. */
  private answer(status: number, headers: OutgoingHeaders, body: Buffer | null): void {
    const { ctx, req, res } = this;
    this.stage = Stage.Done;
    ctx.status = status;
    ctx.bytesOut = body?.length ?? 0;
    if (!headers['x-request-id']) headers['x-request-id'] = ctx.requestId;
    res.writeHead(status, headers);
    res.end(body ?? undefined);
    lingerThenClose(req);
  }

  private dispatch(): void {
    const target = this.set!.pick(Date.now());
    this.target = target;
    this.attempt++;
    this.stage = Stage.Waiting;
    this.upstream = null;
    if (this.ctx.span !== null) this.upstreamSpan = startUpstreamSpan(this.ctx, target, this.headers!, this.attempt);
    target.pool.dispatch(upstreamRequest(target, this.ctx, this.headers!, this.body, this.ownTimeoutMs > 0), this);
  }

  /** The caller's response closed: stops the upstream exchange if it is still going, and says whether it was. */
  abandon(): boolean {
    const waiting = this.stage === Stage.Waiting || this.stage === Stage.Streaming || this.stage === Stage.Buffering || this.stage === Stage.Discarding;
    this.stage = Stage.Done;
    if (this.upstreamSpan !== null) this.endUpstream(undefined, 'GATEHOUSE_CALL_CANCELLED');
    if (waiting) this.upstream?.abort(new Error(CALLER_GONE));
    return waiting;
  }

  /** The caller's socket drained: read the upstream again (with the whole body timeout ahead, as undici's own). */
  resume(): void {
    if (this.ownTimeoutMs > 0 && responseDeadlines.armed(this)) responseDeadlines.arm(this, this.ownTimeoutMs);
    this.upstream?.resume();
  }

  get timeoutPaused(): boolean {
    return this.upstream?.paused === true;
  }

  /** The upstream sent no response head, or no body bytes, for the proxy's response timeout. */
  expire(): void {
    this.upstream?.abort(this.stage === Stage.Waiting ? new undiciErrors.HeadersTimeoutError() : new undiciErrors.BodyTimeoutError());
  }

  // undici dispatch handler ------------------------------------------------------------------

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.upstream = controller;
    if (this.stage === Stage.Done) controller.abort(new Error(CALLER_GONE));
    // Timed from the request's write, as undici's headers timeout is.
    else if (this.ownTimeoutMs > 0) responseDeadlines.arm(this, this.ownTimeoutMs);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, upstreamHeaders: IncomingHttpHeaders): void {
    // From here the body timeout runs (an informational response restarts the headers timeout).
    if (this.ownTimeoutMs > 0) responseDeadlines.arm(this, this.ownTimeoutMs);
    if (statusCode < 200) return; // informational: the final response follows
    const { ctx, res } = this;
    if (this.upstreamSpan !== null) this.endUpstream(statusCode, null);
    this.target!.health.succeeded();
    if (statusCode === 401 && retryAfterUnauthorized(ctx, statusCode, this.core.tokens, this.body === null || Buffer.isBuffer(this.body))) {
      this.stage = Stage.Discarding;
      return;
    }
    ctx.upstreamMs = performance.now() - this.started;
    ctx.status = statusCode;
    try {
      // HTTP/1 leaves the raw list on the controller: without a workflow to read the head, it is
      // written from that list as text; otherwise one pass over it is cheaper than copying undici's parsed object.
      const raw = controller.rawHeaders;
      const x = ctx.exchange;
      const declared = x === null && Array.isArray(raw) ? writeRawResponseHead(res, statusCode, raw as Buffer[], ctx.requestId, ctx.limit, Date.now()) : null;
      if (declared !== null) this.declaredLength = declared;
      else {
        const headers = Array.isArray(raw)
          ? callerResponseHeadersRaw(raw as Buffer[], ctx, ctx.limit, Date.now())
          : callerResponseHeaders(upstreamHeaders, ctx, ctx.limit, Date.now());
        if (x !== null && this.workflowHead(x, statusCode, headers)) return;
        res.writeHead(statusCode, headers);
        this.declaredLength = declaredLength(headers['content-length']);
      }
    } catch (err) {
      this.headError = err;
      throw err; // undici aborts the exchange and reports it to onResponseError
    }
    const capture = ctx.proxy!.proxy.captureBodies;
    if (capture.enabled) ctx.responseCapture = new BodyCapture(capture.maxBytes);
    this.stage = Stage.Streaming;
  }

  /**
   * The response head under a workflow: response nodes that need no body run now, on the head;
   * otherwise (a node reads the body, or a cache stores it) the body is buffered first. Returns
   * true when buffering, so the head waits.
   */
  private workflowHead(x: Exchange, status: number, headers: OutgoingHeaders): boolean {
    const wf = this.ctx.workflow!;
    x.setResponse({ status, headers, body: null });
    if (wf.responseBody || x.cacheStore !== null) {
      this.buffered = [];
      this.bufferedBytes = 0;
      this.stage = Stage.Buffering;
      return true;
    }
    x.phase = 'response';
    // Nodes that need no body are synchronous (set/remove headers, conditions): compile guarantees it.
    if (runNodes(wf.response, x) !== undefined) throw new GatehouseError('GATEHOUSE_WORKFLOW_NODE_FAILED', 'A response node waited without a buffered body.');
    addExtraHeaders(headers, x);
    return false;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const ctx = this.ctx;
    if (this.ownTimeoutMs > 0) responseDeadlines.arm(this, this.ownTimeoutMs);
    if (this.stage === Stage.Buffering) {
      this.bufferChunk(controller, chunk);
      return;
    }
    if (this.stage === Stage.Discarding) return;
    ctx.bytesOut += chunk.length;
    ctx.responseCapture?.push(chunk);
    if (ctx.bytesOut === this.declaredLength) {
      // The body's last bytes (llhttp frames it by its length): the response ends with them, in one
      // pass through node:http instead of a write and then an end. onResponseEnd follows with nothing to do.
      this.stage = Stage.Done;
      this.res.end(chunk);
      discardRestOfBody(this.req);
      return;
    }
    if (this.res.write(chunk)) return;
    // Backpressure: undici stops reading the upstream until the caller's socket drains.
    controller.pause();
    this.res.once('drain', onResponseDrain);
  }

  private bufferChunk(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bufferedBytes += chunk.length;
    this.ctx.responseCapture?.push(chunk);
    if (this.bufferedBytes > this.ctx.workflow!.bodyLimitBytes) {
      this.stage = Stage.Done;
      controller.abort(new Error('the response is larger than the workflow buffers'));
      this.fail(new GatehouseError('GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE'));
      return;
    }
    this.buffered!.push(chunk);
  }

  onResponseEnd(): void {
    responseDeadlines.disarm(this);
    if (this.stage === Stage.Discarding) {
      let authorizing: Promise<void> | null;
      try {
        authorizing = applyBackendAuth(this.ctx, this.headers!, this.core.tokens);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (authorizing === null) {
        this.stage = Stage.Waiting;
        queueMicrotask(() => {
          if (this.stage === Stage.Waiting) this.dispatch();
        });
      } else this.dispatchAfter(authorizing);
      return;
    }
    if (this.stage === Stage.Buffering) {
      const x = this.ctx.exchange!;
      this.stage = Stage.Waiting;
      x.response!.body = Buffer.concat(this.buffered!, this.bufferedBytes);
      this.buffered = null;
      discardRestOfBody(this.req);
      this.responsePhase(this.ctx.workflow!, x);
      return;
    }
    if (this.stage !== Stage.Streaming) return;
    this.stage = Stage.Done;
    this.res.end();
    discardRestOfBody(this.req);
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    responseDeadlines.disarm(this);
    if (this.upstreamSpan !== null) this.endUpstream(undefined, streamFailureCode(err));
    const stage = this.stage;
    this.stage = Stage.Done;
    const body = this.body;
    if (body !== null && !Buffer.isBuffer(body)) {
      // As undici's request() does: a failed exchange's body stream is finished with.
      this.body = null;
      body.on('error', ignore).destroy(err);
    }
    // The upstream body failed mid-stream: the caller cannot get a whole response, so cut its
    // connection; the log keeps the status that went out, with the failure's code.
    if (stage === Stage.Streaming) {
      this.ctx.errorCode = streamFailureCode(err);
      this.res.destroy();
      return;
    }
    // Abandoned because the caller went away: nobody is left to answer.
    if (stage === Stage.Done || this.res.destroyed) return;
    if (this.headError !== null) {
      this.fail(this.headError);
      return;
    }
    // A streamed body cannot be replayed, so only body-less calls get more than one attempt (attemptsFor).
    const failure = afterFailure(this.target!, err, this.attempt, this.attempts);
    if (failure === null) {
      this.stage = Stage.Waiting;
      queueMicrotask(() => {
        if (this.stage === Stage.Waiting) this.dispatch();
      });
      return;
    }
    this.ctx.upstreamMs = performance.now() - this.started;
    this.fail(failure);
  }

  /** The upstream span ends at the response head, as the request log's upstream latency does. */
  private endUpstream(status: number | undefined, error: string | null): void {
    const span = this.upstreamSpan!;
    this.upstreamSpan = null;
    span.end(error === null ? { status } : { status, error });
  }

  /** Answers with the error response (or cuts the connection when a response has already begun). */
  fail(err: unknown): void {
    const { ctx, req, res } = this;
    this.stage = Stage.Done;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    lingerThenClose(req);
    const e = errorResult(ctx, err);
    ctx.bytesOut = e.body.length;
    res.writeHead(e.status, e.headers);
    res.end(e.body);
  }
}

function declaredLength(value: string | string[] | undefined): number {
  if (typeof value !== 'string') return -1;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

function onResponseDrain(this: ServerResponse & Tracked): void {
  const call = this[CALL]!;
  if (call.stage === Stage.Streaming) call.resume();
}

function onResponseClose(this: ServerResponse & Tracked): void {
  const call = this[CALL]!;
  const unfinished = call.abandon();
  const ctx = call.ctx;
  // The caller went away before the whole response: log it the way proxies conventionally do.
  if (ctx.status === 0 || unfinished) ctx.status = 499;
  recordCall(call.core, ctx);
}

function contextFor(core: GatewayCore, req: IncomingMessage): CallContext {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const raw = req.socket.remoteAddress;
  const peer = raw === undefined ? null : displayIp(raw);
  let ip = peer;
  let trusted = false;
  if (peer !== null && core.trustedProxies) {
    const addr = parseIp(peer);
    trusted = addr !== null && ipMatches(core.trustedProxies, addr);
    if (trusted) ip = resolveClientIp(peer, req.headers['x-forwarded-for'], core.trustedProxies);
  }
  const ctx = new CallContext(
    requestIdFrom(headerValue(req.headers, 'x-request-id')),
    'rest',
    req.method ?? 'GET',
    q === -1 ? url : url.slice(0, q),
    q === -1 ? '' : url.slice(q),
    req.headers,
    ip,
    peer,
    (req.socket as TLSSocket).encrypted === true,
  );
  ctx.trustedPeer = trusted;
  if (ctx.secure) ctx.clientCert = clientCertificateOf(req.socket);
  ctx.declaredBytesIn = declaredLength(req.headers['content-length']);
  const socket = req.socket as typeof req.socket & { [MEMO]?: TokenMemo };
  ctx.tokenMemo = socket[MEMO] ??= new TokenMemo();
  return ctx;
}

/** Whether the call declares a body small enough to read whole before dispatch (WHOLE_BODY_BYTES). */
function isSmallBody(ctx: CallContext, req: IncomingMessage): boolean {
  return ctx.declaredBytesIn > 0 && ctx.declaredBytesIn <= WHOLE_BODY_BYTES && req.headers['transfer-encoding'] === undefined;
}

/** Whether the call sends a body (declared, or chunked). */
function hasBody(ctx: CallContext, req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || ctx.declaredBytesIn > 0;
}

/**
 * Reads the whole request body for a workflow node that needs it, up to the workflow's buffer
 * limit (and the proxy's own limit): a larger one is refused with 413 the moment it passes.
 */
function readRequestBody(ctx: CallContext, req: IncomingMessage, workflowLimit: number): Promise<Buffer> {
  const proxyLimit = ctx.proxy!.proxy.maxRequestBodyBytes;
  const limit = Math.min(workflowLimit, proxyLimit);
  const tooLarge = () => new GatehouseError(workflowLimit < proxyLimit ? 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE' : 'GATEHOUSE_BODY_TOO_LARGE');
  if (ctx.declaredBytesIn > limit) return Promise.reject(tooLarge());
  const capture = ctx.proxy!.proxy.captureBodies;
  if (capture.enabled) ctx.requestCapture = new BodyCapture(capture.maxBytes);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      ctx.bytesIn += chunk.length;
      if (ctx.bytesIn > limit) {
        req.off('data', onData);
        reject(tooLarge());
        return;
      }
      ctx.requestCapture?.push(chunk);
      parts.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts, ctx.bytesIn)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new GatehouseError('GATEHOUSE_CALL_CANCELLED', 'The caller went away before the body was sent.'));
    });
  });
}

function abortTapIfIncomplete(this: IncomingMessage & { [TAP]?: RequestTap }): void {
  if (!this.complete) this[TAP]?.destroy(new Error('the caller aborted the request'));
}

/**
 * The body to stream upstream, through a counting tap rather than the request itself: a failed
 * exchange's body is destroyed, and destroying the request would cut the socket before the 502 goes out.
 */
function requestBody(ctx: CallContext, req: IncomingMessage & { [TAP]?: RequestTap }): Readable | null {
  if (req.headers['transfer-encoding'] === undefined && ctx.declaredBytesIn <= 0) return null;
  const capture = ctx.proxy!.proxy.captureBodies;
  if (capture.enabled) ctx.requestCapture = new BodyCapture(capture.maxBytes);
  const tap = new RequestTap(ctx, ctx.proxy!.proxy.maxRequestBodyBytes);
  req[TAP] = tap;
  req.once('close', abortTapIfIncomplete);
  req.pipe(tap);
  return tap;
}

/** The node:http entry: streams the call through the pipeline to the upstream and back. */
export function handleRest(core: GatewayCore, req: IncomingMessage, res: ServerResponse): void {
  const ctx = contextFor(core, req);
  if (core.tracer !== null) startCallSpan(core.tracer, ctx, null);
  const call = new RestCall(core, ctx, req, res);
  (res as ServerResponse & Tracked)[CALL] = call;
  // 'close' comes once per response: on() spares the once() wrapper allocated per call.
  res.on('close', onResponseClose);
  call.start();
}
