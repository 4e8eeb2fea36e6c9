import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { GatehouseError, type MetricsQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { ALL_CLIENTS, BUCKET_LENGTH, type Resolution } from '../rollups.js';
import type { TimeRange } from '../../core/index.js';

export type { TimeRange };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The range a metrics answer covers, aligned to whole minutes (UTC); `to` is exclusive. */

interface MsRange {
  fromMs: number;
  toMs: number;
}

interface Segment {
  resolution: Resolution;
  fromMs: number;
  toMs: number;
}

/**
 * The query's range in ms, widened to whole minutes, the rollups' resolution. Without `from`/`to`
 * it is the last 24 hours.
 */
export function metricsRange(q: Pick<MetricsQuery, 'from' | 'to'>, now = Date.now()): MsRange {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - DAY_MS;
  if (!(from < to)) {
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', '`from` must be before `to`.', [{ path: 'from', message: 'must be before to' }]);
  }
  return { fromMs: Math.floor(from / MINUTE_MS) * MINUTE_MS, toMs: Math.ceil(to / MINUTE_MS) * MINUTE_MS };
}

/**
 * Covers [from, to) with the fewest rollup rows: whole days from day rows, whole hours from hour
 * rows, the ragged edges from minute rows — never coarser than `coarsest`. This is what keeps a
 * week-long query to a few thousand rows however much traffic there was.
 */
export function plan({ fromMs, toMs }: MsRange, coarsest: Resolution): Segment[] {
  if (coarsest === 'minute') return [{ resolution: 'minute', fromMs, toMs }];
  const hourStart = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const hourEnd = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (hourStart >= hourEnd) return [{ resolution: 'minute', fromMs, toMs }];
  const edges: Segment[] = [
    { resolution: 'minute', fromMs, toMs: hourStart },
    { resolution: 'minute', fromMs: hourEnd, toMs },
  ];
  const dayStart = Math.ceil(hourStart / DAY_MS) * DAY_MS;
  const dayEnd = Math.floor(hourEnd / DAY_MS) * DAY_MS;
  const middle: Segment[] =
    coarsest === 'hour' || dayStart >= dayEnd
      ? [{ resolution: 'hour', fromMs: hourStart, toMs: hourEnd }]
      : [
          { resolution: 'hour', fromMs: hourStart, toMs: dayStart },
          { resolution: 'hour', fromMs: dayEnd, toMs: hourEnd },
          { resolution: 'day', fromMs: dayStart, toMs: dayEnd },
        ];
  return [...edges, ...middle].filter((s) => s.fromMs < s.toMs);
}

/** A time as the bucket text of one resolution (`YYYY-MM-DDTHH:MM`, …). */
export function bucketText(ms: number, resolution: Resolution): string {
  return new Date(ms).toISOString().slice(0, BUCKET_LENGTH[resolution]);
}

/** The time a bucket's text stands for, as a full ISO timestamp. */
export function bucketStart(bucket: string): string {
  return new Date(`${bucket}${'0000-01-01T00:00:00.000Z'.slice(bucket.length)}`).toISOString();
}

/**
 * The condition selecting the rows that answer a metrics query: one client (or the all-clients
 * rows), optionally one collection and one channel, over the planned segments.
 */
function scope(q: MetricsQuery, coarsest: Resolution): { where: RawBuilder<boolean>; range: TimeRange } {
  const ms = metricsRange(q);
  const clientId = q.clientId ?? ALL_CLIENTS;
  // client_id repeats inside every branch: only then does SQLite turn the OR into one index range per segment.
  const segments = plan(ms, coarsest).map(
    (s) =>
      sql`(client_id = ${clientId} and resolution = ${s.resolution} and bucket >= ${bucketText(s.fromMs, s.resolution)} and bucket < ${bucketText(s.toMs, s.resolution)})`,
  );
  let where = sql<boolean>`(${sql.join(segments, sql` or `)})`;
  if (q.collectionId !== undefined) where = sql<boolean>`${where} and collection_id = ${q.collectionId}`;
  if (q.channel !== undefined) where = sql<boolean>`${where} and channel = ${q.channel}`;
  return { where, range: { from: new Date(ms.fromMs).toISOString(), to: new Date(ms.toMs).toISOString() } };
}

/** The detailed rollup rows (per endpoint, method and status) answering a metrics query; callers select and group. */
export function rollupRows(
  db: Kysely<DB>,
  q: MetricsQuery,
  coarsest: Resolution,
): { rows: SelectQueryBuilder<DB, 'metric_rollups', object>; range: TimeRange } {
  const { where, range } = scope(q, coarsest);
  return { rows: db.selectFrom('metric_rollups').where(where), range };
}

/** The per-collection total rows answering a metrics query; callers select and group. */
export function totalRows(db: Kysely<DB>, q: MetricsQuery, coarsest: Resolution): { rows: SelectQueryBuilder<DB, 'metric_totals', object>; range: TimeRange } {
  const { where, range } = scope(q, coarsest);
  return { rows: db.selectFrom('metric_totals').where(where), range };
}

/** `sum(column)` for rollup counters. */
export function sum<C extends string>(column: C) {
  return sql<number | string | null>`sum(${sql.ref(column)})`.as(column);
}
