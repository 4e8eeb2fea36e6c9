import type { Kysely, Migration } from 'kysely';

/**
 * How each upstream MCP server has been answering, as the nodes saw it: one row per server, written
 * by whichever node saw something new (the latest success and error win), read by `mcp-servers` reads.
 */
export const mcpUpstreamHealth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_upstream_health')
      .addColumn('server_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('last_success_at', 'varchar(40)')
      .addColumn('last_error_at', 'varchar(40)')
      .addColumn('last_error', 'varchar(400)')
      .addColumn('last_reinitialized_at', 'varchar(40)')
      .addColumn('session', 'varchar(20)', (c) => c.notNull())
      .addColumn('tools_count', 'integer')
      .addColumn('restarts', 'integer')
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .execute();
  },
};
