import type { Kysely, Migration } from 'kysely';

/**
 * Upstream tool definitions by the pin (SHA-256) a virtual MCP server approved them under: what a
 * changed definition is compared with, side by side, before an admin approves it. Content-addressed,
 * so one row serves every virtual server that pinned the same definition, and rows are only added.
 */
export const mcpToolDefinitions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_tool_definitions')
      .addColumn('pin', 'varchar(80)', (c) => c.primaryKey())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .execute();
  },
};
