import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigChange } from '../../src/store/change-feed.js';
import { createPostgresChangeFeed, dollarQuoted } from '../../src/store/change-feed-postgres.js';
import { inChainTransaction } from '../../src/store/repositories/audit.js';
import { freshDatabase, PG_URL, postgresAvailable } from '../support/databases.js';

const available = await postgresAvailable();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

const change = (action: string): ConfigChange => ({
  resourceType: 'policies',
  resourceId: 'pol_1',
  action,
  at: new Date().toISOString(),
  seq: { first: 1, last: 1 },
});

describe.runIf(available)('the PostgreSQL change feed told with the commit', () => {
  it('quotes any text as a literal PostgreSQL reads back unchanged', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    closers.push(() => client.end());
    for (const text of ["it's", '$n$ inside', '$$', 'back\\slash', '{"a":"$n$b$"}', 'ends in $n', 'ends in $', '']) {
      const { rows } = await client.query(`select ${dollarQuoted(text)} as t`);
      expect(rows[0].t).toBe(text);
    }
  });

  it('reaches another node when its statement commits with the change, and never when it rolls back', async () => {
    const t = await freshDatabase('postgres');
    closers.push(() => t.drop());
    const schema = `feed_${randomBytes(4).toString('hex')}`;
    const writer = await createPostgresChangeFeed({ url: PG_URL, schema });
    const reader = await createPostgresChangeFeed({ url: PG_URL, schema });
    closers.push(
      () => writer.close(),
      () => reader.close(),
    );
    const heard: string[] = [];
    reader.subscribe((c) => heard.push(c.action));
    const mine: string[] = [];
    writer.subscribe((c) => mine.push(c.action));
    await expect(
      inChainTransaction(
        t,
        async () => {
          throw new Error('handler failed');
        },
        () => writer.notifyStatement!(change('rolled-back')),
      ),
    ).rejects.toThrow('handler failed');
    await inChainTransaction(
      t,
      async () => undefined,
      () => writer.notifyStatement!(change('committed')),
    );
    writer.publish(change('committed'), true);
    const deadline = Date.now() + 5_000;
    while (!heard.includes('committed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.filter((a) => a !== 'resync')).toEqual(['committed']);
    // The writer's own subscribers hear it once, from `publish`, not back from the server.
    expect(mine.filter((a) => a !== 'resync')).toEqual(['committed']);
  });
});
