import type { Kysely, Migration } from 'kysely';

/**
 * The upstream MCP sessions federation keeps per user (2025-era upstreams with `Mcp-Session-Id`),
 * so a user's next call continues the same upstream session on any node. The session id is sealed.
 */
export const mcpUpstreamSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_upstream_sessions')
      .addColumn('key', 'varchar(500)', (c) => c.primaryKey())
      .addColumn('upstream_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('upstream_version', 'integer', (c) => c.notNull())
      .addColumn('session', 'text', (c) => c.notNull())
      .addColumn('protocol_version', 'varchar(40)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mcp_upstream_sessions_upstream').on('mcp_upstream_sessions').column('upstream_id').execute();
  },
};
