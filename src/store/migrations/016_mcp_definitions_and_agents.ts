import type { Kysely, Migration } from 'kysely';

/**
 * Two things the console's MCP pages read:
 * - `mcp_tool_definitions`: upstream tool definitions by the pin (SHA-256) a virtual MCP server
 *   approved them under, so a changed definition is shown beside the approved one. Content-addressed
 *   (one row serves every server that pinned the same definition) and only ever added to.
 * - `mcp_rollups.actor`: the agent that made calls for the subject (`service:<id>`, '' for calls
 *   the subject made itself), so analytics break calls down per agent. Rows written before have ''
 *   (their agent calls still count in `agent_calls`). It goes last in the unique key, so the leading
 *   (resolution, bucket) every query filters on stays.
 */
export const mcpDefinitionsAndAgents: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_tool_definitions')
      .addColumn('pin', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema
      .alterTable('mcp_rollups')
      .addColumn('actor', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.dropIndex('mcp_rollups_key').execute();
    await db.schema
      .createIndex('mcp_rollups_key')
      .unique()
      .on('mcp_rollups')
      .columns(['resolution', 'bucket', 'server', 'tool', 'subject', 'outcome', 'actor'])
      .execute();
  },
};
