import type { Kysely, Migration } from 'kysely';

/** Request logs keep the caller-facing request id apart from their own (random) primary key. */
export const requestId: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('request_logs').addColumn('request_id', 'text').execute();
    await db.schema.createIndex('request_logs_request_id').on('request_logs').column('request_id').execute();
  },
};
