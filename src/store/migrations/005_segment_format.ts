import type { Kysely, Migration } from 'kysely';

/**
 * Request-log segments say which row encoding they hold: 1 for every segment written so far,
 * 2 from now on (a row gains the workflow the call ran and what its nodes decided). Readers decode
 * each segment by its own format, so old segments stay readable as they are.
 */
export const segmentFormat: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('request_log_segments')
      .addColumn('format', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
