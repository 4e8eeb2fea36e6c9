import type { Kysely } from 'kysely';
import type { DashboardQuery, EndpointTraffic, MetricsDashboard } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { HISTOGRAM_COLUMNS } from '../histogram.js';
import { toStatusCodes, toMethods } from './distribution.js';
import { toEndpoint } from './endpoints.js';
import { metricsOverview } from './overview.js';
import { rollupRows } from './range.js';
import { inSnapshot } from './snapshot.js';
import { timeseries } from './timeseries.js';
import { COUNTER_SUMS, num } from './totals.js';

const COUNTERS = ['count', 'errors', 'bytes_in', 'bytes_out', 'latency_sum_ms', ...HISTOGRAM_COLUMNS] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

function add(into: Counters, row: Record<string, unknown>): void {
  for (const c of COUNTERS) into[c] += num(row[c]);
}

function zero(): Counters {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
}

/**
 * The console's overview in one call. Status codes, methods, top and error endpoints are four
 * groupings of the same detailed rollup rows: asked one by one they read those rows four times
 * (on SQLite, one after another on the gateway's one thread), here once, grouped by endpoint ×
 * method × status, then folded in memory (a few thousand groups). Totals and the chart read the
 * small per-collection totals table. One `to` and one snapshot for all six, so they describe the same range and the same rows.
 */
export function metricsDashboard(db: Kysely<DB>, q: DashboardQuery): Promise<MetricsDashboard> {
  return inSnapshot(db, (trx) => readDashboard(trx, q));
}

async function readDashboard(db: Kysely<DB>, q: DashboardQuery): Promise<MetricsDashboard> {
  const { bucket, limit, minErrorRate, ...rest } = q;
  const filter = { ...rest, to: rest.to ?? new Date().toISOString() };
  const overview = await metricsOverview(db, filter);
  const series = await timeseries(db, { ...filter, bucket });
  const { rows, range } = rollupRows(db, filter, 'day');
  const groups = await rows
    .select(['endpoint_id', 'collection_id', 'method', 'status', ...COUNTER_SUMS])
    .groupBy(['endpoint_id', 'collection_id', 'method', 'status'])
    .execute();

  const byStatus = new Map<number, number>();
  const byMethod = new Map<string, { count: number; errors: number }>();
  const byEndpoint = new Map<string, { endpoint_id: string; collection_id: string } & Counters>();
  for (const g of groups) {
    const status = Number(g.status);
    byStatus.set(status, (byStatus.get(status) ?? 0) + num(g.count));
    const m = byMethod.get(g.method) ?? { count: 0, errors: 0 };
    m.count += num(g.count);
    m.errors += num(g.errors);
    byMethod.set(g.method, m);
    // As the endpoint rankings: calls that matched no endpoint are left out.
    if (g.endpoint_id === '') continue;
    const key = `${g.endpoint_id}\u0000${g.collection_id}`;
    const e = byEndpoint.get(key) ?? { endpoint_id: g.endpoint_id, collection_id: g.collection_id, ...zero() };
    add(e, g);
    byEndpoint.set(key, e);
  }
  const endpoints: EndpointTraffic[] = [...byEndpoint.values()].map(toEndpoint);
  const byId = (a: EndpointTraffic, b: EndpointTraffic) => (a.endpointId < b.endpointId ? -1 : a.endpointId > b.endpointId ? 1 : 0);
  // The orders of topEndpoints and errorEndpoints (endpoints.ts), in memory.
  const top = [...endpoints].sort((a, b) => b.count - a.count || byId(a, b)).slice(0, limit);
  const failing = endpoints
    .filter((e) => e.errors > 0 && e.errors >= minErrorRate * e.count)
    .sort((a, b) => b.errorRate - a.errorRate || b.errors - a.errors || byId(a, b))
    .slice(0, limit);
  return {
    overview,
    timeseries: series,
    statusCodes: toStatusCodes(
      [...byStatus].sort((a, b) => a[0] - b[0]).map(([status, count]) => ({ status, count })),
      range,
    ),
    methods: toMethods(
      [...byMethod].map(([method, m]) => ({ method, ...m })),
      range,
    ),
    topEndpoints: { ...range, endpoints: top },
    errorEndpoints: { ...range, endpoints: failing },
  };
}
