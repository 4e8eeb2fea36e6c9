import type { Kysely, Migration } from 'kysely';

/**
 * Long management operations run as jobs (a declarative apply with `Prefer: respond-async`), stored
 * so every node answers for them and a node that died mid-job is seen to have (its heartbeat,
 * `updated_at`, stops). Times are ISO strings, compared as text like the other tables; `result`
 * and `error` are JSON.
 */
export const jobs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('operation', 'varchar(100)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('phase', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_by', 'varchar(300)', (c) => c.notNull())
      .addColumn('created_by_name', 'varchar(300)')
      .addColumn('channel', 'varchar(16)', (c) => c.notNull())
      .addColumn('request_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('node', 'varchar(64)', (c) => c.notNull())
      .addColumn('items_planned', 'integer')
      .addColumn('items_applied', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('started_at', 'varchar(40)')
      .addColumn('phase_started_at', 'varchar(40)')
      .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
      .addColumn('finished_at', 'varchar(40)')
      .addColumn('audit_entries', 'integer')
      .addColumn('audit_first_seq', 'integer')
      .addColumn('audit_last_seq', 'integer')
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('jobs_state_updated').on('jobs').columns(['state', 'updated_at']).execute();
    await db.schema.createIndex('jobs_creator_created').on('jobs').columns(['created_by', 'created_at']).execute();
    await db.schema.createIndex('jobs_created').on('jobs').columns(['created_at', 'id']).execute();
  },
};
