import type { Kysely, Migration } from 'kysely';

/**
 * What the MCP analytics dashboard reads besides tool calls:
 * - `mcp_rollups.method`: the MCP method counted (`tools/call`, `tools/list`, `prompts/get`,
 *   `resources/read`…), so capability volume comes from the rollups. Rows written before were all
 *   tool calls. It goes last in the unique key, so the leading (resolution, bucket) stays.
 * - `mcp_guardrail_rollups`: guardrail outcomes of federated calls (blocked, redacted, flagged,
 *   approved, denied, held) per bucket, server, tool, subject and agent. A row with kind '' counts
 *   calls; a row with a kind (`email`, `card`…) counts what was found of that kind.
 */
export const mcpCapabilitiesAndGuardrails: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('mcp_rollups')
      .addColumn('method', 'varchar(64)', (c) => c.notNull().defaultTo('tools/call'))
      .execute();
    await db.schema.dropIndex('mcp_rollups_key').execute();
    await db.schema
      .createIndex('mcp_rollups_key')
      .unique()
      .on('mcp_rollups')
      .columns(['resolution', 'bucket', 'server', 'tool', 'subject', 'outcome', 'actor', 'method'])
      .execute();
    await db.schema
      .createTable('mcp_guardrail_rollups')
      .addColumn('resolution', 'varchar(8)', (c) => c.notNull())
      .addColumn('bucket', 'varchar(16)', (c) => c.notNull())
      .addColumn('server', 'varchar(64)', (c) => c.notNull())
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('kind', 'varchar(64)', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('mcp_guardrail_rollups_key')
      .unique()
      .on('mcp_guardrail_rollups')
      .columns(['resolution', 'bucket', 'server', 'tool', 'subject', 'actor', 'outcome', 'kind'])
      .execute();
  },
};
