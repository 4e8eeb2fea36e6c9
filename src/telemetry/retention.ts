import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';

// Small deletes keep each SQLite write lock short, so traffic's log batches are not held up.
const DELETE_CHUNK = 5000;

/** Deletes raw request logs older than `before` (ISO time), in chunks; rollups are kept. Returns how many went. */
export async function pruneRequestLogs(db: Kysely<DB>, before: string): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('request_logs')
      .where('id', 'in', (eb) => eb.selectFrom('request_logs').select('id').where('time', '<', before).limit(DELETE_CHUNK))
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < DELETE_CHUNK) return total;
  }
}
