import { GatehouseError, type RequestRecord } from '../../core/index.js';
import { isoTime } from '../../telemetry/iso-time.js';
import { newLogId } from '../../telemetry/log-id.js';
import type { CallSpan, TraceHeaders, UpstreamSpan } from '../../telemetry/otel/tracer.js';
import type { LimitWindow } from '../limits/limiter.js';
import type { GatewayCore } from './core.js';

/** The federated MCP requests that reach an upstream on a caller's behalf. */
export type McpCallMethod = 'tools/call' | 'prompts/get' | 'resources/read';

/** Who makes a federated call: identified and admitted by the virtual server's adapter (its token, access list). */
export interface McpCaller {
  requestId: string;
  /** The token's subject (`user:<id>`, `service:<id>`): per-user limits count under it. */
  subject: string;
  /** The agent acting for `subject` (token exchange), or null. */
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The trace context the request carries (`_meta.traceparent` or headers). */
  trace: TraceHeaders | null;
}

/** One federated call, as the federation code hands it to the pipeline. */
export interface McpCallRequest {
  method: McpCallMethod;
  /** The virtual server's slug. */
  server: string;
  /** What the caller asked for: the tool or prompt as the virtual server shows it, or the resource URI. */
  name: string;
  upstream: { readonly name: string; readonly url: string };
  /** The same at the upstream: its tool or prompt name, or the URI. */
  upstreamName: string;
  arguments: Record<string, unknown>;
  caller: McpCaller;
  /** The per-caller rate limit of this tool; null for none (or a retry of a call already counted). */
  rateLimit: { window: LimitWindow; limit: number } | null;
}

/** The upstream leg, supplied by the federation code; `trace` is the context to send upstream (null when not tracing). */
export type McpUpstream<T> = (trace: TraceHeaders | null) => Promise<T>;

/** JSON-RPC "invalid params": the federation code's refusal of an unknown tool, prompt or resource (no upstream call made). */
const INVALID_PARAMS = -32602;

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Counts the call against its tool's per-caller limit; throws GATEHOUSE_RATE_LIMITED past it. */
async function checkRate(core: GatewayCore, call: McpCallRequest, rate: NonNullable<McpCallRequest['rateLimit']>): Promise<void> {
  const key = `fed:${call.server}:${call.name}:${call.caller.subject}`;
  const rules = [{ kind: 'rate' as const, window: rate.window, limit: rate.limit }];
  const now = Date.now();
  const decision = core.limiter.consumeNow ? core.limiter.consumeNow(key, rules, now) : await core.limiter.consume(key, rules, now);
  if (!decision.allowed) {
    const seconds = Math.max(1, Math.ceil((decision.resetAt - now) / 1_000));
    throw new GatehouseError('GATEHOUSE_RATE_LIMITED', `This tool allows ${rate.limit} calls per ${rate.window} per user; try again in ${seconds} s.`);
  }
}

/** The request log's name of the call: the tool as shown, or the method and what it names; then where it went. */
function calledAs(call: McpCallRequest): string {
  const shown = call.method === 'tools/call' ? call.name : `${call.method} ${call.name}`;
  return `${shown} → ${call.upstream.name}/${call.upstreamName}`;
}

function startSpan(core: GatewayCore, call: McpCallRequest): CallSpan | null {
  if (core.tracer === null) return null;
  const caller = call.caller;
  return core.tracer.startCall(`${call.method} ${call.name}`, caller.trace ?? {}, {
    'gatehouse.channel': 'federation',
    'gatehouse.request.id': caller.requestId,
    'url.path': `/mcp/v/${call.server}`,
    'gatehouse.mcp.server': call.server,
    'gatehouse.mcp.tool': call.name,
    'gatehouse.mcp.upstream': call.upstream.name,
    ...(caller.ip !== null ? { 'client.address': caller.ip } : {}),
  });
}

function startUpstreamSpan(span: CallSpan, call: McpCallRequest): UpstreamSpan {
  const url = new URL(call.upstream.url);
  return span.startUpstream(`${call.method} ${call.upstreamName}`, {
    'server.address': url.hostname,
    'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    'gatehouse.mcp.upstream': call.upstream.name,
    'gatehouse.mcp.tool': call.upstreamName,
  });
}

/** The request-log entry of one federated call (channel `federation`, path the virtual server's). */
function entryOf(call: McpCallRequest, startedAt: number, latencyMs: number, failure: GatehouseError | null, bytesOut: number): RequestRecord {
  const caller = call.caller;
  const latency = round(latencyMs);
  return {
    id: newLogId(startedAt),
    requestId: caller.requestId,
    time: isoTime(startedAt),
    channel: 'federation',
    collectionId: null,
    proxyId: null,
    endpointId: null,
    clientId: null,
    profileId: null,
    method: 'POST',
    path: `/mcp/v/${call.server}`,
    status: failure ? failure.status : 200,
    latencyMs: latency,
    upstreamLatencyMs: failure ? null : latency,
    bytesIn: JSON.stringify(call.arguments).length,
    bytesOut,
    ip: caller.ip,
    userAgent: caller.userAgent,
    errorCode: failure?.code ?? null,
    mcpClient: null,
    mcpTool: calledAs(call),
    requestBody: null,
    responseBody: null,
    workflow: null,
    subject: caller.subject,
    actor: caller.actor,
  };
}

function recordSafely(core: GatewayCore, entry: RequestRecord): void {
  try {
    core.recorder.record(entry);
  } catch {
    // The recorder contract is never to throw; a failing one never fails the call.
  }
}

/**
 * The pipeline entry of a federated `tools/call`, `prompts/get` or `resources/read`: limits →
 * upstream (the federation code's leg) → request log → trace. A GatehouseError (refused by a limit,
 * withheld, failed upstream) is recorded and rethrown for the adapter to answer in its protocol; a
 * refusal as JSON-RPC invalid params (unknown name) and unexpected errors are traced, not recorded.
 */
export async function runMcpCall<T>(core: GatewayCore, call: McpCallRequest, upstream: McpUpstream<T>): Promise<T> {
  const startedAt = Date.now();
  const started = performance.now();
  const span = startSpan(core, call);
  let up: UpstreamSpan | null = null;
  try {
    if (call.rateLimit !== null) await checkRate(core, call, call.rateLimit);
    up = span === null ? null : startUpstreamSpan(span, call);
    const result = await upstream(up?.headers ?? null);
    recordSafely(core, entryOf(call, startedAt, performance.now() - started, null, JSON.stringify(result ?? null).length));
    up?.end({ status: 200 });
    span?.end({ status: 200, errorCode: null });
    return result;
  } catch (err) {
    if (err instanceof GatehouseError) {
      const bytesOut = JSON.stringify({ error: { code: err.code, message: err.message } }).length;
      recordSafely(core, entryOf(call, startedAt, performance.now() - started, err, bytesOut));
      up?.end({ error: err.code });
      span?.end({ status: err.status, errorCode: err.code });
    } else {
      const refused = (err as { code?: unknown } | null)?.code === INVALID_PARAMS;
      const code = refused ? 'GATEHOUSE_NOT_FOUND' : 'GATEHOUSE_INTERNAL';
      up?.end({ error: code });
      span?.end({ status: refused ? 404 : 500, errorCode: code });
    }
    throw err;
  }
}
