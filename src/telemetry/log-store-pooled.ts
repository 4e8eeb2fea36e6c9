import { CompiledQuery } from 'kysely';
import { type DatabaseOptions, openDatabase } from '../store/database.js';
import type { LogStore } from './log-store.js';
import { insertRowsSql, rowValues } from './record-batch.js';
import { pruneRequestLogs } from './retention.js';
import { upsertRollups } from './rollup-upsert.js';
import { expandCells } from './rollups.js';

/** The PostgreSQL log store: `openDatabase` with the main thread's options. */
export function openPooledLogStore(options: DatabaseOptions): LogStore {
  // Writes are serial, so a second pooled connection is all this thread can use.
  const database = openDatabase({ ...options, poolSize: 2 });
  return {
    async write(batch, cells) {
      const rollups = expandCells(cells);
      await database.db.transaction().execute(async (trx) => {
        // Prebuilt SQL with the batch's flat values as parameters: no query-builder work per row.
        if (batch.rows > 0) await trx.executeQuery(CompiledQuery.raw(insertRowsSql(database.dialect, batch.rows), rowValues(batch)));
        await upsertRollups(trx, rollups);
      });
    },
    prune: (before) => pruneRequestLogs(database.db, before),
    close: () => database.close(),
  };
}
