import { addRateLimitHeaders } from '../limits/headers.js';
import type { LimitDecision } from '../limits/limiter.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import type { Exchange, WorkflowResponse } from './exchange.js';

/** Applies a workflow's request-header edits on top of what the gateway forwards (a workflow may set what a caller could not). */
export function applyHeaderEdits(out: OutgoingHeaders, x: Exchange): void {
  if (x.headerEdits === null) return;
  for (const [name, value] of x.headerEdits) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
}

/** Adds the headers every response of the call gets from its workflow (CORS). */
export function addExtraHeaders(out: OutgoingHeaders, x: Exchange): void {
  if (x.extraResponseHeaders !== null) for (const [k, v] of Object.entries(x.extraResponseHeaders)) out[k] = v;
}

/**
 * The response the caller gets once the response phase has run: the workflow's extra headers, the
 * length of the (possibly rewritten) body, and — for an answer the workflow made itself — the
 * request id and RateLimit-* headers an upstream response gets from the gateway.
 */
export function finalResponse(x: Exchange, requestId: string, limit: LimitDecision | null): WorkflowResponse & { body: Buffer } {
  const res = x.response!;
  const headers = res.headers;
  if (x.answered !== null) {
    addRateLimitHeaders(headers, limit, Date.now());
    headers['x-request-id'] = requestId;
  }
  addExtraHeaders(headers, x);
  const body = res.body ?? Buffer.alloc(0);
  headers['content-length'] = String(body.length);
  return { status: res.status, headers, body };
}

/** Stores the final response when a cache node missed; a cache that cannot store never fails the call. */
export function storeInCache(x: Exchange, response: WorkflowResponse, log: (msg: string, err: unknown) => void): void {
  if (x.cacheStore === null) return;
  try {
    const pending = x.cacheStore.store(response);
    if (pending) pending.catch((err: unknown) => log('storing a cached response failed', err));
  } catch (err) {
    log('storing a cached response failed', err);
  }
}
