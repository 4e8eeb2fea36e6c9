import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createRequestLogWriter } from '../telemetry/writer.js';
import { openDatabase } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints', () => {
  it('never checkpoint in a commit on the main connection, and a worker checkpoints a large WAL within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-wal-'));
    dirs.push(dir);
    const database = openDatabase({ dataDir: dir });
    const file = join(dir, 'gatehouse.db');
    try {
      const { db } = database;
      const auto = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
      expect(auto.rows[0]?.wal_autocheckpoint).toBe(0);
      await sql`create table filler (id integer primary key, body text)`.execute(db);
      // About 12 MB in one transaction: three times the threshold a commit would checkpoint at.
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < 3_000; i++) await sql`insert into filler (body) values (${'x'.repeat(4_000)})`.execute(tx);
      });
      // Committed, all of it still in the WAL: the commit did not copy it into the database file.
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(12_000_000);
      expect(statSync(file).size).toBeLessThan(1_000_000);
      const deadline = Date.now() + 5_000;
      while (statSync(file).size < 12_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(file).size).toBeGreaterThan(12_000_000);
      // Once the worker's checkpoint has finished (the file reaching its size does not mean it has: under load it may
      // still be copying), the next write starts the emptied WAL over and cuts it back below the threshold.
      let small = 0;
      const cut = Date.now() + 5_000;
      for (;;) {
        await sql`insert into filler (body) values ('y')`.execute(db);
        small++;
        if (statSync(`${file}-wal`).size <= 1_048_576 || Date.now() > cut) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(1_048_576);
      // Small writes leave the database file alone.
      const checkpointed = statSync(file).mtimeMs;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(statSync(file).mtimeMs).toBe(checkpointed);
      // The thread kept from the first checkpoint does the next one.
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < 3_000; i++) await sql`insert into filler (body) values (${'z'.repeat(4_000)})`.execute(tx);
      });
      const again = Date.now() + 5_000;
      while (statSync(file).size < 24_000_000 && Date.now() < again) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(file).size).toBeGreaterThan(24_000_000);
      const count = await sql<{ n: number }>`select count(*) as n from filler`.execute(db);
      expect(count.rows[0]?.n).toBe(6_000 + small);
    } finally {
      await database.close();
    }
    // The checkpointer's connection closed first, so the main one's close was the last: it emptied and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("handed to the request-log writer, run in the writer's thread on its connection", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-wal-'));
    dirs.push(dir);
    const database = openDatabase({ dataDir: dir });
    const writer = createRequestLogWriter({ database: { dataDir: dir }, spoolDir: null, logger: { error: () => {} } });
    const file = join(dir, 'gatehouse.db');
    let asked = 0;
    database.checkpoints?.runIn(() => {
      asked++;
      return writer.checkpoint();
    });
    try {
      const { db } = database;
      await sql`create table filler (id integer primary key, body text)`.execute(db);
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < 3_000; i++) await sql`insert into filler (body) values (${'x'.repeat(4_000)})`.execute(tx);
      });
      expect(statSync(file).size).toBeLessThan(1_000_000);
      const deadline = Date.now() + 5_000;
      while (statSync(file).size < 12_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(file).size).toBeGreaterThan(12_000_000);
      expect(asked).toBeGreaterThan(0);
      // Every frame copied: the writer's connection waited for no reader and the main one holds none.
      await expect(writer.checkpoint()).resolves.toEqual({ log: expect.any(Number), checkpointed: expect.any(Number) });
      const outcome = await writer.checkpoint();
      expect(outcome?.checkpointed).toBe(outcome?.log);
    } finally {
      await writer.close();
      await database.close();
    }
    // A closed writer answers null: the checkpoint is tried again a second later, never thrown.
    await expect(writer.checkpoint()).resolves.toBeNull();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
