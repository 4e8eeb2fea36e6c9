import type { Kysely, Migration } from 'kysely';

const HISTOGRAM_BUCKETS = 14;

/**
 * Federated tool calls counted per time bucket, virtual MCP server, tool, subject (the user or
 * service account the call was made as) and outcome (`ok`, or where it failed: `gateway`, `auth`,
 * `upstream`), with a latency histogram: what `mcp-analytics.query` reads for calls, success rate,
 * percentiles and failures by origin without raw rows. The unique key leads with (resolution,
 * bucket), which every query filters on, and is the upsert's conflict target.
 */
export const mcpRollups: Migration = {
  async up(db: Kysely<unknown>) {
    let table = db.schema
      .createTable('mcp_rollups')
      .addColumn('resolution', 'varchar(8)', (c) => c.notNull())
      .addColumn('bucket', 'varchar(16)', (c) => c.notNull())
      .addColumn('server', 'varchar(64)', (c) => c.notNull())
      // Text, not varchar(n): an over-long name must never make PostgreSQL reject a whole batch.
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addColumn('agent_calls', 'bigint', (c) => c.notNull())
      .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull());
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) table = table.addColumn(`h${i}`, 'bigint', (c) => c.notNull().defaultTo(0));
    await table.execute();
    await db.schema
      .createIndex('mcp_rollups_key')
      .unique()
      .on('mcp_rollups')
      .columns(['resolution', 'bucket', 'server', 'tool', 'subject', 'outcome'])
      .execute();
  },
};
