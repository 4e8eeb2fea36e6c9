import type { Kysely, Migration } from 'kysely';

/**
 * The `jti`s of Identity Assertion JWT Authorization Grants already redeemed (MCP
 * Enterprise-Managed Authorization requires replay detection until `exp`). In the shared store so
 * an assertion redeemed on one node is refused on every other; the key is a digest of issuer and
 * `jti`, never the assertion itself. Rows past `expires_at` are swept.
 */
export const idJagReplays: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('id_jag_replays')
      .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('id_jag_replays_expires').on('id_jag_replays').column('expires_at').execute();
  },
};
