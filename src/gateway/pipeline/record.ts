import type { RequestRecord } from '../../core/index.js';
import { headerValue } from '../net/header-map.js';
import type { CallContext } from './context.js';
import type { GatewayCore } from './core.js';
import { finishCallTrace } from './trace.js';
import { isoTime } from '../../telemetry/iso-time.js';
import { newLogId } from '../../telemetry/log-id.js';

/** A latency as every request-log entry holds it (REST and federated calls alike): milliseconds to the microsecond. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Hands an entry to the recorder without waiting; a failing recorder never fails the call (REST and federated calls alike). */
export function handOff(core: GatewayCore, entry: RequestRecord): void {
  try {
    core.recorder.record(entry);
  } catch {
    // The recorder contract is never to throw; if one does, the response is already out.
  }
}

/** The request-log entry for a finished call. */
export function buildRecord(ctx: CallContext): RequestRecord {
  const proxy = ctx.proxy;
  // A body a guardrail redacted is logged as redacted, as the upstream or the caller got it: the log never keeps what it took out.
  const x = ctx.exchange;
  if (x?.redacted.request && x.requestBody !== null) ctx.requestCapture?.replaceWith(x.requestBody);
  if (x?.redacted.response && x.response?.body) ctx.responseCapture?.replaceWith(x.response.body);
  const redact = proxy?.proxy.captureBodies.redactFields ?? [];
  return {
    // Not the X-Request-Id: a caller's (or a guessed next) id must not suppress or overwrite an entry.
    id: newLogId(ctx.startedAt),
    requestId: ctx.requestId,
    time: isoTime(ctx.startedAt),
    channel: ctx.channel,
    collectionId: proxy?.collection.id ?? null,
    proxyId: proxy?.proxy.id ?? null,
    endpointId: ctx.endpoint?.id ?? null,
    clientId: ctx.caller?.client.id ?? null,
    profileId: ctx.caller?.profile.id ?? null,
    method: ctx.method,
    path: ctx.path,
    status: ctx.status,
    latencyMs: roundMs(performance.now() - ctx.startTick),
    upstreamLatencyMs: ctx.upstreamMs === null ? null : roundMs(ctx.upstreamMs),
    bytesIn: ctx.bytesIn,
    bytesOut: ctx.bytesOut,
    ip: ctx.ip,
    userAgent: headerValue(ctx.headers, 'user-agent') ?? null,
    errorCode: ctx.errorCode,
    mcpClient: ctx.mcpClient,
    mcpTool: ctx.mcpTool,
    requestBody: ctx.requestCapture?.text(redact) ?? null,
    responseBody: ctx.responseCapture?.text(redact) ?? null,
    workflow: ctx.exchange === null ? null : ctx.exchange.summary(ctx.workflow!.label),
    subject: subjectOf(ctx),
    actor: null,
    // A call on the Gateway MCP reaches the pipeline only as a tool call (execute_call).
    mcpMethod: ctx.channel === 'mcp' ? 'tools/call' : null,
  };
}

/** Who the call was made as: a signed-in person (Gateway MCP), else a JWT caller's `sub`; null when only a profile is known. */
function subjectOf(ctx: CallContext): string | null {
  if (ctx.preauth?.subject) return ctx.preauth.subject;
  const sub = ctx.claims?.sub;
  return typeof sub === 'string' && sub.length > 0 ? `jwt:${sub.slice(0, 200)}` : null;
}

/**
 * record: hands the entry to the recorder without waiting, or to `take` (a virtual server's REST
 * tool, whose call it completes and records as its one row); a failing recorder never fails the call.
 */
export function recordCall(core: GatewayCore, ctx: CallContext, take?: (entry: RequestRecord) => void): void {
  let record: RequestRecord;
  try {
    record = buildRecord(ctx);
    // The sampled call's trace rides on its record: the export worker builds its spans from it.
    if (ctx.span !== null) record.trace = finishCallTrace(ctx);
  } catch {
    // Building the entry never fails the call either: the response is already out.
    return;
  }
  if (take) take(record);
  else handOff(core, record);
}
