import { type Kysely, sql } from 'kysely';
import { GatehouseError, type TimeseriesQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { BUCKET_LENGTH } from '../rollups.js';
import { bucketStart, metricsRange, totalRows } from './range.js';
import { COUNTER_SUMS, toTraffic } from './totals.js';
import type { Timeseries, TimeseriesPoint } from '../../core/index.js';

export type { Timeseries, TimeseriesPoint };

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
// A chart has no use for more points; the cap also bounds the work of minute buckets.
const MAX_BUCKETS = 5000;

/** Traffic per minute, hour or day (UTC) over a range. */
export async function timeseries(db: Kysely<DB>, q: TimeseriesQuery): Promise<Timeseries> {
  const { fromMs, toMs } = metricsRange(q);
  if ((toMs - fromMs) / BUCKET_MS[q.bucket] > MAX_BUCKETS) {
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `The range holds more than ${MAX_BUCKETS} ${q.bucket} buckets.`, [
      { path: 'bucket', message: 'range too long for this bucket size' },
    ]);
  }
  const { bucket: size, ...filter } = q;
  const { rows, range } = totalRows(db, filter, size);
  // Every finer bucket's text starts with its coarser bucket's text, so a prefix groups them.
  const key = sql<string>`substr(bucket, 1, ${sql.lit(BUCKET_LENGTH[size])})`;
  const result = await rows
    .select([key.as('b'), ...COUNTER_SUMS])
    .groupBy(key)
    .orderBy(key)
    .execute();
  return { ...range, bucket: size, points: result.map((r) => ({ start: bucketStart(r.b), ...toTraffic(r) })) };
}
