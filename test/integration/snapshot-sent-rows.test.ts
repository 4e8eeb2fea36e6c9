import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { GatehouseConfig } from '../../src/core/index.js';
import { loadSnapshot } from '../../src/gateway/snapshot/compile.js';
import { createSnapshotHolder, type SnapshotHolder } from '../../src/gateway/snapshot/holder.js';
import { openManagementPlane } from '../../src/node/plane.js';
import { freshPostgresSchema, PG_URL, postgresAvailable } from '../support/databases.js';
import { selectCounter } from '../support/select-counter.js';
import { cleanupsAfterAll, LOCAL_ADMIN_CALL } from '../support/local-admin.js';

const call = LOCAL_ADMIN_CALL;
const cleanups = cleanupsAfterAll();

const available = await postgresAvailable();

/** Two nodes of one PostgreSQL store: A takes the writes, B only hears of them (its holder's reads counted). */
async function cluster() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-sent-rows-'));
  const { drop, ...database } = await freshPostgresSchema();
  cleanups.push(drop, async () => rmSync(dataDir, { recursive: true, force: true }));
  const open = async () => {
    const plane = await openManagementPlane(GatehouseConfig.parse({ dataDir, logLevel: 'silent', ...database }), () => {});
    cleanups.push(() => plane.close());
    return plane;
  };
  const a = await open();
  const holderA = await createSnapshotHolder({ db: a.database.db, feed: a.changes, reconcileMs: 0 });
  a.applyCommitsWith((change) => holderA.apply(change));
  const b = await open();
  const counter = selectCounter();
  const holderB = await createSnapshotHolder({ db: b.database.db.withPlugin(counter.plugin), feed: b.changes, reconcileMs: 0 });
  cleanups.push(async () => {
    holderA.close();
    holderB.close();
  });
  const run = (op: string, input: unknown): Promise<any> => a.executor.execute(op as never, input as never, call);
  const latest = async () => Number((await a.database.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirstOrThrow()).seq);
  return { a, b, holderB, counter, run, latest, database };
}

/** Resolves once `holder` stands at `version` (B hears of A's changes asynchronously). */
async function reaches(holder: SnapshotHolder, version: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (holder.version() < version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(holder.version()).toBe(version);
}

describe.runIf(available)("another node's changes arrive with their rows (PostgreSQL NOTIFY)", () => {
  it('applies them without reading the store, and ends equal to a full compile', async () => {
    const { b, holderB, counter, run, latest } = await cluster();
    await new Promise((r) => setTimeout(r, 200));
    counter.reads = 0;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await run('policies.create', { name: `sent-${i}`, rateLimits: [{ window: 'second', limit: 5 }] }));
    await run('policies.update', { id: created[0].id, rateLimits: [{ window: 'minute', limit: 7 }] });
    await run('policies.delete', { id: created[1].id });
    await reaches(holderB, await latest());
    expect(counter.reads).toBe(0);
    const names = new Set([...holderB.current().policies.values()].map((p) => p.name));
    expect(names).toEqual(new Set(['sent-0', 'sent-2', 'sent-3', 'sent-4']));
    expect(new Map(holderB.current().policies)).toEqual(new Map((await loadSnapshot(b.database.db)).snapshot.policies));
  });

  it('reads back the rows of a change too large to send, and still converges', async () => {
    const { b, holderB, counter, run, latest } = await cluster();
    await new Promise((r) => setTimeout(r, 200));
    counter.reads = 0;
    // 4,000 characters of 3 bytes each: the row does not fit in a NOTIFY payload (under 8,000 bytes).
    await run('collections.create', { slug: 'large', name: 'Large', description: '€'.repeat(4000) });
    await reaches(holderB, await latest());
    expect(counter.reads).toBeGreaterThan(0);
    expect([...holderB.current().collections.values()].map((c) => c.slug)).toEqual(['large']);
    expect(holderB.current().collections).toEqual((await loadSnapshot(b.database.db)).snapshot.collections);
  });

  it('ignores sent rows that do not name themselves (the key is not the row), reading the store instead', async () => {
    const { b, holderB, run, latest, database } = await cluster();
    await run('policies.create', { name: 'real', rateLimits: [{ window: 'second', limit: 5 }] });
    await reaches(holderB, await latest());
    const seq = await latest();
    // A notification whose row claims to be another policy than its key says: B must not take it.
    const forged = {
      from: 'elsewhere',
      change: { resourceType: 'policies', resourceId: 'pol_forged', action: 'create', at: new Date().toISOString(), seq: { first: seq + 1, last: seq + 1 } },
      writes: {
        rows: [
          [
            'policies\npol_forged',
            { type: 'policies', id: 'pol_other', data: '{"name":"forged","rateLimits":[]}', version: 1, created_at: 'x', updated_at: 'x' },
          ],
        ],
        types: ['policies'],
      },
    };
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query('select pg_notify($1, $2)', [`gatehouse_config_${database.databaseSchema}`, JSON.stringify(forged)]);
    await new Promise((r) => setTimeout(r, 300));
    expect([...holderB.current().policies.values()].map((p) => p.name)).toEqual(['real']);
    expect(new Map(holderB.current().policies)).toEqual(new Map((await loadSnapshot(b.database.db)).snapshot.policies));
  });
});
