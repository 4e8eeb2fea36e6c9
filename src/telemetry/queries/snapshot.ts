import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../store/schema.js';

/**
 * Runs a report's several reads in one snapshot. The rollup writer stores a batch's minute, hour and
 * day rows in one transaction; read statement by statement, a report could see a batch in one part
 * (its totals) and not yet in another (its time series). Repeatable read on PostgreSQL; SQLite's
 * transaction reads one snapshot from its first read (WAL) and takes no isolation level.
 */
export function inSnapshot<T>(db: Kysely<DB>, read: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(read);
}
