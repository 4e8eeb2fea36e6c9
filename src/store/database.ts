import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { cachingStatements } from './sqlite-statements.js';
import { startWalCheckpoints, type WalCheckpoints } from './wal-checkpoints.js';
import { countResourceWrites } from './write-journal.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** A `postgres://` URL; when absent, SQLite in `dataDir`. */
  url?: string;
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  pgSchema?: string;
  poolSize?: number;
}

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The SQLite file, for locks that must span every handle in this process. */
  file?: string;
  /** SQLite: the WAL checkpoints off the main thread (wal-checkpoints.ts), which a writer thread on the same file may take over. */
  checkpoints?: WalCheckpoints;
  close(): Promise<void>;
}

let pgModule: typeof pg | null = null;

/** node-postgres, loaded on first use so a SQLite node does not hold it (~3 MB of heap). */
export function loadPg(): typeof pg {
  if (pgModule === null) {
    pgModule = createRequire(import.meta.url)('pg') as typeof pg;
    // int8 (COUNT, bigint columns) as numbers: our counters stay far below 2^53.
    pgModule.types.setTypeParser(20, (v) => Number(v));
  }
  return pgModule;
}

/** Opens the store: PostgreSQL when a URL is given, else SQLite (WAL) in the data directory. */
export function openDatabase(opts: DatabaseOptions): Database {
  if (opts.url) {
    const pool = new (loadPg().Pool)({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // Fail fast while the server is down, instead of queueing callers on a connect that never comes.
      connectionTimeoutMillis: 2_000,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    // An idle connection the server dropped (restart, failover) must not crash the node: the pool
    // discards it and the next query opens a fresh one.
    pool.on('error', () => {});
    // So must a checked-out connection that drops between two queries (inside a transaction): pg
    // emits that on the client, where no listener would mean an uncaught exception. The query in
    // flight still fails, and the pool discards the client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [countResourceWrites] });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const path = join(opts.dataDir, 'gatehouse.db');
  const file = new SQLite(path);
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('busy_timeout = 10000');
  file.pragma('foreign_keys = ON');
  // The hot path reads only the in-memory snapshot; a 2 MB page cache is plenty for the admin side.
  file.pragma('cache_size = -2000');
  // Checkpoints run in a worker thread (wal-checkpoints.ts), never in a commit on the event loop. A
  // WAL a checkpoint emptied is cut to 1 MiB when the next write starts it over, so its size, which
  // the checkpoints watch, grows past their threshold again only with that many new pages.
  file.pragma('wal_autocheckpoint = 0');
  file.pragma('journal_size_limit = 1048576');
  const checkpoints = startWalCheckpoints(path);
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(file) }), plugins: [countResourceWrites] });
  return {
    db,
    dialect: 'sqlite',
    file: path,
    checkpoints,
    close: async () => {
      await checkpoints.stop();
      await db.destroy();
    },
  };
}
