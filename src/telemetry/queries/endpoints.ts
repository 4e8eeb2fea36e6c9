import { type Kysely, sql } from 'kysely';
import type { TopEndpointsQuery } from '../../core/index.js';
import type { DB } from '../../store/schema.js';
import { rollupRows } from './range.js';
import { COUNTER_SUMS, toTraffic } from './totals.js';
import type { EndpointRanking, EndpointTraffic } from '../../core/index.js';

export type { EndpointRanking, EndpointTraffic };

// Calls that matched no endpoint (endpoint_id '') are left out: they are scans and typos, and
// at a 100% error rate they would crowd every real endpoint out of the error list.
function endpointRows(db: Kysely<DB>, q: TopEndpointsQuery) {
  const { rows, range } = rollupRows(db, q, 'day');
  const grouped = rows
    .where('endpoint_id', '<>', '')
    .select(['endpoint_id', 'collection_id', ...COUNTER_SUMS])
    .groupBy(['endpoint_id', 'collection_id']);
  return { grouped, range };
}

export function toEndpoint(r: { endpoint_id: string; collection_id: string } & Parameters<typeof toTraffic>[0]): EndpointTraffic {
  return { endpointId: r.endpoint_id, collectionId: r.collection_id === '' ? null : r.collection_id, ...toTraffic(r) };
}

/** The busiest endpoints, by request count. */
export async function topEndpoints(db: Kysely<DB>, q: TopEndpointsQuery): Promise<EndpointRanking> {
  const { grouped, range } = endpointRows(db, q);
  const result = await grouped.orderBy(sql`sum(count)`, 'desc').orderBy('endpoint_id').limit(q.limit).execute();
  return { ...range, endpoints: result.map(toEndpoint) };
}

/** Endpoints whose error rate is at least `minErrorRate` (and that had errors), worst first. */
export async function errorEndpoints(db: Kysely<DB>, q: TopEndpointsQuery): Promise<EndpointRanking> {
  const { grouped, range } = endpointRows(db, q);
  const result = await grouped
    .having(sql<boolean>`sum(errors) > 0 and sum(errors) >= ${q.minErrorRate} * sum(count)`)
    .orderBy(sql`sum(errors) * 1.0 / sum(count)`, 'desc')
    .orderBy(sql`sum(errors)`, 'desc')
    .orderBy('endpoint_id')
    .limit(q.limit)
    .execute();
  return { ...range, endpoints: result.map(toEndpoint) };
}
