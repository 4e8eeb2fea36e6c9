import type { RequestRecord } from '../core/index.js';

/** The record a decoded row holds (its values in REQUEST_LOG_COLUMNS order, see record-batch.ts). */
export function recordFromValues(v: readonly unknown[]): RequestRecord {
  return {
    id: v[0] as string,
    requestId: v[1] as string | null,
    time: v[2] as string,
    channel: v[3] as RequestRecord['channel'],
    collectionId: v[4] as string | null,
    proxyId: v[5] as string | null,
    endpointId: v[6] as string | null,
    clientId: v[7] as string | null,
    profileId: v[8] as string | null,
    method: v[9] as string,
    path: v[10] as string,
    status: v[11] as number,
    latencyMs: v[12] as number,
    upstreamLatencyMs: v[13] as number | null,
    bytesIn: v[14] as number,
    bytesOut: v[15] as number,
    ip: v[16] as string | null,
    userAgent: v[17] as string | null,
    errorCode: v[18] as string | null,
    mcpClient: v[19] as string | null,
    mcpTool: v[20] as string | null,
    requestBody: v[21] as string | null,
    responseBody: v[22] as string | null,
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
