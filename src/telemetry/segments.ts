import type { RequestRecord } from '../core/index.js';
import type { RequestLogSegmentTable } from '../store/schema.js';
import { newLogId } from './log-id.js';
import { forEachRow, RECORD_FIELDS, RecordBatch, type RowBatch, SEGMENT_FORMAT, scanRows } from './record-batch.js';
import { recordFromValues } from './rows.js';

const TIME = RECORD_FIELDS.indexOf('time');
const STATUS = RECORD_FIELDS.indexOf('status');
const LATENCY = RECORD_FIELDS.indexOf('latencyMs');
const REQUEST_BODY = RECORD_FIELDS.indexOf('requestBody');
const RESPONSE_BODY = RECORD_FIELDS.indexOf('responseBody');

/**
 * The stored form of one batch of raw request logs: its bytes and string table as the main thread
 * encoded them (no per-row insert, no per-row index entries: a row costs the writer well under a
 * microsecond instead of ~7), and a summary a search uses to skip the segment without decoding it.
 */
export function segmentRow(batch: RowBatch): RequestLogSegmentTable {
  let first = '';
  let last = '';
  let minLatency = Number.POSITIVE_INFINITY;
  let maxLatency = Number.NEGATIVE_INFINITY;
  let bodies = false;
  const statuses = new Set<number>();
  scanRows(batch, (row) => {
    const time = row[TIME] as string;
    if (first === '' || time < first) first = time;
    if (time > last) last = time;
    statuses.add(row[STATUS] as number);
    const latency = row[LATENCY] as number;
    if (latency < minLatency) minLatency = latency;
    if (latency > maxLatency) maxLatency = latency;
    if (row[REQUEST_BODY] !== null || row[RESPONSE_BODY] !== null) bodies = true;
  });
  return {
    id: batch.id ?? newLogId(),
    first_time: first,
    last_time: last,
    row_count: batch.rows,
    statuses: `,${[...statuses].sort((a, b) => a - b).join(',')},`,
    min_latency_ms: minLatency,
    max_latency_ms: maxLatency,
    has_bodies: bodies ? 1 : 0,
    strings: JSON.stringify(batch.strings),
    format: batch.format ?? SEGMENT_FORMAT,
    // A Buffer: the drivers bind it as a blob (better-sqlite3 refuses a bare Uint8Array).
    data: Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength),
  };
}

/** A stored segment's columns that decoding needs. */
export type StoredSegment = Pick<RequestLogSegmentTable, 'row_count' | 'strings' | 'data' | 'format'>;

/** Calls `each` with every record of a stored segment, in the order they were written. */
export function forEachRecord(segment: StoredSegment, each: (r: RequestRecord) => void): void {
  const strings = JSON.parse(segment.strings) as string[];
  forEachRow({ rows: Number(segment.row_count), bytes: segment.data, strings, format: Number(segment.format) }, (row) => each(recordFromValues(row)));
}

/** Re-encodes the records of a segment that `keep` accepts, as a new batch (for retention); null when none are kept. */
export function filterSegment(segment: StoredSegment, keep: (r: RequestRecord) => boolean): RowBatch | null {
  const out = new RecordBatch(Number(segment.row_count));
  forEachRecord(segment, (r) => {
    if (keep(r)) out.push(r, r.time);
  });
  return out.length === 0 ? null : out.take();
}
