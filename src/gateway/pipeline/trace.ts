import type { CallTrace } from '../../core/index.js';
import type { CallTracer, TraceHeaders, UpstreamSpan } from '../../telemetry/otel/tracer.js';
import { headerValue, type OutgoingHeaders } from '../net/header-map.js';
import type { RestTarget } from '../upstream/targets.js';
import type { CallContext } from './context.js';

/**
 * Tracing of the call path. Every function here is reached only when the gateway has a tracer
 * (`GATEHOUSE_OTLP_ENDPOINT`): without one a call creates no span and pays one null check.
 */

/** Opens the call's span, continuing `trace` (an MCP `_meta` or header context) or else the caller's own `traceparent`. */
export function startCallSpan(tracer: CallTracer, ctx: CallContext, trace: TraceHeaders | null): void {
  const incoming = trace ?? { traceparent: headerValue(ctx.headers, 'traceparent'), tracestate: headerValue(ctx.headers, 'tracestate') };
  ctx.span = tracer.startCall(ctx.channel === 'mcp' ? `execute_call ${ctx.method}` : ctx.method, incoming);
}

/**
 * Starts one upstream attempt in the call's trace and puts its context in the upstream request's
 * headers, over whatever `traceparent` the caller sent (the upstream's parent is now the gateway).
 * No span is built here: the export worker makes it from the request-log record.
 */
export function startUpstreamSpan(ctx: CallContext, target: RestTarget, headers: OutgoingHeaders, attempt: number): UpstreamSpan {
  const route = ctx.workflow === null ? null : (ctx.exchange?.route ?? null);
  const up = ctx.span!.startAttempt(target, attempt, route?.node ?? null, route?.name ?? null);
  // Built on each read: read once.
  const context = up.headers;
  headers.traceparent = context.traceparent!;
  if (context.tracestate) headers.tracestate = context.tracestate;
  else delete headers.tracestate;
  return up;
}

/** Ends the call's trace with what its record does not hold already; null when the call is not sampled. */
export function finishCallTrace(ctx: CallContext): CallTrace | null {
  const span = ctx.span!;
  ctx.span = null;
  const proxy = ctx.proxy;
  const wf = ctx.workflow;
  const guarded = wf === null ? undefined : ctx.exchange?.guardrails;
  return span.finish({
    route: proxy !== null && ctx.endpoint !== null ? `${proxy.proxy.basePath}${ctx.endpoint.path}` : null,
    collectionSlug: proxy?.collection.slug ?? null,
    workflowId: wf?.id ?? null,
    workflowVersion: wf?.version ?? null,
    guardrails: guarded && guarded.length > 0 ? guarded.join('; ') : null,
  });
}
