import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase, PG_URL, postgresAvailable, type TestDatabase } from '../../../test/support/databases.js';
import { type Database, openDatabase } from '../database.js';
import { inChainTransaction } from './audit.js';

const pgUp = await postgresAvailable();

/** Whether a transaction is waiting for the chain lock of `schema` (the lock's keys: 417203100, hashtext(schema)). */
async function waitingForChain(client: pg.Client, schema: string): Promise<boolean> {
  const { rows } = await client.query(
    `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
       and classid = 417203100 and objsubid = 2 and objid::bigint = (hashtext($1)::bigint + 4294967296) % 4294967296`,
    [schema],
  );
  return rows[0].n > 0;
}

describe.skipIf(!pgUp)('the audit chain lock on PostgreSQL (issue 56)', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  let aAgain: Database;
  let client: pg.Client;

  beforeAll(async () => {
    a = await freshDatabase('postgres');
    b = await freshDatabase('postgres');
    aAgain = openDatabase({ url: PG_URL, dataDir: a.dataDir, pgSchema: a.env.GATEHOUSE_DATABASE_SCHEMA });
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await aAgain?.close();
    await a?.drop();
    await b?.drop();
  });

  it('serializes writers of one schema and lets another schema of the same database write meanwhile', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding!: () => void;
    const started = new Promise<void>((resolve) => {
      holding = resolve;
    });
    // A long write in schema A (a large apply holds the lock until its commit).
    const long = inChainTransaction(a, async () => {
      holding();
      await held;
    });
    await started;
    // Another schema's write commits while A's lock is held.
    await expect(inChainTransaction(b, async () => 'b committed')).resolves.toBe('b committed');
    // A second writer of schema A (another node) waits for the lock…
    let second = 'waiting';
    const sameSchema = inChainTransaction(aAgain, async () => {
      second = 'ran';
    });
    while (!(await waitingForChain(client, a.env.GATEHOUSE_DATABASE_SCHEMA!))) await new Promise((r) => setTimeout(r, 20));
    expect(second).toBe('waiting');
    // …and runs once the first commits.
    release();
    await long;
    await sameSchema;
    expect(second).toBe('ran');
  });
});
