import { HISTOGRAM_COLUMNS, type HistogramColumn, percentile, round } from '../histogram.js';
import { sum } from './range.js';
import type { Traffic } from '../../core/index.js';

export type { Traffic };

/** Selections summing every rollup counter, for any grouping. */
export const COUNTER_SUMS = [sum('count'), sum('errors'), sum('bytes_in'), sum('bytes_out'), sum('latency_sum_ms'), ...HISTOGRAM_COLUMNS.map((c) => sum(c))];

type SummedRow = { [K in 'count' | 'errors' | 'bytes_in' | 'bytes_out' | 'latency_sum_ms' | HistogramColumn]: unknown };

/** Request counters plus latency statistics, as every metrics answer reports them. */

/** Aggregates come back as numbers (SQLite) or numeric strings (PostgreSQL sums of bigint). */
export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** The Traffic a row of COUNTER_SUMS stands for. */
export function toTraffic(row: SummedRow): Traffic {
  const count = num(row.count);
  const errors = num(row.errors);
  const histogram = HISTOGRAM_COLUMNS.map((c) => num(row[c]));
  return {
    count,
    errors,
    errorRate: count === 0 ? 0 : errors / count,
    bytesIn: num(row.bytes_in),
    bytesOut: num(row.bytes_out),
    avgLatencyMs: count === 0 ? null : round(num(row.latency_sum_ms) / count),
    p50LatencyMs: percentile(histogram, 0.5),
    p95LatencyMs: percentile(histogram, 0.95),
    p99LatencyMs: percentile(histogram, 0.99),
  };
}
