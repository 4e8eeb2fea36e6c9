import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { DatabaseOptions } from '../store/database.js';
import type { MetricRollupTable, MetricTotalTable } from '../store/schema.js';
import { forEachRow, insertRowsSql, type RowBatch } from './record-batch.js';
import { COUNTER_COLUMNS, expandCells, ROLLUP_KEY, type RollupCell, TOTAL_KEY } from './rollups.js';

/** The writer worker's side of the database: batch writes and retention. */
export interface LogStore {
  /** Writes one batch in one transaction: the raw rows and the rollup and total upserts. */
  write(batch: RowBatch, cells: readonly RollupCell[]): Promise<void>;
  /** Deletes raw rows older than `before`; returns how many. */
  prune(before: string): Promise<number>;
  close(): Promise<void>;
}

/** Opens the store on a connection of its own: raw better-sqlite3 for SQLite, `openDatabase` (a small pool) for PostgreSQL. */
export async function openLogStore(options: DatabaseOptions): Promise<LogStore> {
  if (options.url) {
    // Loaded only here, so a SQLite worker loads neither pg nor Kysely (~8 MB of RSS).
    const { openPooledLogStore } = await import('./log-store-pooled.js');
    return openPooledLogStore(options);
  }
  return sqliteStore(options.dataDir);
}

const ROLLUP_COLUMNS = [...ROLLUP_KEY, ...COUNTER_COLUMNS] as const;
const TOTAL_COLUMNS = [...TOTAL_KEY, ...COUNTER_COLUMNS, 'client_errors', 'server_errors'] as const;

function upsertSql(table: string, columns: readonly string[], key: readonly string[], added: readonly string[]): string {
  const set = added.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  return `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (${key.join(', ')}) do update set ${set}`;
}

// better-sqlite3 frees a statement only when V8 collects its wrapper, and V8 cannot see the native
// memory behind it: preparing per batch (as Kysely's driver does) grew the worker by ~100 MB under
// load. So every statement here is prepared once and reused.
function sqliteStore(dataDir: string): LogStore {
  // The same file and pragmas as openDatabase (src/store/database.ts).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new SQLite(join(dataDir, 'gatehouse.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // better-sqlite3 defaults to a 16 MB page cache per connection. This one only appends (the
  // right edges of the log indexes, a few rollup rows), so 2 MB holds its working set: -16 MB RSS.
  db.pragma('cache_size = -2000');
  let statements:
    | { insert: SQLite.Statement; rollup: SQLite.Statement; total: SQLite.Statement; prune: SQLite.Statement }
    | undefined;
  // Prepared on first use: an unmigrated database fails the write (counted), not the worker's start.
  const prepared = () =>
    (statements ??= {
      insert: db.prepare(insertRowsSql('sqlite', 1)),
      rollup: db.prepare(upsertSql('metric_rollups', ROLLUP_COLUMNS, ROLLUP_KEY, COUNTER_COLUMNS)),
      total: db.prepare(upsertSql('metric_totals', TOTAL_COLUMNS, TOTAL_KEY, [...COUNTER_COLUMNS, 'client_errors', 'server_errors'])),
      prune: db.prepare('delete from request_logs where id in (select id from request_logs where time < ? limit 5000)'),
    });
  const write = db.transaction((batch: RowBatch, rollups: MetricRollupTable[], totals: MetricTotalTable[]) => {
    const s = prepared();
    forEachRow(batch, (row) => s.insert.run(row));
    for (const r of rollups) s.rollup.run(ROLLUP_COLUMNS.map((c) => r[c]));
    for (const t of totals) s.total.run(TOTAL_COLUMNS.map((c) => t[c]));
  });
  return {
    async write(batch, cells) {
      const { rollups, totals } = expandCells(cells);
      // Take the write lock up front, as the main thread's transactions do.
      write.immediate(batch, rollups, totals);
    },
    async prune(before) {
      const { prune } = prepared();
      let total = 0;
      // Small deletes, each its own transaction, keep the write lock short for traffic's batches.
      for (;;) {
        const deleted = prune.run(before).changes;
        total += deleted;
        if (deleted < 5000) return total;
      }
    },
    async close() {
      db.close();
    },
  };
}
