import type { RequestRecord } from '../../core/index.js';
import { isoTime } from '../../telemetry/iso-time.js';
import { newLogId } from '../../telemetry/log-id.js';
import type { FederationCaller } from './tool-set.js';

/**
 * Whether a request to a virtual server gets a request-log entry of its own here: every request
 * but a tool call (logged per upstream call by the tool set) and notifications (no answer, no volume).
 */
export function loggedApart(method: unknown): method is string {
  return typeof method === 'string' && method !== 'tools/call' && !method.startsWith('notifications/');
}

/** The request-log entry of one request to a virtual server other than a tool call (`tools/list`, `prompts/get`, `initialize`…), for capability volume. */
export function methodEntry(
  slug: string,
  method: string,
  caller: FederationCaller,
  call: { startedAt: number; latencyMs: number; status: number; bytesIn: number },
): RequestRecord {
  return {
    id: newLogId(call.startedAt),
    requestId: caller.requestId,
    time: isoTime(call.startedAt),
    channel: 'federation',
    collectionId: null,
    proxyId: null,
    endpointId: null,
    clientId: null,
    profileId: null,
    method: 'POST',
    path: `/mcp/v/${slug}`,
    status: call.status,
    latencyMs: Math.round(call.latencyMs * 1000) / 1000,
    upstreamLatencyMs: null,
    bytesIn: call.bytesIn,
    bytesOut: 0,
    ip: caller.ip,
    userAgent: caller.userAgent,
    errorCode: null,
    mcpClient: null,
    mcpTool: null,
    requestBody: null,
    responseBody: null,
    workflow: null,
    subject: caller.subject,
    actor: caller.actor,
    mcpMethod: method.slice(0, 64),
  };
}
