import type { Kysely, Migration } from 'kysely';

/**
 * Every node compares each config type's row count, version sum and newest update with its
 * snapshot after every change, and reads the rows updated since; this index answers both without
 * reading the rows' data.
 */
export const resourceStamps: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('resources_type_stamp').on('resources').columns(['type', 'updated_at', 'version']).execute();
  },
};
