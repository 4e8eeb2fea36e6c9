import { randomUUID } from 'node:crypto';

/**
 * A frozen copy of the request-log segment encoding as it stood when migration 004 was written
 * (src/telemetry/record-batch.ts and segments.ts of that time), so the migration writes the format
 * it was written for whatever the live encoder later becomes. Plain rather than fast: it runs once.
 *
 * A row is its values in FIELDS order: a number as float64 little-endian (NaN for null); text as a
 * uint32 tag — 0xffffffff for null, 0x80000000 + i for entry i of the segment's string table, else
 * the byte length of the UTF-8 that follows inline.
 */
export const FIELDS_V1 = [
  'id',
  'requestId',
  'time',
  'channel',
  'collectionId',
  'proxyId',
  'endpointId',
  'clientId',
  'profileId',
  'method',
  'path',
  'status',
  'latencyMs',
  'upstreamLatencyMs',
  'bytesIn',
  'bytesOut',
  'ip',
  'userAgent',
  'errorCode',
  'mcpClient',
  'mcpTool',
  'requestBody',
  'responseBody',
] as const;

export type RecordV1 = {
  [K in (typeof FIELDS_V1)[number]]: K extends 'status' | 'latencyMs' | 'bytesIn' | 'bytesOut'
    ? number
    : K extends 'upstreamLatencyMs'
      ? number | null
      : K extends 'id' | 'time' | 'channel' | 'method' | 'path'
        ? string
        : string | null;
};

const NUMERIC = new Set(['status', 'latencyMs', 'upstreamLatencyMs', 'bytesIn', 'bytesOut']);
const INLINE = new Set(['id', 'requestBody', 'responseBody']);
const NULL_STRING = 0xffffffff;
const SHARED_BASE = 0x80000000;

/** The segment row (table `request_log_segments`) for records, in the v1 encoding. */
export interface SegmentRowV1 {
  id: string;
  first_time: string;
  last_time: string;
  row_count: number;
  statuses: string;
  min_latency_ms: number;
  max_latency_ms: number;
  has_bodies: number;
  strings: string;
  data: Buffer;
}

/** The time as the writer stored it: ISO-8601 with milliseconds, in UTC. */
export function canonicalTimeV1(time: string): string {
  if (time.length === 24 && time.endsWith('Z') && time[10] === 'T') return time;
  return new Date(time).toISOString();
}

/** A UUIDv7 as the writer made segment ids: 48 bits of Unix milliseconds, then random bits. */
function segmentIdV1(nowMs: number): string {
  const hex = nowMs.toString(16).padStart(12, '0');
  const random = randomUUID().replace(/-/g, '');
  const variant = ((Number.parseInt(random[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${random.slice(13, 16)}-${variant}${random.slice(17, 20)}-${random.slice(20, 32)}`;
}

/** Encodes records (each with its canonical time) as one v1 segment row. */
export function encodeSegmentV1(records: readonly RecordV1[]): SegmentRowV1 {
  const parts: Buffer[] = [];
  const strings: string[] = [];
  const table = new Map<string, number>();
  const tag = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  let first = '';
  let last = '';
  let minLatency = Number.POSITIVE_INFINITY;
  let maxLatency = Number.NEGATIVE_INFINITY;
  let bodies = false;
  const statuses = new Set<number>();
  for (const r of records) {
    for (const field of FIELDS_V1) {
      const value = r[field];
      if (NUMERIC.has(field)) {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(value === null ? Number.NaN : (value as number));
        parts.push(b);
      } else if (value === null) tag(NULL_STRING);
      else if (INLINE.has(field)) {
        const text = Buffer.from(value as string, 'utf8');
        tag(text.length);
        parts.push(text);
      } else {
        let i = field === 'requestId' ? undefined : table.get(value as string);
        if (i === undefined) {
          i = strings.push(value as string) - 1;
          if (field !== 'requestId') table.set(value as string, i);
        }
        tag(SHARED_BASE + i);
      }
    }
    if (first === '' || r.time < first) first = r.time;
    if (r.time > last) last = r.time;
    statuses.add(r.status);
    minLatency = Math.min(minLatency, r.latencyMs);
    maxLatency = Math.max(maxLatency, r.latencyMs);
    if (r.requestBody !== null || r.responseBody !== null) bodies = true;
  }
  return {
    id: segmentIdV1(Date.now()),
    first_time: first,
    last_time: last,
    row_count: records.length,
    statuses: `,${[...statuses].sort((a, b) => a - b).join(',')},`,
    min_latency_ms: minLatency,
    max_latency_ms: maxLatency,
    has_bodies: bodies ? 1 : 0,
    strings: JSON.stringify(strings),
    data: Buffer.concat(parts),
  };
}
