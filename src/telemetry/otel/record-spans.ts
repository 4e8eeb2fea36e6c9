import { type Attributes, SpanKind } from '@opentelemetry/api';
import type { CallTrace, RequestRecord, UpstreamTrace } from '../../core/index.js';
import { addGuardrailAttributes } from './guardrail-attributes.js';
import type { SpanRecord } from './span-record.js';

/** The call's SERVER span: named by its route once it has one, with what the request log records about it. */
function serverSpan(r: RequestRecord, t: CallTrace): SpanRecord {
  const prefix = r.channel === 'mcp' ? 'execute_call ' : '';
  const attributes: Attributes = {
    'gatehouse.channel': r.channel,
    'http.request.method': r.method,
    'url.path': r.path,
  };
  if (r.requestId !== null) attributes['gatehouse.request.id'] = r.requestId;
  if (t.route !== null) attributes['http.route'] = t.route;
  if (r.proxyId !== null) {
    if (r.collectionId !== null) attributes['gatehouse.collection.id'] = r.collectionId;
    if (t.collectionSlug !== null) attributes['gatehouse.collection.slug'] = t.collectionSlug;
    attributes['gatehouse.proxy.id'] = r.proxyId;
  }
  if (r.endpointId !== null) attributes['gatehouse.endpoint.id'] = r.endpointId;
  if (t.workflowId !== null) {
    attributes['gatehouse.workflow.id'] = t.workflowId;
    if (t.workflowVersion !== null) attributes['gatehouse.workflow.version'] = t.workflowVersion;
    // Scalars only (the span encoder writes no arrays): the outcomes joined, the most severe, the approval named.
    if (t.guardrails !== null) addGuardrailAttributes(attributes, t.guardrails.split('; '));
  }
  if (r.clientId !== null) attributes['gatehouse.client.id'] = r.clientId;
  if (r.profileId !== null) attributes['gatehouse.profile.id'] = r.profileId;
  if (r.ip !== null) attributes['client.address'] = r.ip;
  if (r.mcpTool !== null) attributes['gatehouse.mcp.tool'] = r.mcpTool;
  if (r.mcpClient !== null) attributes['gatehouse.mcp.client'] = r.mcpClient;
  if (r.upstreamLatencyMs !== null) attributes['gatehouse.upstream_latency_ms'] = r.upstreamLatencyMs;
  return {
    name: t.route === null ? `${prefix}${r.method}` : `${prefix}${r.method} ${t.route}`,
    kind: SpanKind.SERVER,
    traceId: t.traceId,
    spanId: t.spanId,
    parentSpanId: t.parentSpanId,
    parentRemote: t.parentRemote,
    traceFlags: t.traceFlags,
    traceState: t.traceState,
    startMs: t.startMs,
    endMs: t.endMs,
    httpStatus: r.status,
    errorType: r.errorCode,
    attributes,
  };
}

/** The CLIENT span of one upstream attempt, child of the call's span. */
function clientSpan(r: RequestRecord, t: CallTrace, up: UpstreamTrace): SpanRecord {
  const attributes: Attributes = {
    'http.request.method': r.method,
    'server.address': up.host,
    'server.port': up.port,
    'gatehouse.upstream.attempt': up.attempt,
  };
  if (t.workflowId !== null) {
    attributes['gatehouse.workflow.id'] = t.workflowId;
    if (t.workflowVersion !== null) attributes['gatehouse.workflow.version'] = t.workflowVersion;
    if (up.routeNode !== null) {
      attributes['gatehouse.workflow.node.id'] = up.routeNode;
      attributes['gatehouse.workflow.node.type'] = 'route';
      if (up.routeGroup !== null) attributes['gatehouse.workflow.route.group'] = up.routeGroup;
    }
  }
  return {
    name: `upstream ${r.method}`,
    kind: SpanKind.CLIENT,
    traceId: t.traceId,
    spanId: up.spanId,
    parentSpanId: t.spanId,
    parentRemote: false,
    traceFlags: t.traceFlags,
    traceState: t.traceState,
    startMs: up.startMs,
    // An attempt still open when the call ended (its response never came) ends with the call.
    endMs: up.endMs === 0 ? t.endMs : up.endMs,
    httpStatus: up.status,
    errorType: up.error,
    attributes,
  };
}

/** The spans a traced call's request-log record describes: its SERVER span and a CLIENT span per upstream attempt (none when untraced). */
export function spansOfRecord(r: RequestRecord): SpanRecord[] {
  const t = r.trace;
  if (!t) return [];
  const out = [serverSpan(r, t)];
  for (const up of t.upstreams) out.push(clientSpan(r, t, up));
  return out;
}
