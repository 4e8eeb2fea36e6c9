import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GatehouseConfig } from '../../src/core/index.js';
import { createSnapshotHolder } from '../../src/gateway/snapshot/holder.js';
import { openManagementPlane } from '../../src/node/plane.js';
import { dialects, freshPostgresSchema } from '../support/databases.js';
import { selectCounter } from '../support/select-counter.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function plane(dialect: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-large-load-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let database = {};
  if (dialect === 'postgres') {
    const { drop, ...selected } = await freshPostgresSchema();
    database = selected;
    cleanups.push(drop);
  }
  const opened = await openManagementPlane(GatehouseConfig.parse({ dataDir, logLevel: 'silent', ...database }), () => {});
  cleanups.push(() => opened.close());
  return opened;
}

const hashOf = (i: number) => createHash('sha256').update(`token-${i}`).digest('hex');

/** Stores `n` active credentials of one profile, straight into the table (what matters here is how many rows a load reads). */
async function storeCredentials(db: Awaited<ReturnType<typeof plane>>['database']['db'], n: number, first = 0): Promise<void> {
  for (let from = first; from < first + n; from += 500) {
    const rows = [];
    for (let i = from; i < Math.min(first + n, from + 500); i++) {
      rows.push({
        id: `cred_${String(i).padStart(8, '0')}`,
        profile_id: 'profile_1',
        client_id: 'client_1',
        token_hash: hashOf(i),
        prefix: 'ght_',
        status: 'active',
        expires_at: null,
        grace_until: null,
        created_at: new Date().toISOString(),
      });
    }
    await db.insertInto('credentials').values(rows).execute();
  }
}

describe.each(await dialects())('the first load of a large config (%s)', (dialect) => {
  it('reads 10,000 credentials in pages of 1,000 and finds every token', async () => {
    const reads = async (credentials: number) => {
      const { database, changes } = await plane(dialect);
      await storeCredentials(database.db, credentials);
      const counter = selectCounter();
      const holder = await createSnapshotHolder({ db: database.db.withPlugin(counter.plugin), feed: changes, reconcileMs: 0 });
      cleanups.push(async () => holder.close());
      return { reads: counter.reads, holder };
    };
    const empty = await reads(0);
    const large = await reads(10_000);
    // Ten full pages and the empty one that ends them, where an empty store reads that one only.
    expect(large.reads - empty.reads).toBeGreaterThanOrEqual(10);
    const tokens = large.holder.current().tokens;
    expect(tokens.size).toBe(10_000);
    for (const i of [0, 999, 1_000, 9_999]) expect(tokens.find(Buffer.from(hashOf(i), 'hex').toString('latin1')), String(i)).toBeGreaterThanOrEqual(0);
  });
});
