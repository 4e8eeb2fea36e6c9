import { describe, expect, it } from 'vitest';
import { rec } from '../../test/integration/telemetry-fixtures.js';
import { RecordBatch } from './record-batch.js';
import { filterSegment, forEachRecord, segmentRow } from './segments.js';

function batchOf(...records: ReturnType<typeof rec>[]) {
  const b = new RecordBatch(records.length);
  for (const r of records) b.push(r, r.time);
  return b.take();
}

describe('request-log segments', () => {
  const a = rec({ time: '2026-11-21T10:00:05.000Z', status: 404, latencyMs: 3 });
  const b = rec({ time: '2026-11-21T10:00:01.000Z', status: 200, latencyMs: 250, responseBody: '{"ok":true}' });
  const c = rec({ time: '2026-11-21T10:00:09.000Z', status: 200, latencyMs: 40 });

  it('summarizes what a search skips on: time span, statuses, latency range, bodies', () => {
    const s = segmentRow(batchOf(a, b, c));
    expect(s).toMatchObject({
      first_time: '2026-11-21T10:00:01.000Z',
      last_time: '2026-11-21T10:00:09.000Z',
      row_count: 3,
      statuses: ',200,404,',
      min_latency_ms: 3,
      max_latency_ms: 250,
      has_bodies: 1,
    });
    expect(JSON.parse(s.strings)).toContain(a.requestId);
    expect(segmentRow(batchOf(a, c)).has_bodies).toBe(0);
  });

  it('decodes back to the records as written, and keeps only what retention keeps', () => {
    const s = segmentRow(batchOf(a, b, c));
    const out: unknown[] = [];
    forEachRecord(s, (r) => out.push(r));
    expect(out).toEqual([a, b, c]);
    const kept = filterSegment(s, (r) => r.time >= '2026-11-21T10:00:05.000Z');
    expect(kept?.rows).toBe(2);
    const again: unknown[] = [];
    forEachRecord(segmentRow(kept!), (r) => again.push(r));
    expect(again).toEqual([a, c]);
    expect(filterSegment(s, () => false)).toBeNull();
  });
});
