import type { Kysely, Migration } from 'kysely';

/**
 * Metric rollups and totals gain the channel a call came through (`rest`, `mcp`, `federation`),
 * so metrics can be read per channel. Rows written before have channel '' (not known): they
 * count in unfiltered answers and in none filtered by channel. The channel goes last in the
 * unique keys, so the leading (client_id, resolution, bucket) every query filters on stays.
 */
export const rollupChannel: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ['metric_rollups', 'metric_totals']) {
      await db.schema
        .alterTable(table)
        .addColumn('channel', 'varchar(16)', (c) => c.notNull().defaultTo(''))
        .execute();
    }
    await db.schema.dropIndex('metric_rollups_key').execute();
    await db.schema
      .createIndex('metric_rollups_key')
      .unique()
      .on('metric_rollups')
      .columns(['client_id', 'resolution', 'bucket', 'collection_id', 'endpoint_id', 'method', 'status', 'channel'])
      .execute();
    await db.schema.dropIndex('metric_totals_key').execute();
    await db.schema
      .createIndex('metric_totals_key')
      .unique()
      .on('metric_totals')
      .columns(['client_id', 'resolution', 'bucket', 'collection_id', 'channel'])
      .execute();
  },
};
