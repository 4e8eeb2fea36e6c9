import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';
import { canonicalTimeV1, encodeSegmentV1, type RecordV1, type SegmentRowV1 } from './frozen/segment-encoding-v1.js';

const CHUNK = 500;

/**
 * Raw request logs move from one row per call (six B-trees to update per call: ~7 µs of writer CPU
 * each, the largest cost left next to proxying) to one row per batch of calls: the batch's encoded
 * bytes with a summary for skipping (src/telemetry/segments.ts). Existing rows are carried over.
 */
export const requestLogSegments: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('request_log_segments')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('first_time', 'varchar(40)', (c) => c.notNull())
      .addColumn('last_time', 'varchar(40)', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('statuses', 'text', (c) => c.notNull())
      .addColumn('min_latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('max_latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('has_bodies', 'integer', (c) => c.notNull())
      .addColumn('strings', 'text', (c) => c.notNull())
      .addColumn('data', postgres ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    // Searches walk segments newest first, (last_time, id) being their keyset; retention finds old ones by last_time too.
    await db.schema.createIndex('request_log_segments_last_time').on('request_log_segments').columns(['last_time', 'id']).execute();
    await db.schema.createIndex('request_log_segments_first_time').on('request_log_segments').column('first_time').execute();

    const typed = db as unknown as Kysely<{ request_logs: Record<string, unknown>; request_log_segments: SegmentRowV1 }>;
    let after: [string, string] | null = null;
    for (;;) {
      let q = typed.selectFrom('request_logs').selectAll().orderBy('time').orderBy('id').limit(CHUNK);
      if (after) {
        const [t, i] = after;
        q = q.where((eb) => eb.or([eb('time', '>', t), eb.and([eb('time', '=', t), eb('id', '>', i)])]));
      }
      const rows = await q.execute();
      if (rows.length === 0) break;
      const records: RecordV1[] = rows.map((row) => {
        const time = canonicalTimeV1(String(row.time));
        return {
          id: String(row.id),
          requestId: (row.request_id as string | null) ?? null,
          time,
          channel: String(row.channel),
          collectionId: row.collection_id as string | null,
          proxyId: row.proxy_id as string | null,
          endpointId: row.endpoint_id as string | null,
          clientId: row.client_id as string | null,
          profileId: row.profile_id as string | null,
          method: String(row.method),
          path: String(row.path),
          status: Number(row.status),
          latencyMs: Number(row.latency_ms),
          upstreamLatencyMs: row.upstream_latency_ms === null ? null : Number(row.upstream_latency_ms),
          bytesIn: Number(row.bytes_in),
          bytesOut: Number(row.bytes_out),
          ip: row.ip as string | null,
          userAgent: row.user_agent as string | null,
          errorCode: row.error_code as string | null,
          mcpClient: row.mcp_client as string | null,
          mcpTool: row.mcp_tool as string | null,
          requestBody: row.request_body as string | null,
          responseBody: row.response_body as string | null,
        };
      });
      await typed.insertInto('request_log_segments').values(encodeSegmentV1(records)).execute();
      const last = rows.at(-1)!;
      after = [String(last.time), String(last.id)];
    }
    await sql`drop table request_logs`.execute(db);
  },
};
