import type { Readable } from 'node:stream';
import { type ErrorCode, GatehouseError, type RequestRecord, requestIdFrom } from '../../core/index.js';
import { headerValue, type OutgoingHeaders } from '../net/header-map.js';
import { callerResponseHeaders, upstreamRequestHeaders } from '../upstream/headers.js';
import { abortError, sendUpstream } from '../upstream/send.js';
import { applyBackendAuth, backendAuthOf, retryAfterUnauthorized } from '../credentials/apply.js';
import type { TraceHeaders } from '../../telemetry/otel/tracer.js';
import { BodyCapture } from './capture.js';
import { CallContext, type PreauthenticatedCaller } from './context.js';
import type { GatewayCore } from './core.js';
import { errorResult } from './error-result.js';
import { recordCall } from './record.js';
import { startCallSpan } from './trace.js';
import { runChecks } from './steps.js';
import { Exchange } from '../workflows/exchange.js';
import { applyHeaderEdits, finalResponse, storeInCache } from '../workflows/responses.js';
import { runNodes, runRequestPhase } from '../workflows/run.js';
import { shownHeaders } from './shown-headers.js';

/** A channel-neutral call, as adapters such as the Gateway MCP hand it to the pipeline. */
export interface GatewayRequest {
  channel: 'rest' | 'mcp';
  method: string;
  /** Path and optional query, e.g. `/shop/v1/orders/42?expand=items`. */
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer | null;
  /** The caller's address, for IP allowlists and logs. */
  ip?: string | null;
  secure?: boolean;
  /** Set when the adapter has already authenticated the caller; credentials in headers are then ignored. */
  caller?: PreauthenticatedCaller | null;
  mcpClient?: string | null;
  mcpTool?: string | null;
  requestId?: string;
  /** The endpoint the call was validated against; a path that routes elsewhere is refused as not found. */
  endpointId?: string;
  /** The W3C trace context the call continues (an MCP request's `_meta` or headers), when the gateway traces. */
  trace?: TraceHeaders | null;
}

/** The buffered outcome of a call. */
export interface GatewayResponse {
  status: number;
  headers: OutgoingHeaders;
  body: Buffer;
  /** The upstream body was longer than the response limit and was cut there. */
  truncated: boolean;
  requestId: string;
  errorCode: ErrorCode | null;
}

function ignore(): void {}

function lowerCased(headers: GatewayRequest['headers']): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  if (headers) for (const name in headers) out[name.toLowerCase()] = headers[name];
  return out;
}

/** Options of the buffered entry. */
export interface ExecuteOptions {
  /** Cancels the call: before the upstream is reached nothing is sent; after, the upstream request is aborted. */
  signal?: AbortSignal;
  /**
   * Takes the call's request-log entry instead of the recorder: a virtual server's REST tool writes
   * its tool call's facts into it and records it as the call's one row (see runMcpCall).
   */
  onRecord?: RowAdopter;
}

/** Takes a call's request-log entry in place of the recorder: the pipeline's handle, which MCP code only passes back to it. */
export type RowAdopter = (entry: RequestRecord) => void;

async function readLimited(body: Readable, max: number, capture: BodyCapture | null): Promise<{ body: Buffer; truncated: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    capture?.push(buf);
    if (size + buf.length > max) {
      parts.push(buf.subarray(0, max - size));
      body.on('error', ignore).destroy();
      return { body: Buffer.concat(parts, max), truncated: true };
    }
    parts.push(buf);
    size += buf.length;
  }
  return { body: Buffer.concat(parts, size), truncated: false };
}

function contextFor(request: GatewayRequest, headers: Record<string, string | string[] | undefined>): CallContext {
  const q = request.path.indexOf('?');
  const ctx = new CallContext(
    request.requestId ?? requestIdFrom(headerValue(headers, 'x-request-id')),
    request.channel,
    request.method.toUpperCase(),
    q === -1 ? request.path : request.path.slice(0, q),
    q === -1 ? '' : request.path.slice(q),
    headers,
    request.ip ?? null,
    request.ip ?? null,
    request.secure === true,
  );
  ctx.preauth = request.caller ?? null;
  ctx.mcpClient = request.mcpClient ?? null;
  ctx.mcpTool = request.mcpTool ?? null;
  ctx.expectedEndpointId = request.endpointId ?? null;
  return ctx;
}

async function run(core: GatewayCore, ctx: CallContext, body: Buffer, signal: AbortSignal | null): Promise<GatewayResponse> {
  if (body.length > core.limits.maxRequestBytes) throw new GatehouseError('GATEHOUSE_BODY_TOO_LARGE');
  ctx.declaredBytesIn = body.length;
  await runChecks(ctx, core);
  if (signal?.aborted) throw abortError(signal);
  if (ctx.preflight !== null) return whole(ctx, 204, { ...ctx.preflight, 'x-request-id': ctx.requestId }, Buffer.alloc(0));
  const capture = ctx.proxy!.proxy.captureBodies;
  ctx.bytesIn = body.length;
  if (capture.enabled) {
    ctx.requestCapture = new BodyCapture(capture.maxBytes);
    ctx.requestCapture.encodedAs(ctx.headers['content-encoding']);
    ctx.requestCapture.push(body);
    ctx.responseCapture = new BodyCapture(capture.maxBytes);
  }
  const wf = ctx.workflow;
  if (wf === null) return upstream(core, ctx, body, signal);
  const x = new Exchange(ctx);
  ctx.exchange = x;
  if (wf.requestBody && body.length > 0) {
    if (body.length > wf.bodyLimitBytes) throw new GatehouseError('GATEHOUSE_WORKFLOW_BODY_TOO_LARGE');
    x.setRequestBody(body);
  }
  await runRequestPhase(wf.request, x);
  if (signal?.aborted) throw abortError(signal);
  if (x.answered === null) {
    const res = await upstream(core, ctx, x.requestBody ?? body, signal);
    if (res.truncated && (wf.responseBody || x.cacheStore !== null)) throw new GatehouseError('GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE');
    x.setResponse({ status: res.status, headers: res.headers, body: res.body });
  }
  // A cache hit is already the response phase's output.
  if (x.answered !== 'cache') {
    x.phase = 'response';
    await runNodes(wf.response, x);
  }
  const out = finalResponse(x, ctx.requestId, ctx.limit);
  storeInCache(x, out, core.workflows.log);
  // A model reads an execute_call's headers too, a cached answer's as well; what is stored stays as sent, for REST callers.
  const headers = ctx.channel === 'mcp' ? await shownHeaders(wf, x, out.headers) : out.headers;
  return whole(ctx, out.status, headers, out.body);
}

function whole(ctx: CallContext, status: number, headers: OutgoingHeaders, body: Buffer): GatewayResponse {
  ctx.status = status;
  delete headers['content-length'];
  return { status, headers, body, truncated: false, requestId: ctx.requestId, errorCode: null };
}

/** The upstream exchange of a buffered call (with a workflow's edits to the path, query, headers and body). */
async function upstream(core: GatewayCore, ctx: CallContext, body: Buffer, signal: AbortSignal | null): Promise<GatewayResponse> {
  const x = ctx.exchange;
  const headers = upstreamRequestHeaders(ctx, false, true);
  if (x !== null) applyHeaderEdits(headers, x);
  const set = x?.route?.set ?? core.upstreams.setFor(ctx.proxy!);
  ctx.backendAuth = backendAuthOf(ctx);
  await applyBackendAuth(ctx, headers, core.tokens);
  let up = await sendUpstream(ctx, set, headers, body.length > 0 ? body : null, signal);
  if (retryAfterUnauthorized(ctx, up.statusCode, core.tokens, true)) {
    // The upstream refused the access token: once more with a fresh one.
    await up.body.dump();
    await applyBackendAuth(ctx, headers, core.tokens);
    up = await sendUpstream(ctx, set, headers, body.length > 0 ? body : null, signal);
  }
  ctx.status = up.statusCode;
  ctx.responseCapture?.encodedAs(up.headers['content-encoding']);
  let read: { body: Buffer; truncated: boolean };
  try {
    read = await readLimited(up.body, core.limits.maxResponseBytes, ctx.responseCapture);
  } catch (err) {
    if (signal?.aborted) throw abortError(signal);
    throw err;
  }
  const out = callerResponseHeaders(up.headers, ctx, ctx.limit, Date.now());
  // The body is whole or cut here, so its upstream framing no longer applies.
  delete out['content-length'];
  return { status: up.statusCode, headers: out, body: read.body, truncated: read.truncated, requestId: ctx.requestId, errorCode: null };
}

/** The buffered entry: runs the same steps as REST traffic and returns the whole (size-capped) response. */
export async function executeCall(core: GatewayCore, request: GatewayRequest, options: ExecuteOptions = {}): Promise<GatewayResponse> {
  const headers = lowerCased(request.headers);
  const ctx = contextFor(request, headers);
  if (core.tracer !== null) startCallSpan(core.tracer, ctx, request.trace ?? null);
  let response: GatewayResponse;
  try {
    response = await run(core, ctx, request.body ?? Buffer.alloc(0), options.signal ?? null);
  } catch (err) {
    const e = errorResult(ctx, err);
    response = { ...e, truncated: false, requestId: ctx.requestId, errorCode: ctx.errorCode };
  }
  ctx.bytesOut = response.body.length;
  recordCall(core, ctx, options.onRecord);
  return response;
}
