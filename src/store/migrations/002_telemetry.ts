import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

const HISTOGRAM_BUCKETS = 14;

/** Raw request logs and their per-minute/hour/day rollups and totals (src/telemetry). */
export const telemetry: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('request_logs')
      .addColumn('id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('time', 'varchar(40)', (c) => c.notNull())
      .addColumn('channel', 'varchar(16)', (c) => c.notNull())
      // Free text, not varchar(n): an over-long value must never make PostgreSQL reject a whole batch.
      .addColumn('collection_id', 'text')
      .addColumn('proxy_id', 'text')
      .addColumn('endpoint_id', 'text')
      .addColumn('client_id', 'text')
      .addColumn('profile_id', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('upstream_latency_ms', 'double precision')
      .addColumn('bytes_in', 'bigint', (c) => c.notNull())
      .addColumn('bytes_out', 'bigint', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('error_code', 'text')
      .addColumn('mcp_client', 'text')
      .addColumn('mcp_tool', 'text')
      .addColumn('request_body', 'text')
      .addColumn('response_body', 'text')
      .execute();
    // (time, id) is the search order and its keyset cursor.
    await db.schema.createIndex('request_logs_time').on('request_logs').columns(['time', 'id']).execute();
    await db.schema.createIndex('request_logs_client_time').on('request_logs').columns(['client_id', 'time']).execute();
    await db.schema.createIndex('request_logs_collection_time').on('request_logs').columns(['collection_id', 'time']).execute();
    await db.schema.createIndex('request_logs_status').on('request_logs').column('status').execute();

    let rollups = db.schema
      .createTable('metric_rollups')
      .addColumn('resolution', 'varchar(8)', (c) => c.notNull())
      .addColumn('bucket', 'varchar(16)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('collection_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('endpoint_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('method', 'varchar(16)', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull());
    rollups = addCounters(rollups);
    await rollups.execute();
    // Leading (client_id, resolution, bucket) is what every metrics query filters on; the index
    // doubles as the upsert conflict target.
    await db.schema
      .createIndex('metric_rollups_key')
      .unique()
      .on('metric_rollups')
      .columns(['client_id', 'resolution', 'bucket', 'collection_id', 'endpoint_id', 'method', 'status'])
      .execute();

    // The same counts without endpoint, method and status: a bucket has a handful of these rows
    // instead of hundreds, which is what keeps minute- and hour-bucket charts fast.
    let totals = db.schema
      .createTable('metric_totals')
      .addColumn('resolution', 'varchar(8)', (c) => c.notNull())
      .addColumn('bucket', 'varchar(16)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('collection_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('client_errors', 'bigint', (c) => c.notNull())
      .addColumn('server_errors', 'bigint', (c) => c.notNull());
    totals = addCounters(totals);
    await totals.execute();
    await db.schema.createIndex('metric_totals_key').unique().on('metric_totals').columns(['client_id', 'resolution', 'bucket', 'collection_id']).execute();
  },
};

function addCounters<T extends string, C extends string>(table: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> {
  let t = table
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('bytes_in', 'bigint', (c) => c.notNull())
    .addColumn('bytes_out', 'bigint', (c) => c.notNull())
    .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull());
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    t = t.addColumn(`h${i}`, 'bigint', (c) => c.notNull().defaultTo(0));
  }
  return t;
}
