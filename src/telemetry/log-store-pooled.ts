import { type DatabaseOptions, openDatabase } from '../store/database.js';
import type { LogStore } from './log-store.js';
import { pruneSegments } from './retention.js';
import { mcpRollupRows } from './mcp-rollups.js';
import { upsertMcpRollups, upsertRollups } from './rollup-upsert.js';
import { expandCells } from './rollups.js';
import { segmentRow } from './segments.js';

/** The PostgreSQL log store: `openDatabase` with the main thread's options. */
export function openPooledLogStore(options: DatabaseOptions): LogStore {
  // Writes are serial, so a second pooled connection is all this thread can use.
  const database = openDatabase({ ...options, poolSize: 2 });
  const { db } = database;
  return {
    async write(batch, cells) {
      const rollups = expandCells(cells);
      const mcp = mcpRollupRows(batch);
      return db.transaction().execute(async (trx) => {
        if (batch.rows > 0) {
          const inserted = await trx
            .insertInto('request_log_segments')
            .values(segmentRow(batch))
            .onConflict((oc) => oc.column('id').doNothing())
            .returning('id')
            .execute();
          // Already stored: a replay of a batch written before a crash.
          if (inserted.length === 0) return false;
        }
        await upsertRollups(trx, rollups);
        await upsertMcpRollups(trx, mcp);
        return true;
      });
    },
    prune: (before) =>
      pruneSegments(
        {
          deleteEnded: (b) => db.deleteFrom('request_log_segments').where('last_time', '<', b).returning('row_count').execute(),
          straddling: (b) =>
            db
              .selectFrom('request_log_segments')
              .select(['id', 'row_count', 'strings', 'data', 'format'])
              .where('first_time', '<', b)
              .where('last_time', '>=', b)
              .execute(),
          async replace(id, kept) {
            await db.transaction().execute(async (trx) => {
              await trx.deleteFrom('request_log_segments').where('id', '=', id).execute();
              if (kept) await trx.insertInto('request_log_segments').values(kept).execute();
            });
          },
        },
        before,
      ),
    close: () => database.close(),
  };
}
