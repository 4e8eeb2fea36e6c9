import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { headerValue } from '../auth/credential-header.js';
import { resolveClientIp } from '../net/client-ip.js';
import { displayIp, ipMatches, parseIp } from '../net/ip-matcher.js';
import { callerResponseHeaders, upstreamRequestHeaders } from '../upstream/headers.js';
import { sendUpstream } from '../upstream/send.js';
import { BodyCapture } from './capture.js';
import { CallContext } from './context.js';
import type { GatewayCore } from './core.js';
import { errorResult } from './error-result.js';
import { recordCall } from './record.js';
import { requestIdFrom } from './request-id.js';
import { runChecks } from './steps.js';

const CALL = Symbol('gatehouse.call');
const TAP = Symbol('gatehouse.tap');

/** What the listeners of one call need; hung on the response and the upstream body so no listener is a closure. */
interface RestCall {
  core: GatewayCore;
  ctx: CallContext;
  res: ServerResponse;
  /** The upstream body being piped to the caller, once there is one. */
  body: Readable | null;
}
type Tracked = { [CALL]?: RestCall };

/** Counts (and, when enabled, captures) a request body whose length is not declared up front. */
class RequestTap extends Transform {
  constructor(private readonly ctx: CallContext) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.ctx.bytesIn += chunk.length;
    this.ctx.requestCapture?.push(chunk);
    done(null, chunk);
  }
}

function ignore(): void {}

function countResponseChunk(this: Readable & Tracked, chunk: Buffer): void {
  const ctx = this[CALL]!.ctx;
  ctx.bytesOut += chunk.length;
  ctx.responseCapture?.push(chunk);
}

/** The upstream body failed mid-stream: the caller cannot get a whole response, so cut its connection. */
function onUpstreamBodyError(this: Readable & Tracked): void {
  this[CALL]!.res.destroy();
}

function onResponseClose(this: ServerResponse & Tracked): void {
  const call = this[CALL]!;
  const { core, ctx, body } = call;
  // The caller went away mid-response: stop reading the upstream (its abort error has no listener left).
  if (body !== null && !body.readableEnded) body.on('error', ignore).destroy();
  // The caller went away before any response: log it the way proxies conventionally do.
  if (ctx.status === 0) ctx.status = 499;
  recordCall(core, ctx);
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
  return ctx;
}

function abortTapIfIncomplete(this: IncomingMessage & { [TAP]?: RequestTap }): void {
  if (!this.complete) this[TAP]?.destroy(new Error('the caller aborted the request'));
}

/**
 * The body to stream upstream, through a counting tap rather than the request itself: undici destroys
 * a failed call's body, and destroying the request would cut the socket before the 502 goes out.
 */
function requestBody(ctx: CallContext, req: IncomingMessage & { [TAP]?: RequestTap }): Readable | null {
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return null;
  const capture = ctx.proxy!.proxy.captureBodies;
  if (capture.enabled) ctx.requestCapture = new BodyCapture(capture.maxBytes);
  const tap = new RequestTap(ctx);
  req[TAP] = tap;
  req.once('close', abortTapIfIncomplete);
  req.pipe(tap);
  return tap;
}

async function forward(core: GatewayCore, ctx: CallContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const checking = runChecks(ctx, core);
    if (checking) await checking;
    const headers = upstreamRequestHeaders(ctx, ctx.trustedPeer, false);
    const up = await sendUpstream(ctx, core.upstreams.setFor(ctx.proxy!), headers, requestBody(ctx, req));
    ctx.status = up.statusCode;
    if (res.destroyed) {
      // Destroying an unfinished undici body emits an abort error; nobody is left to hear it.
      up.body.on('error', ignore).destroy();
      return;
    }
    res.writeHead(up.statusCode, callerResponseHeaders(up.headers, ctx, ctx.limit, Date.now()));
    const capture = ctx.proxy!.proxy.captureBodies;
    if (capture.enabled) ctx.responseCapture = new BodyCapture(capture.maxBytes);
    // pipe() plus two listeners rather than stream.pipeline(), which allocates an AbortController per
    // call and aborts it (building a DOMException) when the call ends: several % of proxy throughput.
    const call = (res as ServerResponse & Tracked)[CALL]!;
    const body = up.body as Readable & Tracked;
    call.body = body;
    body[CALL] = call;
    body.on('data', countResponseChunk);
    body.on('error', onUpstreamBodyError);
    body.pipe(res);
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (!req.complete) {
      // Read and discard the rest of the body so the caller can finish sending and read the error.
      req.unpipe();
      req.resume();
    }
    const e = errorResult(ctx, err);
    ctx.bytesOut = e.body.length;
    res.writeHead(e.status, e.headers);
    res.end(e.body);
  }
}

/** The node:http entry: streams the call through the pipeline to the upstream and back. */
export function handleRest(core: GatewayCore, req: IncomingMessage, res: ServerResponse): void {
  const ctx = contextFor(core, req);
  (res as ServerResponse & Tracked)[CALL] = { core, ctx, res, body: null };
  res.once('close', onResponseClose);
  void forward(core, ctx, req, res);
}
