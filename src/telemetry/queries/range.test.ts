import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { bucketStart, metricsRange, plan } from './range.js';

const MIN = 60_000;

function covered(segments: ReturnType<typeof plan>): Array<[number, number]> {
  return segments.map((s) => [s.fromMs, s.toMs] as [number, number]).sort((a, b) => a[0] - b[0]);
}

describe('metrics range', () => {
  it('widens to whole minutes and defaults to the last 24 hours', () => {
    const r = metricsRange({ from: '2026-03-10T10:00:30Z', to: '2026-03-10T11:00:00.001Z' });
    expect(new Date(r.fromMs).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(new Date(r.toMs).toISOString()).toBe('2026-03-10T11:01:00.000Z');
    const now = Date.parse('2026-03-10T12:00:00Z');
    const d = metricsRange({}, now);
    expect(d.toMs - d.fromMs).toBe(24 * 60 * MIN);
  });

  it('rejects an empty or inverted range', () => {
    expect(() => metricsRange({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:00:00Z' })).toThrow(GatehouseError);
  });

  it('covers the range exactly, with the coarsest rows that fit', () => {
    const from = Date.parse('2026-03-08T22:17:00Z');
    const to = Date.parse('2026-03-11T03:42:00Z');
    const segs = plan({ fromMs: from, toMs: to }, 'day');
    const spans = covered(segs);
    expect(spans[0]![0]).toBe(from);
    expect(spans.at(-1)![1]).toBe(to);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBe(spans[i - 1]![1]);
    expect(segs.map((s) => s.resolution).sort()).toEqual(['day', 'hour', 'hour', 'minute', 'minute']);
    const day = segs.find((s) => s.resolution === 'day')!;
    expect(new Date(day.fromMs).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(new Date(day.toMs).toISOString()).toBe('2026-03-11T00:00:00.000Z');
  });

  it('never goes coarser than asked, and uses minutes alone for short ranges', () => {
    const from = Date.parse('2026-03-08T22:17:00Z');
    const to = Date.parse('2026-03-11T03:42:00Z');
    expect(plan({ fromMs: from, toMs: to }, 'hour').some((s) => s.resolution === 'day')).toBe(false);
    expect(plan({ fromMs: from, toMs: to }, 'minute')).toEqual([{ resolution: 'minute', fromMs: from, toMs: to }]);
    expect(plan({ fromMs: from, toMs: from + 50 * MIN }, 'day').map((s) => s.resolution)).toEqual(['minute']);
  });

  it('turns bucket text back into a timestamp', () => {
    expect(bucketStart('2026-03-10T07:05')).toBe('2026-03-10T07:05:00.000Z');
    expect(bucketStart('2026-03-10T07')).toBe('2026-03-10T07:00:00.000Z');
    expect(bucketStart('2026-03-10')).toBe('2026-03-10T00:00:00.000Z');
  });
});
