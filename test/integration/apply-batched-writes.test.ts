import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/core/index.js';
import { bufferInserts, flushInserts, ResourceRepository } from '../../src/store/repositories/resources.js';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// A declarative apply writes its creates and audit entries 200 to a statement inside its one
// transaction (issue 56: 100,000 items on PostgreSQL had waited for a round trip each). What users
// rely on must not change: a step sees what the steps before it created, a taken key is refused
// naming it, the apply is all or nothing, and the audit chain holds, one entry per change.
const pg = await postgresAvailable();
const ITEMS = 450; // more than two statements' worth

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !pg)(`an apply's batched writes (${dialect})`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startTestGatehouse(dialect);
    });
    afterAll(async () => t?.close());

    it('applies creates that refer to ones before them in the same batch, with one chained audit entry each', async () => {
      const policies = Array.from({ length: ITEMS }, (_, i) => ({ name: `batch-${i}`, rateLimits: [{ window: 'minute', limit: 1 + i }] }));
      // Clients name policies created a few steps before them, still in the buffer when the client's check reads them.
      const clients = [1, 250, ITEMS - 1].map((i) => ({ name: `client-${i}`, policy: `batch-${i}` }));
      const res = await call(t.api, t.adminToken, 'POST', '/config/apply', { document: { policies, clients } });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      expect(res.body.summary).toEqual({ create: ITEMS + 3, update: 0, delete: 0 });
      const listed = await call(t.api, t.adminToken, 'GET', '/clients?limit=10');
      const byName = new Map((listed.body.items as Array<{ name: string; policyId: string }>).map((c) => [c.name, c.policyId]));
      const policy = await call(t.api, t.adminToken, 'GET', `/policies?q=batch-${ITEMS - 1}`);
      expect(byName.get(`client-${ITEMS - 1}`)).toBe(policy.body.items[0].id);
      const verified = await call(t.api, t.adminToken, 'GET', '/audit-logs/verify');
      expect(verified.body).toMatchObject({ ok: true });
      const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=policies.create&limit=500');
      expect(audit.body.items).toHaveLength(ITEMS);
      // Applying the same file again changes nothing (every create was stored under its key).
      const again = await call(t.api, t.adminToken, 'POST', '/config/apply', { document: { policies, clients } });
      expect(again.body.summary).toEqual({ create: 0, update: 0, delete: 0 });
      // And the gateway's own view (the snapshot the data plane reads) took every one.
      const export_ = await call(t.api, t.adminToken, 'GET', '/config/export');
      expect((export_.body.policies as unknown[]).length).toBe(ITEMS);
    });

    it('refuses a key taken in the buffer at once, and one taken in the store when the batch is written, naming it; nothing of the transaction stays', async () => {
      const repo = new ResourceRepository<{ name: string }>('policies');
      const now = new Date().toISOString();
      await t.db.db.transaction().execute(async (trx) => repo.insert(trx, 'pol_taken', { name: 'taken' }, { key: 'taken' }, now));
      const attempt = (keys: string[]) =>
        t.db.db.transaction().execute(async (trx) => {
          bufferInserts(trx);
          for (const [i, key] of keys.entries()) await repo.insert(trx, `pol_b${i}_${key}`, { name: key }, { key }, now);
          await flushInserts(trx);
        });
      const inBuffer = await attempt(['fresh-1', 'fresh-1']).catch((e: unknown) => e);
      expect(inBuffer).toBeInstanceOf(GatehouseError);
      expect((inBuffer as GatehouseError).code).toBe('GATEHOUSE_CONFLICT');
      expect((inBuffer as GatehouseError).message).toContain('"fresh-1"');
      const inStore = await attempt(['fresh-2', 'taken', 'fresh-3']).catch((e: unknown) => e);
      expect((inStore as GatehouseError).code).toBe('GATEHOUSE_CONFLICT');
      expect((inStore as GatehouseError).message).toContain('"taken"');
      const keys = (await t.db.db.selectFrom('resources').select('key').where('key', 'like', 'fresh-%').execute()).map((r) => r.key);
      expect(keys).toEqual([]);
      // A read in the same transaction sees a buffered create (it writes the buffer first).
      const seen = await t.db.db
        .transaction()
        .execute(async (trx) => {
          bufferInserts(trx);
          await repo.insert(trx, 'pol_seen', { name: 'seen' }, { key: 'seen' }, now);
          const got = await repo.getByKey(trx, 'seen');
          throw Object.assign(new Error('roll back'), { got });
        })
        .catch((e: { got?: unknown }) => e.got);
      expect(seen).toMatchObject({ id: 'pol_seen', name: 'seen' });
    });
  });
}
