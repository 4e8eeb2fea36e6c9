import type { RequestRecord } from '../core/index.js';
import type { RequestLogTable } from '../store/schema.js';

/** The stored row for a record. */
export function toRow(r: RequestRecord): RequestLogTable {
  return {
    id: r.id,
    request_id: r.requestId,
    time: r.time,
    channel: r.channel,
    collection_id: r.collectionId,
    proxy_id: r.proxyId,
    endpoint_id: r.endpointId,
    client_id: r.clientId,
    profile_id: r.profileId,
    method: r.method,
    path: r.path,
    status: r.status,
    latency_ms: r.latencyMs,
    upstream_latency_ms: r.upstreamLatencyMs,
    bytes_in: r.bytesIn,
    bytes_out: r.bytesOut,
    ip: r.ip,
    user_agent: r.userAgent,
    error_code: r.errorCode,
    mcp_client: r.mcpClient,
    mcp_tool: r.mcpTool,
    request_body: r.requestBody,
    response_body: r.responseBody,
  };
}

/** The record a stored row holds. */
export function fromRow(row: RequestLogTable): RequestRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    time: row.time,
    channel: row.channel as RequestRecord['channel'],
    collectionId: row.collection_id,
    proxyId: row.proxy_id,
    endpointId: row.endpoint_id,
    clientId: row.client_id,
    profileId: row.profile_id,
    method: row.method,
    path: row.path,
    status: Number(row.status),
    latencyMs: Number(row.latency_ms),
    upstreamLatencyMs: row.upstream_latency_ms === null ? null : Number(row.upstream_latency_ms),
    bytesIn: Number(row.bytes_in),
    bytesOut: Number(row.bytes_out),
    ip: row.ip,
    userAgent: row.user_agent,
    errorCode: row.error_code,
    mcpClient: row.mcp_client,
    mcpTool: row.mcp_tool,
    requestBody: row.request_body,
    responseBody: row.response_body,
  };
}

/**
 * The time as `YYYY-MM-DDTHH:MM:SS.sssZ`. Stored times compare as strings, so every row must use
 * this one form; the common case (already canonical) costs a length check.
 */
export function canonicalTime(time: string): string {
  if (time.length === 24 && time.charCodeAt(23) === 90 /* Z */ && time.charCodeAt(10) === 84 /* T */) return time;
  return new Date(time).toISOString();
}
