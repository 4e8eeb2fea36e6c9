import { CompiledQuery } from 'kysely';
import type { Database } from '../store/database.js';
import { insertRowsSql, type RowBatch } from './record-batch.js';
import { expandCells, type RollupCell, upsertRollups } from './rollups.js';

/** Writes one batch in one transaction: the raw rows (one multi-row statement) and the rollup and total upserts. */
export async function writeBatch(database: Database, batch: RowBatch, cells: readonly RollupCell[]): Promise<void> {
  const rollups = expandCells(cells);
  await database.db.transaction().execute(async (trx) => {
    // Prebuilt SQL with the batch's flat values as parameters: no query builder work per row.
    if (batch.rows > 0) await trx.executeQuery(CompiledQuery.raw(insertRowsSql(database.dialect, batch.rows), batch.values));
    await upsertRollups(trx, rollups);
  });
}
