import type BetterSqlite from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type SqliteDatabase, SqliteDialect, SqliteDriver, type SqliteDialectConfig } from 'kysely';

/** SQLite transactions take the write lock up front, so concurrent writers queue instead of failing with SQLITE_BUSY mid-transaction. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// Enough for every statement the admin side and the snapshot passes repeat; `in (…)` lists of varying length come and go.
const CACHED_STATEMENTS = 256;

/**
 * The database with its prepared statements kept by SQL text: Kysely prepares every query afresh,
 * and on SQLite that runs on the event loop (~0.4 ms of an admin write's ~3 ms). A statement still
 * iterating (a streamed read) is busy, so the same text meanwhile gets a fresh one.
 */
function withStatementCache(database: BetterSqlite.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const held = cache.get(sql);
      if (held && !held.busy) {
        // Most recently used last: the first in the map is the one to drop.
        cache.delete(sql);
        cache.set(sql, held);
        return held;
      }
      const stmt = database.prepare(sql);
      if (held) return stmt;
      if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** Kysely's SQLite dialect with `begin immediate` transactions and cached prepared statements, over one better-sqlite3 database. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(database: BetterSqlite.Database) {
    const config = { database: withStatementCache(database) };
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
