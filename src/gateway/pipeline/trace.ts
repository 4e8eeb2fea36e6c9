import type { Attributes } from '@opentelemetry/api';
import type { CallTracer, TraceHeaders, UpstreamSpan } from '../../telemetry/otel/tracer.js';
import { headerValue, type OutgoingHeaders } from '../net/header-map.js';
import type { UpstreamTarget } from '../upstream/targets.js';
import type { CallContext } from './context.js';
import { addGuardrailAttributes } from './guardrail-attributes.js';

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
 * Opens the child span of one upstream attempt and puts its context in the upstream request's
 * headers, over whatever `traceparent` the caller sent (the upstream's parent is now the gateway).
 */
export function startUpstreamSpan(ctx: CallContext, target: UpstreamTarget, headers: OutgoingHeaders, attempt: number): UpstreamSpan {
  const attributes: Attributes = {
    'http.request.method': ctx.method,
    'server.address': target.host,
    'server.port': target.port,
    'gatehouse.upstream.attempt': attempt,
  };
  if (ctx.workflow !== null) addWorkflowAttributes(attributes, ctx);
  const up = ctx.span!.startUpstream(`upstream ${ctx.method}`, attributes);
  headers.traceparent = up.headers.traceparent!;
  if (up.headers.tracestate) headers.tracestate = up.headers.tracestate;
  else delete headers.tracestate;
  return up;
}

/** The workflow a call runs, and the route node (and its group) that sent it to the upstream it went to. */
function addWorkflowAttributes(attributes: Attributes, ctx: CallContext): void {
  const wf = ctx.workflow!;
  attributes['gatehouse.workflow.id'] = wf.id;
  attributes['gatehouse.workflow.version'] = wf.version;
  const route = ctx.exchange?.route ?? null;
  if (route === null) return;
  attributes['gatehouse.workflow.node.id'] = route.node;
  attributes['gatehouse.workflow.node.type'] = 'route';
  attributes['gatehouse.workflow.route.group'] = route.name;
}

/** Closes the call's span with what the request log records about it, named by its route once it has one. */
export function endCallSpan(ctx: CallContext): void {
  const span = ctx.span!;
  ctx.span = null;
  const proxy = ctx.proxy;
  const route = proxy !== null && ctx.endpoint !== null ? `${proxy.proxy.basePath}${ctx.endpoint.path}` : null;
  if (route !== null) span.rename(`${ctx.channel === 'mcp' ? 'execute_call ' : ''}${ctx.method} ${route}`);
  const attributes: Attributes = {
    'gatehouse.channel': ctx.channel,
    'gatehouse.request.id': ctx.requestId,
    'http.request.method': ctx.method,
    'url.path': ctx.path,
  };
  if (route !== null) attributes['http.route'] = route;
  if (proxy !== null) {
    attributes['gatehouse.collection.id'] = proxy.collection.id;
    attributes['gatehouse.collection.slug'] = proxy.collection.slug;
    attributes['gatehouse.proxy.id'] = proxy.proxy.id;
  }
  if (ctx.endpoint !== null) attributes['gatehouse.endpoint.id'] = ctx.endpoint.id;
  if (ctx.workflow !== null) {
    attributes['gatehouse.workflow.id'] = ctx.workflow.id;
    attributes['gatehouse.workflow.version'] = ctx.workflow.version;
    // What guardrails found and did: kinds and counts, never a matched value (scalars: the span encoder writes no arrays).
    if (ctx.exchange) addGuardrailAttributes(attributes, ctx.exchange.guardrails);
  }
  if (ctx.caller !== null) {
    attributes['gatehouse.client.id'] = ctx.caller.client.id;
    attributes['gatehouse.profile.id'] = ctx.caller.profile.id;
  }
  if (ctx.ip !== null) attributes['client.address'] = ctx.ip;
  if (ctx.mcpTool !== null) attributes['gatehouse.mcp.tool'] = ctx.mcpTool;
  if (ctx.mcpClient !== null) attributes['gatehouse.mcp.client'] = ctx.mcpClient;
  if (ctx.upstreamMs !== null) attributes['gatehouse.upstream_latency_ms'] = Math.round(ctx.upstreamMs * 1000) / 1000;
  span.setAttributes(attributes);
  span.end({ status: ctx.status, errorCode: ctx.errorCode });
}
