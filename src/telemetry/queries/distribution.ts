import type { Kysely } from 'kysely';
import type { MetricsQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { rollupRows, sum } from './range.js';
import { num } from './totals.js';
import type { MethodDistribution, StatusCodeDistribution, TimeRange } from '../../core/index.js';

export type { MethodDistribution, StatusCodeDistribution };

/** Requests per exact status code, and per status class. */
export async function statusCodes(db: Kysely<DB>, q: MetricsQuery): Promise<StatusCodeDistribution> {
  const { rows, range } = rollupRows(db, q, 'day');
  const result = await rows
    .select(['status', sum('count')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  return toStatusCodes(
    result.map((r) => ({ status: Number(r.status), count: num(r.count) })),
    range,
  );
}

/** The distribution of exact codes (ascending), with their classes and total. */
export function toStatusCodes(codes: { status: number; count: number }[], range: TimeRange): StatusCodeDistribution {
  const classes: Record<string, number> = {};
  for (const { status, count } of codes) {
    const cls = `${Math.floor(status / 100)}xx`;
    classes[cls] = (classes[cls] ?? 0) + count;
  }
  return { ...range, total: codes.reduce((a, c) => a + c.count, 0), codes, classes };
}

/** Requests and errors per HTTP method. */
export async function methods(db: Kysely<DB>, q: MetricsQuery): Promise<MethodDistribution> {
  const { rows, range } = rollupRows(db, q, 'day');
  const result = await rows
    .select(['method', sum('count'), sum('errors')])
    .groupBy('method')
    .execute();
  return toMethods(
    result.map((r) => ({ method: r.method, count: num(r.count), errors: num(r.errors) })),
    range,
  );
}

/** Calls and errors per method, busiest first. */
export function toMethods(counts: { method: string; count: number; errors: number }[], range: TimeRange): MethodDistribution {
  const list = counts
    .map(({ method, count, errors }) => ({ method, count, errors, errorRate: count === 0 ? 0 : errors / count }))
    .sort((a, b) => b.count - a.count || a.method.localeCompare(b.method));
  return { ...range, total: list.reduce((a, m) => a + m.count, 0), methods: list };
}
