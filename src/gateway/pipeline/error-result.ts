import { errorResponse, GatehouseError } from '../../core/index.js';
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
  // A limit's refusal carries its RateLimit-* and Retry-After headers (see limits/limit-step.ts).
  if (e.headers !== undefined) Object.assign(headers, e.headers);
  return { status: e.status, headers: headers as OutgoingHeaders, body };
}
