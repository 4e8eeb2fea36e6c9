import type { Kysely } from 'kysely';
import type { MetricsQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { sum, type TimeRange, totalRows } from './range.js';
import { COUNTER_SUMS, num, type Traffic, toTraffic } from './totals.js';

/**
 * Totals for a range. An error is any status ≥ 400 or a call the pipeline tagged with an error
 * code; `errorRate` is errors / total. 4xx and 5xx are also reported apart, because a wave of 401s
 * or 429s (callers' fault) and a wave of 502s (ours or upstream's) call for different responses.
 */
export interface MetricsOverview extends TimeRange, Omit<Traffic, 'count'> {
  totalRequests: number;
  clientErrors: number;
  serverErrors: number;
}

/** Totals, error counts and latency percentiles for a range, a collection and/or a client. */
export async function metricsOverview(db: Kysely<DB>, q: MetricsQuery): Promise<MetricsOverview> {
  const { rows, range } = totalRows(db, q, 'day');
  const row = await rows
    .select([...COUNTER_SUMS, sum('client_errors'), sum('server_errors')])
    .executeTakeFirstOrThrow();
  const { count, ...traffic } = toTraffic(row);
  return {
    ...range,
    totalRequests: count,
    ...traffic,
    clientErrors: num(row.client_errors),
    serverErrors: num(row.server_errors),
  };
}
