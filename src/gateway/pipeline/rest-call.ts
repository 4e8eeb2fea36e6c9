import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { type Dispatcher, errors as undiciErrors } from 'undici';
import type { UpstreamSpan } from '../../telemetry/otel/tracer.js';
import { applyBackendAuth, backendAuthOf, retryAfterUnauthorized } from '../credentials/apply.js';
import { sendContinue } from '../net/expect-continue.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import { discardRestOfBody, lingerThenClose } from '../net/linger.js';
import { responseDeadlines, type Timed } from '../upstream/deadlines.js';
import { callerResponseHeaders, callerResponseHeadersRaw, upstreamRequestHeaders } from '../upstream/headers.js';
import { writeRawResponseHead } from '../upstream/response-head.js';
import { afterFailure, attemptsFor, streamFailureCode, upstreamRequest } from '../upstream/send.js';
import type { RestTarget, UpstreamSet } from '../upstream/targets.js';
import { applyHeaderEdits } from '../workflows/responses.js';
import { BodyCapture } from './capture.js';
import type { CallContext } from './context.js';
import type { GatewayCore } from './core.js';
import { errorResult } from './error-result.js';
import { declaredLength } from './rest-context.js';
import { isSmallBody, readRequestBody, requestBody, type TappedRequest } from './rest-request-body.js';
import { Stage } from './rest-stage.js';
import { bufferChunk, endBuffering, startWorkflow, type WorkflowCall, workflowHead } from './rest-workflow.js';
import { runChecks } from './steps.js';
import { startUpstreamSpan } from './trace.js';

const CALL = Symbol('gatehouse.call');

/** A caller's response, with the call that writes it. */
export type TrackedResponse = ServerResponse & { [CALL]?: RestCall };

function ignore(): void {}

const CALLER_GONE = 'the caller went away';

/**
 * One REST call, and its undici dispatch handler: the upstream response is written straight into
 * the caller's response as it arrives, with no intermediate Readable, promise or pipe() (whose
 * listeners and buffering were a large share of the per-call cost next to the bare proxy).
 */
export class RestCall implements Dispatcher.DispatchHandler, Timed, WorkflowCall {
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
  /** The upstream body's chunks while a workflow buffers it (rest-workflow.ts). */
  buffered: Buffer[] | null = null;
  bufferedBytes = 0;
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
    readonly req: TappedRequest,
    readonly res: TrackedResponse,
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
      startWorkflow(this, ctx.workflow);
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

  /** Sends the call upstream: its headers and body shaped, the backend credential applied, then dispatched. */
  send(): void {
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

  /** Writes a whole response the gateway holds (a workflow's, a preflight's); the caller's unread body is discarded. */
  answer(status: number, headers: OutgoingHeaders, body: Buffer | null): void {
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
    // Captured whether the body streams on or a workflow buffers it first (bufferChunk captures it then).
    const capture = ctx.proxy!.proxy.captureBodies;
    if (capture.enabled) {
      ctx.responseCapture = new BodyCapture(capture.maxBytes);
      ctx.responseCapture.encodedAs(upstreamHeaders['content-encoding']);
    }
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
        if (x !== null && workflowHead(this, x, statusCode, headers)) return;
        res.writeHead(statusCode, headers);
        this.declaredLength = declaredLength(headers['content-length']);
      }
    } catch (err) {
      this.headError = err;
      throw err; // undici aborts the exchange and reports it to onResponseError
    }
    this.stage = Stage.Streaming;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const ctx = this.ctx;
    if (this.ownTimeoutMs > 0) responseDeadlines.arm(this, this.ownTimeoutMs);
    if (this.stage === Stage.Buffering) {
      bufferChunk(this, controller, chunk);
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
      endBuffering(this);
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

function onResponseDrain(this: TrackedResponse): void {
  const call = this[CALL]!;
  if (call.stage === Stage.Streaming) call.resume();
}

/** The call writing this response (set by track). */
export function callOf(res: TrackedResponse): RestCall {
  return res[CALL]!;
}

/** Ties a caller's response to its call, for the response's drain and close listeners. */
export function track(res: TrackedResponse, call: RestCall): void {
  res[CALL] = call;
}
