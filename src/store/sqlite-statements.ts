import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

// Every query the gateway runs fits, with room for `in (…)` lists of many lengths.
const CAPACITY = 500;

/**
 * The SQLite handle Kysely queries through, preparing each distinct SQL text once (least recently
 * used dropped past CAPACITY). Kysely's driver prepares every query afresh: in a declarative apply
 * of 100,000 items that was a quarter of the CPU, and the statements it left for the garbage
 * collector to finalize (~2 GB of RSS) held the event loop 100–300 ms at a time.
 */
export function cachingStatements(file: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => file.close(),
    prepare(sql) {
      const held = cache.get(sql);
      // A statement still being iterated cannot run again meanwhile: this caller gets one of its own.
      if (held?.busy) return file.prepare(sql);
      const stmt = held ?? file.prepare(sql);
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      cache.delete(sql);
      cache.set(sql, stmt);
      if (cache.size > CAPACITY) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  };
}
