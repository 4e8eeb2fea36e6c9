import type { Kysely, Migration } from 'kysely';

/**
 * People's connections to `oauth_per_user` upstream MCP servers: one row per (server, user) with
 * the upstream's tokens sealed by the secret box. `expires_at` is the access token's expiry (null
 * when the upstream did not say), so a refresh can be planned without opening the seal.
 */
export const mcpConnections: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_connections')
      .addColumn('server_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('subject', 'varchar(200)', (c) => c.notNull())
      .addColumn('username', 'varchar(200)', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('scope', 'varchar(1000)', (c) => c.notNull().defaultTo(''))
      .addColumn('expires_at', 'varchar(40)')
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('mcp_connections_pk', ['server_id', 'subject'])
      .execute();
    await db.schema.createIndex('mcp_connections_subject').on('mcp_connections').column('subject').execute();
  },
};
