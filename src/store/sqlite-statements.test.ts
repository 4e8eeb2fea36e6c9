import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cachingStatements } from './sqlite-statements.js';

let file: SQLite.Database;
afterEach(() => file?.close());

describe('cachingStatements', () => {
  it('prepares each SQL text once and runs it again with new parameters', () => {
    file = new SQLite(':memory:');
    const db = cachingStatements(file);
    db.prepare('create table t (n integer)').run([]);
    const insert = db.prepare('insert into t (n) values (?)');
    insert.run([1]);
    expect(db.prepare('insert into t (n) values (?)')).toBe(insert);
    db.prepare('insert into t (n) values (?)').run([2]);
    expect(db.prepare('select n from t order by n').all([])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('gives a statement of its own to a caller while the cached one is being iterated', () => {
    file = new SQLite(':memory:');
    const db = cachingStatements(file);
    db.prepare('create table t (n integer)').run([]);
    for (const n of [1, 2, 3]) db.prepare('insert into t (n) values (?)').run([n]);
    const sql = 'select n from t where n >= ? order by n';
    const outer = db.prepare(sql);
    const seen: unknown[] = [];
    for (const row of outer.iterate([1])) seen.push([row, db.prepare(sql).all([3])]);
    expect(seen).toEqual([
      [{ n: 1 }, [{ n: 3 }]],
      [{ n: 2 }, [{ n: 3 }]],
      [{ n: 3 }, [{ n: 3 }]],
    ]);
    expect(db.prepare(sql)).toBe(outer);
  });

  it('keeps at most 500 statements, dropping the least recently used', () => {
    file = new SQLite(':memory:');
    const db = cachingStatements(file);
    const first = db.prepare('select 0');
    for (let i = 1; i <= 500; i++) db.prepare(`select ${i}`);
    expect(db.prepare('select 500')).toBe(db.prepare('select 500'));
    expect(db.prepare('select 0')).not.toBe(first);
  });
});
