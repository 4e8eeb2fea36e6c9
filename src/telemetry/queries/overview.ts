import type { Kysely } from 'kysely';
import type { MetricsQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { sum, totalRows } from './range.js';
import { COUNTER_SUMS, num, toTraffic } from './totals.js';
import type { MetricsOverview } from '../../core/index.js';

export type { MetricsOverview };

/** Totals, error counts and latency percentiles for a range, a collection and/or a client. */
export async function metricsOverview(db: Kysely<DB>, q: MetricsQuery): Promise<MetricsOverview> {
  const { rows, range } = totalRows(db, q, 'day');
  const row = await rows.select([...COUNTER_SUMS, sum('client_errors'), sum('server_errors')]).executeTakeFirstOrThrow();
  const { count, ...traffic } = toTraffic(row);
  return {
    ...range,
    totalRequests: count,
    ...traffic,
    clientErrors: num(row.client_errors),
    serverErrors: num(row.server_errors),
  };
}
