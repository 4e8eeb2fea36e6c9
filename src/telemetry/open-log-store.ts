import type { DatabaseOptions } from '../store/database.js';
import type { LogStore } from './log-store.js';
import { openSqliteLogStore } from './log-store-sqlite.js';

/** Opens the store on a connection of its own: raw better-sqlite3 for SQLite, `openDatabase` (a small pool) for PostgreSQL. */
export async function openLogStore(options: DatabaseOptions): Promise<LogStore> {
  if (options.url) {
    // Loaded only here, so a SQLite worker loads neither pg nor Kysely (~8 MB of RSS).
    const { openPooledLogStore } = await import('./log-store-pooled.js');
    return openPooledLogStore(options);
  }
  return openSqliteLogStore(options.dataDir);
}
