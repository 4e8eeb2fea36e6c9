import type { Kysely, Migration } from 'kysely';

/**
 * Calls a tool policy held for a person's approval. `digest` binds an approval to the caller, the
 * target and the arguments; times are ISO strings (compared as text, like the other tables).
 * status: pending → approved | denied; approved → used once spent.
 */
export const approvals: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('approvals')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('digest', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('caller', 'varchar(300)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(64)')
      .addColumn('target', 'varchar(1000)', (c) => c.notNull())
      .addColumn('arguments_preview', 'text', (c) => c.notNull())
      .addColumn('reason', 'varchar(500)')
      .addColumn('workflow', 'varchar(200)', (c) => c.notNull())
      .addColumn('node', 'varchar(64)', (c) => c.notNull())
      .addColumn('requested_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('decided_at', 'varchar(40)')
      .addColumn('decided_by', 'varchar(300)')
      .addColumn('decision_reason', 'varchar(500)')
      .addColumn('used_at', 'varchar(40)')
      .execute();
    await db.schema.createIndex('approvals_status_expires').on('approvals').columns(['status', 'expires_at']).execute();
    await db.schema.createIndex('approvals_digest').on('approvals').column('digest').execute();
  },
};
