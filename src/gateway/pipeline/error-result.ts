import { errorResponse, GatehouseError } from '../../core/index.js';
import { addRateLimitHeaders } from '../limits/headers.js';
import type { OutgoingHeaders } from '../net/header-map.js';
import type { CallContext } from './context.js';

/** A complete response the gateway itself produces. */
export interface ErrorResult {
  status: number;
  headers: OutgoingHeaders;
  body: Buffer;
}

/** Turns a failure into the JSON error response, and notes its code on the call. */
export function errorResult(ctx: CallContext, err: unknown): ErrorResult {
  const e = err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_INTERNAL');
  ctx.status = e.status;
  ctx.errorCode = e.code;
  const { body, headers } = errorResponse(e, ctx.requestId);
  if (ctx.allow !== null && e.code === 'GATEHOUSE_METHOD_NOT_ALLOWED') headers.allow = ctx.allow;
  if (e.status === 429) addRateLimitHeaders(headers, ctx.limit, Date.now());
  return { status: e.status, headers: headers as OutgoingHeaders, body };
}
