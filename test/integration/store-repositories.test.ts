import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/core/errors.js';
import { newId } from '../../src/core/ids.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { checkMasterKey, loadMasterKey } from '../../src/store/master-key.js';
import { migrate } from '../../src/store/migrate.js';
import {
  type AuditDraft,
  appendAudit,
  GENESIS_HASH,
  getAudit,
  inChainTransaction,
  lockAuditChain,
  queryAudit,
  verifyAuditChain,
} from '../../src/store/repositories/audit.js';
import { getCredential, insertCredential, listCredentials, revokeCredential, rotateActiveCredentials } from '../../src/store/repositories/credentials.js';
import { ResourceRepository, type StoredResource } from '../../src/store/repositories/resources.js';
import { deleteSecret, getSecret, putSecret } from '../../src/store/repositories/secrets.js';
import { getSetting, putSettingOnce } from '../../src/store/repositories/settings.js';
import type { CredentialTable } from '../../src/store/schema.js';
import { openWriteJournal } from '../../src/store/write-journal.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { dialects, dropSchema, freshDatabase, PG_URL, type TestDatabase } from '../support/databases.js';

interface Thing {
  name: string;
  size: number;
}

/** An ISO timestamp `seconds` after a fixed base, so several rows can share one created_at. */
function at(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, 0) + seconds * 1000).toISOString();
}

async function expectConflict(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatehouseError);
  expect((err as GatehouseError).code).toBe('GATEHOUSE_CONFLICT');
  expect((err as GatehouseError).status).toBe(409);
}

function draft(overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    time: new Date().toISOString(),
    actor: { subject: 'usr_alice', name: 'alice', kind: 'user' },
    channel: 'api',
    clientApp: 'gatehouse-cli',
    ip: '127.0.0.1',
    action: 'collections.create',
    resourceType: 'collections',
    resourceId: 'col_1',
    outcome: 'success',
    status: 201,
    errorCode: null,
    requestId: `req-${randomBytes(4).toString('hex')}`,
    diff: { after: { slug: 'payments' } },
    ...overrides,
  };
}

/** Appends one entry the way the executor does: its own transaction, holding the chain lock. */
async function append(database: Database, d: AuditDraft) {
  return database.db.transaction().execute(async (trx) => {
    await lockAuditChain(trx, database.dialect);
    return appendAudit(trx, d);
  });
}

function credentialRow(profileId: string, overrides: Partial<CredentialTable> = {}): CredentialTable {
  const id = newId('crd');
  return {
    id,
    profile_id: profileId,
    client_id: 'cli_1',
    token_hash: randomBytes(32).toString('hex'),
    prefix: `gh_${randomBytes(3).toString('hex')}`,
    status: 'active',
    expires_at: null,
    grace_until: null,
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

for (const dialect of await dialects()) {
  describe(`the write journal on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('holds each row a repository wrote in its transaction as stored, and is complete only while no resource row was written otherwise', async () => {
      const repo = new ResourceRepository<{ name: string }>('policies');
      const now = new Date().toISOString();
      await t.db.transaction().execute(async (trx) => {
        const journal = openWriteJournal(trx);
        const created = await repo.insert(trx, 'pol_j1', { name: 'j1' }, { key: 'j1' }, now);
        await repo.update(trx, created, { name: 'j1b' }, { key: 'j1b' }, now);
        await repo.insert(trx, 'pol_j2', { name: 'j2' }, { key: 'j2' }, now);
        await repo.delete(trx, 'pol_j2');
        expect(journal.complete()).toBe(true);
        const stored = await trx
          .selectFrom('resources')
          .select(['type', 'id', 'data', 'version', 'created_at', 'updated_at'])
          .where('id', '=', 'pol_j1')
          .executeTakeFirstOrThrow();
        expect(journal.rows.get('policies\npol_j1')).toEqual(stored);
        expect(journal.rows.get('policies\npol_j2')).toBeNull();
        // A statement that is not a repository's (a bulk insert) is not in the journal, which then says so.
        await trx
          .insertInto('resources')
          .values({
            type: 'policies',
            id: 'pol_raw',
            key: 'raw',
            parent_id: null,
            collection_id: null,
            data: '{"name":"raw"}',
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        expect(journal.complete()).toBe(false);
      });
      // So does a repository write outside any journal while one is open (another transaction's, not journaled).
      const open = openWriteJournal(t.db.withPlugin({ transformQuery: (args) => args.node, transformResult: async (args) => args.result }));
      await repo.insert(t.db, 'pol_j3', { name: 'j3' }, { key: 'j3' }, now);
      expect(open.complete()).toBe(false);
    });
  });

  describe(`ResourceRepository on ${dialect}`, () => {
    let t: TestDatabase;
    const things = new ResourceRepository<Thing>('collections');
    const others = new ResourceRepository<Thing>('policies');
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('inserts and reads back by id and by key, with the stored fields added', async () => {
      const id = newId('col');
      const created = await things.insert(t.db, id, { name: 'Payments', size: 3 }, { key: 'payments' }, at(0));
      expect(created).toEqual({ name: 'Payments', size: 3, id, version: 1, createdAt: at(0), updatedAt: at(0) });
      expect(await things.get(t.db, id)).toEqual(created);
      expect(await things.getByKey(t.db, 'payments')).toEqual(created);
      expect(await things.get(t.db, 'col_missing')).toBeUndefined();
      expect(await things.getByKey(t.db, 'missing')).toBeUndefined();
      // Another type does not see it, and may use the same key.
      expect(await others.get(t.db, id)).toBeUndefined();
      expect(await others.getByKey(t.db, 'payments')).toBeUndefined();
      await others.insert(t.db, newId('pol'), { name: 'Payments', size: 1 }, { key: 'payments' }, at(0));
      await things.delete(t.db, id);
    });

    it('does not store the stored fields inside the document', async () => {
      const id = newId('col');
      const sneaky = { name: 'Sneaky', size: 1, id: 'col_forged', version: 99, createdAt: 'x', updatedAt: 'y' } as unknown as Thing;
      await things.insert(t.db, id, sneaky, { key: 'sneaky' }, at(1));
      const got = await things.get(t.db, id);
      expect(got).toMatchObject({ id, version: 1, createdAt: at(1), updatedAt: at(1) });
      const row = await t.db.selectFrom('resources').select('data').where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.data)).toEqual({ name: 'Sneaky', size: 1 });
      await things.delete(t.db, id);
    });

    it('refuses a duplicate key with GATEHOUSE_CONFLICT, on insert and on update, and writes nothing', async () => {
      const a = await things.insert(t.db, newId('col'), { name: 'A', size: 1 }, { key: 'dup-a' }, at(2));
      const b = await things.insert(t.db, newId('col'), { name: 'B', size: 1 }, { key: 'dup-b' }, at(2));
      await expectConflict(things.insert(t.db, newId('col'), { name: 'A again', size: 2 }, { key: 'dup-a' }, at(3)));
      await expectConflict(things.update(t.db, b, { name: 'B', size: 1 }, { key: 'dup-a' }, at(3)));
      expect(await things.get(t.db, b.id)).toEqual(b);
      expect((await things.all(t.db)).filter((x) => x.name.startsWith('A'))).toEqual([a]);
      await things.delete(t.db, a.id);
      await things.delete(t.db, b.id);
    });

    it('updates: version increments, createdAt stays, updatedAt moves, keys change', async () => {
      const id = newId('col');
      const v1 = await things.insert(t.db, id, { name: 'Orders', size: 1 }, { key: 'orders', parentId: 'p1' }, at(10));
      const v2 = await things.update(t.db, v1, { name: 'Orders', size: 2 }, { key: 'orders-2', parentId: 'p2' }, at(20));
      expect(v2).toEqual({ name: 'Orders', size: 2, id, version: 2, createdAt: at(10), updatedAt: at(20) });
      expect(await things.get(t.db, id)).toEqual(v2);
      const v3 = await things.update(t.db, v2, { name: 'Orders!', size: 3 }, { key: 'orders-2' }, at(30));
      expect(v3.version).toBe(3);
      expect(await things.get(t.db, id)).toEqual(v3);
      expect(await things.getByKey(t.db, 'orders')).toBeUndefined();
      expect(await things.getByKey(t.db, 'orders-2')).toEqual(v3);
      // The parent moved from p1 to p2 and then to none.
      expect(await things.count(t.db, { parentId: 'p1' })).toBe(0);
      expect(await things.count(t.db, { parentId: 'p2' })).toBe(0);
      await things.delete(t.db, id);
      expect(await things.get(t.db, id)).toBeUndefined();
      // Deleting again is harmless.
      await things.delete(t.db, id);
    });

    describe('listing 25 rows', () => {
      const repo = new ResourceRepository<Thing>('proxies');
      const inserted: StoredResource<Thing>[] = [];
      beforeAll(async () => {
        // Three rows share each created_at, so the id tie-breaker matters; insert out of order.
        const specs = Array.from({ length: 25 }, (_, i) => i).sort(() => Math.random() - 0.5);
        for (const i of specs) {
          const key = ['plain', 'has%percent', 'has_underscore', 'hasxunderscore', 'back\\slash', 'UPPER-Case'][i % 6] + `-${i}`;
          inserted.push(
            await repo.insert(
              t.db,
              newId('prx'),
              { name: `n${i}`, size: i },
              { key, parentId: `parent-${i % 3}`, collectionId: `col-${i % 2}` },
              at(100 + Math.floor(i / 3)),
            ),
          );
        }
      });

      async function pageAll(opts: { keyContains?: string; parentId?: string; collectionId?: string } = {}) {
        const seen: StoredResource<Thing>[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await repo.list(t.db, { limit: 7, cursor, ...opts });
          expect(page.items.length).toBeLessThanOrEqual(7);
          seen.push(...page.items);
          cursor = page.nextCursor ?? undefined;
          pages++;
          expect(pages).toBeLessThan(10);
        } while (cursor);
        return { seen, pages };
      }

      it('pages with a cursor, with no duplicates and no gaps, in creation order', async () => {
        const { seen, pages } = await pageAll();
        expect(pages).toBe(4);
        expect(new Set(seen.map((r) => r.id)).size).toBe(25);
        const all = await repo.all(t.db);
        expect(seen).toEqual(all);
        expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort());
        expect(new Set(all.map((r) => r.id))).toEqual(new Set(inserted.map((r) => r.id)));
        // Ties on created_at are ordered by id in the database's own collation; whatever it is, pages follow it.
        const first = await repo.list(t.db, { limit: 7 });
        expect(first.items).toEqual(all.slice(0, 7));
        expect(first.nextCursor).toBeTypeOf('string');
        const last = await repo.list(t.db, { limit: 25 });
        expect(last.items).toHaveLength(25);
        expect(last.nextCursor).toBeNull();
      });

      it('keeps paging correctly when rows are added between pages', async () => {
        const first = await repo.list(t.db, { limit: 7 });
        const extra = await repo.insert(t.db, newId('prx'), { name: 'late', size: 99 }, { key: 'late-arrival' }, at(10_000));
        let cursor = first.nextCursor ?? undefined;
        const rest: StoredResource<Thing>[] = [];
        while (cursor) {
          const page = await repo.list(t.db, { limit: 7, cursor });
          rest.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        }
        const ids = [...first.items, ...rest].map((r) => r.id);
        expect(new Set(ids).size).toBe(26);
        expect(ids.at(-1)).toBe(extra.id);
        await repo.delete(t.db, extra.id);
      });

      it('refuses a forged cursor with a validation error', async () => {
        const err = await repo.list(t.db, { limit: 7, cursor: 'not-a-cursor' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GatehouseError);
        expect((err as GatehouseError).code).toBe('GATEHOUSE_VALIDATION_FAILED');
      });

      it('filters by key substring, case-insensitively, with % and _ matched literally', async () => {
        const keysOf = (items: StoredResource<Thing>[]) => items.map((r) => r.id);
        const expected = (pred: (key: string) => boolean) =>
          inserted
            .filter((r) => pred(keyOf(r)))
            .map((r) => r.id)
            .sort();
        const keyOf = (r: StoredResource<Thing>) =>
          ['plain', 'has%percent', 'has_underscore', 'hasxunderscore', 'back\\slash', 'UPPER-Case'][r.size % 6] + `-${r.size}`;

        const percent = await pageAll({ keyContains: '%' });
        expect(keysOf(percent.seen).sort()).toEqual(expected((k) => k.includes('%')));
        expect(percent.seen.length).toBeGreaterThan(0);

        const underscore = await pageAll({ keyContains: 's_u' });
        expect(keysOf(underscore.seen).sort()).toEqual(expected((k) => k.includes('s_u')));
        // `_` is not a wildcard: "hasxunderscore" does not match "s_u".
        expect(underscore.seen.every((r) => keyOf(r).startsWith('has_underscore'))).toBe(true);

        const backslash = await pageAll({ keyContains: 'k\\s' });
        expect(keysOf(backslash.seen).sort()).toEqual(expected((k) => k.includes('k\\s')));
        expect(backslash.seen.length).toBeGreaterThan(0);

        const upper = await pageAll({ keyContains: 'upper-c' });
        expect(keysOf(upper.seen).sort()).toEqual(expected((k) => k.toLowerCase().includes('upper-c')));
        expect(upper.seen.length).toBeGreaterThan(0);
        expect((await pageAll({ keyContains: 'PLAIN' })).seen.length).toBe(expected((k) => k.startsWith('plain')).length);
        expect((await pageAll({ keyContains: 'nothing-like-this' })).seen).toEqual([]);
      });

      it('filters by parentId and collectionId, in list, all and count', async () => {
        for (const parentId of ['parent-0', 'parent-1', 'parent-2']) {
          const want = inserted
            .filter((r) => `parent-${r.size % 3}` === parentId)
            .map((r) => r.id)
            .sort();
          expect((await pageAll({ parentId })).seen.map((r) => r.id).sort()).toEqual(want);
          expect((await repo.all(t.db, { parentId })).map((r) => r.id).sort()).toEqual(want);
          expect(await repo.count(t.db, { parentId })).toBe(want.length);
        }
        const want = inserted
          .filter((r) => r.size % 2 === 1 && r.size % 3 === 2)
          .map((r) => r.id)
          .sort();
        const both = await pageAll({ parentId: 'parent-2', collectionId: 'col-1' });
        expect(both.seen.map((r) => r.id).sort()).toEqual(want);
        expect(await repo.count(t.db, { parentId: 'parent-2', collectionId: 'col-1' })).toBe(want.length);
        expect(await repo.count(t.db, { collectionId: 'col-0' })).toBe(inserted.filter((r) => r.size % 2 === 0).length);
        expect(await repo.count(t.db, {})).toBe(25);
        expect((await repo.list(t.db, { limit: 7, parentId: 'no-such-parent' })).items).toEqual([]);
      });
    });
  });

  describe(`audit chain on ${dialect}`, () => {
    let t: TestDatabase;
    const entries: Awaited<ReturnType<typeof appendAudit>>[] = [];
    beforeAll(async () => {
      t = await freshDatabase(dialect);
      const specs: Array<Partial<AuditDraft>> = [
        { actor: { subject: 'usr_alice', name: 'alice', kind: 'user' }, time: at(0) },
        { actor: { subject: 'usr_bob', name: 'bob', kind: 'user' }, action: 'proxies.create', resourceType: 'proxies', time: at(60) },
        { actor: { subject: 'sa_ci', name: 'ci', kind: 'service' }, channel: 'mcp', time: at(120) },
        { outcome: 'denied', status: 403, errorCode: 'GATEHOUSE_FORBIDDEN', diff: null, time: at(180) },
        {
          actor: { subject: 'usr_bob', name: 'bob', kind: 'user' },
          outcome: 'failure',
          status: 409,
          errorCode: 'GATEHOUSE_CONFLICT',
          diff: null,
          time: at(240),
        },
        { action: 'collections.delete', status: 200, diff: { before: { slug: 'payments' } }, time: at(300) },
        { ip: '10.0.0.7', clientApp: null, time: at(360) },
        { actor: { subject: 'sa_ci', name: 'ci', kind: 'service' }, action: 'proxies.update', resourceType: 'proxies', time: at(420) },
        { channel: 'console', time: at(480) },
        { actor: { subject: 'usr_alice', name: 'alice', kind: 'user' }, resourceId: null, time: at(540) },
      ];
      for (const s of specs) entries.push(await append(t, draft(s)));
    });
    afterAll(async () => t?.drop());

    it('numbers entries from 1 without gaps and links each to its predecessor', async () => {
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
      expect(new Set(entries.map((e) => e.hash)).size).toBe(entries.length);
      expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: entries.length, head: entries.at(-1)!.hash });
      // Small pages walk the same chain.
      expect(await verifyAuditChain(t.db, 3)).toEqual({ ok: true, entries: entries.length, head: entries.at(-1)!.hash });
    });

    it('reads an entry back as it was written', async () => {
      const third = entries[2]!;
      expect(await getAudit(t.db, third.id)).toEqual(third);
      expect(third).toMatchObject({ actor: { subject: 'sa_ci', kind: 'service' }, channel: 'mcp', status: 201, diff: { after: { slug: 'payments' } } });
      expect(await getAudit(t.db, 'aud_missing')).toBeUndefined();
    });

    it('queries newest first with filters', async () => {
      const all = await queryAudit(t.db, { limit: 100 });
      expect(all.items.map((e) => e.seq)).toEqual(entries.map((e) => e.seq).reverse());
      expect(all.nextCursor).toBeNull();

      const seqs = async (q: Parameters<typeof queryAudit>[1]) => (await queryAudit(t.db, q)).items.map((e) => e.seq);
      const want = (pred: (e: (typeof entries)[number]) => boolean) =>
        entries
          .filter(pred)
          .map((e) => e.seq)
          .reverse();

      expect(await seqs({ limit: 100, actor: 'usr_bob' })).toEqual(want((e) => e.actor.subject === 'usr_bob'));
      // By name as well as by subject.
      expect(await seqs({ limit: 100, actor: 'ci' })).toEqual(want((e) => e.actor.name === 'ci'));
      expect(await seqs({ limit: 100, resourceType: 'proxies' })).toEqual(want((e) => e.resourceType === 'proxies'));
      expect(await seqs({ limit: 100, action: 'collections.delete' })).toEqual(want((e) => e.action === 'collections.delete'));
      expect(await seqs({ limit: 100, outcome: 'denied' })).toEqual(want((e) => e.outcome === 'denied'));
      expect(await seqs({ limit: 100, status: 409 })).toEqual(want((e) => e.status === 409));
      expect(await seqs({ limit: 100, channel: 'console' })).toEqual(want((e) => e.channel === 'console'));
      expect(await seqs({ limit: 100, ip: '10.0.0.7' })).toEqual(want((e) => e.ip === '10.0.0.7'));
      expect(await seqs({ limit: 100, from: at(120), to: at(300) })).toEqual(want((e) => e.time >= at(120) && e.time < at(300)));
      expect(await seqs({ limit: 100, from: at(400) })).toEqual(want((e) => e.time >= at(400)));
      expect(await seqs({ limit: 100, to: at(1) })).toEqual([1]);
      expect(await seqs({ limit: 100, actor: 'usr_bob', outcome: 'success' })).toEqual(want((e) => e.actor.subject === 'usr_bob' && e.outcome === 'success'));
      expect(await seqs({ limit: 100, actor: 'nobody' })).toEqual([]);
    });

    it('pages with a cursor, also under a filter', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await queryAudit(t.db, { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((e) => e.seq));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(entries.map((e) => e.seq).reverse());

      const alice = entries
        .filter((e) => e.actor.subject === 'usr_alice')
        .map((e) => e.seq)
        .reverse();
      const first = await queryAudit(t.db, { limit: 2, actor: 'usr_alice' });
      const second = await queryAudit(t.db, { limit: 2, actor: 'usr_alice', cursor: first.nextCursor! });
      expect([...first.items, ...second.items].map((e) => e.seq)).toEqual(alice.slice(0, 4));
    });

    async function tampered(change: () => Promise<unknown>, restore: () => Promise<unknown>) {
      await change();
      try {
        return await verifyAuditChain(t.db);
      } finally {
        await restore();
        expect((await verifyAuditChain(t.db)).ok).toBe(true);
      }
    }

    it('finds an edited diff at exactly that entry', async () => {
      const target = entries[4]!;
      const original = (await t.db.selectFrom('audit_log').select('diff').where('seq', '=', target.seq).executeTakeFirstOrThrow()).diff;
      const verdict = await tampered(
        () =>
          t.db
            .updateTable('audit_log')
            .set({ diff: JSON.stringify({ after: { slug: 'innocent' } }) })
            .where('seq', '=', target.seq)
            .execute(),
        () => t.db.updateTable('audit_log').set({ diff: original }).where('seq', '=', target.seq).execute(),
      );
      expect(verdict).toMatchObject({ ok: false, entries: target.seq - 1, brokenAt: { seq: target.seq, id: target.id } });
      expect(verdict.ok === false && verdict.brokenAt.reason).toMatch(/contents/);
    });

    it('finds an edited actor name at exactly that entry, also with raw SQL', async () => {
      const target = entries[2]!;
      const verdict = await tampered(
        () => sql`update audit_log set actor_name = 'someone-else' where seq = ${target.seq}`.execute(t.db),
        () => sql`update audit_log set actor_name = ${target.actor.name} where seq = ${target.seq}`.execute(t.db),
      );
      expect(verdict).toMatchObject({ ok: false, brokenAt: { seq: target.seq, id: target.id } });
    });

    it('finds an altered previous-hash link', async () => {
      const target = entries[6]!;
      const verdict = await tampered(
        () =>
          t.db
            .updateTable('audit_log')
            .set({ prev_hash: 'f'.repeat(64) })
            .where('seq', '=', target.seq)
            .execute(),
        () => t.db.updateTable('audit_log').set({ prev_hash: target.prevHash }).where('seq', '=', target.seq).execute(),
      );
      expect(verdict).toMatchObject({ ok: false, entries: target.seq - 1, brokenAt: { seq: target.seq, id: target.id } });
      expect(verdict.ok === false && verdict.brokenAt.reason).toMatch(/previous-hash/);
    });

    it('finds a rewritten entry even when its own hash was recomputed (the next link breaks)', async () => {
      const target = entries[3]!;
      const row = await t.db.selectFrom('audit_log').selectAll().where('seq', '=', target.seq).executeTakeFirstOrThrow();
      const { auditHash } = await import('../../src/store/repositories/audit.js');
      const { hash: _hash, ...rest } = row;
      const forged = { ...rest, seq: Number(row.seq), status: Number(row.status), outcome: 'success' };
      const verdict = await tampered(
        () =>
          t.db
            .updateTable('audit_log')
            .set({ outcome: 'success', hash: auditHash(forged) })
            .where('seq', '=', target.seq)
            .execute(),
        () => t.db.updateTable('audit_log').set({ outcome: row.outcome, hash: row.hash }).where('seq', '=', target.seq).execute(),
      );
      expect(verdict).toMatchObject({ ok: false, brokenAt: { seq: target.seq + 1 } });
    });

    it('finds a deleted entry as a gap', async () => {
      const target = entries[5]!;
      const row = await t.db.selectFrom('audit_log').selectAll().where('seq', '=', target.seq).executeTakeFirstOrThrow();
      const verdict = await tampered(
        () => t.db.deleteFrom('audit_log').where('seq', '=', target.seq).execute(),
        () => t.db.insertInto('audit_log').values(row).execute(),
      );
      expect(verdict).toMatchObject({ ok: false, entries: target.seq - 1, brokenAt: { seq: target.seq + 1 } });
      expect(verdict.ok === false && verdict.brokenAt.reason).toContain(`entry ${target.seq} is missing`);
    });

    it('finds a deleted first entry', async () => {
      const row = await t.db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
      const verdict = await tampered(
        () => t.db.deleteFrom('audit_log').where('seq', '=', 1).execute(),
        () => t.db.insertInto('audit_log').values(row).execute(),
      );
      expect(verdict).toMatchObject({ ok: false, entries: 0, brokenAt: { seq: 2 } });
    });
  });

  describe(`concurrent audit appends on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('40 appends from separate transactions all succeed and form one gapless, verifiable chain', async () => {
      expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => append(t, draft({ requestId: `parallel-${i}`, resourceId: `col_${i}` }))));
      expect(new Set(results.map((e) => e.seq))).toEqual(new Set(Array.from({ length: 40 }, (_, i) => i + 1)));
      const verdict = await verifyAuditChain(t.db);
      expect(verdict).toMatchObject({ ok: true, entries: 40 });
      const rows = await t.db.selectFrom('audit_log').select(['seq', 'request_id']).orderBy('seq').execute();
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.request_id))).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `parallel-${i}`)));
    });

    it('a rolled-back transaction leaves no entry and no gap', async () => {
      const before = await verifyAuditChain(t.db);
      await expect(
        t.db.transaction().execute(async (trx) => {
          await lockAuditChain(trx, t.dialect);
          await appendAudit(trx, draft({ requestId: 'rolled-back' }));
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      const next = await append(t, draft({ requestId: 'after-rollback' }));
      expect(before.ok && next.seq).toBe(before.entries + 1);
      expect((await queryAudit(t.db, { limit: 10, actor: 'usr_alice' })).items.some((e) => e.requestId === 'rolled-back')).toBe(false);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });

    it('an append given the head writes after it at once; given a head that moved or never committed, it reads the chain and still links', async () => {
      const headOf = (e: { seq: number; hash: string }) => ({ seq: e.seq, hash: e.hash });
      const first = await inChainTransaction(t, (trx) => appendAudit(trx, draft({ requestId: 'head-0' })));
      // The head as it is: one statement, no read (each statement run passes transformResult once).
      let statements = 0;
      const counting = t.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      });
      const second = await inChainTransaction({ db: counting, dialect: t.dialect }, (trx) => appendAudit(trx, draft({ requestId: 'head-1' }), headOf(first)));
      expect(second.seq).toBe(first.seq + 1);
      expect(second.prevHash).toBe(first.hash);
      // On PostgreSQL `begin` with the lock and `commit` are statements run through the connection too.
      expect(statements).toBe(t.dialect === 'postgres' ? 3 : 1);
      // Moved on by another writer: `first` is no longer the head.
      const third = await inChainTransaction(t, (trx) => appendAudit(trx, draft({ requestId: 'head-2' }), headOf(first)));
      expect(third.seq).toBe(second.seq + 1);
      expect(third.prevHash).toBe(second.hash);
      // A head from a transaction that rolled back was never stored.
      const ghost = await inChainTransaction(t, async (trx) => {
        const e = await appendAudit(trx, draft({ requestId: 'ghost' }), headOf(third));
        await trx.deleteFrom('audit_log').where('seq', '=', e.seq).execute();
        return { seq: e.seq, hash: e.hash };
      });
      const fourth = await inChainTransaction(t, (trx) => appendAudit(trx, draft({ requestId: 'head-3' }), ghost));
      expect(fourth.seq).toBe(third.seq + 1);
      expect(fourth.prevHash).toBe(third.hash);
      expect((await verifyAuditChain(t.db)).ok).toBe(true);
    });

    it('inChainTransaction rolls back when its work throws, and holds the chain lock: parallel appends form one chain', async () => {
      const before = await verifyAuditChain(t.db);
      await expect(
        inChainTransaction(t, async (trx) => {
          await appendAudit(trx, draft({ requestId: 'rolled-back-2' }));
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      expect((await queryAudit(t.db, { limit: 50, actor: 'usr_alice' })).items.some((e) => e.requestId === 'rolled-back-2')).toBe(false);
      await Promise.all(Array.from({ length: 20 }, (_, i) => inChainTransaction(t, (trx) => appendAudit(trx, draft({ requestId: `locked-${i}` })))));
      const after = await verifyAuditChain(t.db);
      expect(after).toMatchObject({ ok: true, entries: (before.ok ? before.entries : 0) + 20 });
    });
  });

  describe(`credentials on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('inserts and lists per profile in creation order, never showing the hash', async () => {
      const a = await insertCredential(t.db, credentialRow('prf_list', { created_at: at(1) }));
      const b = await insertCredential(t.db, credentialRow('prf_list', { created_at: at(2), expires_at: at(99_999) }));
      await insertCredential(t.db, credentialRow('prf_other'));
      const listed = await listCredentials(t.db, 'prf_list');
      expect(listed).toEqual([a, b]);
      expect(b).toMatchObject({ profileId: 'prf_list', clientId: 'cli_1', status: 'active', expiresAt: at(99_999), graceUntil: null, createdAt: at(2) });
      for (const c of listed) {
        expect(Object.keys(c)).not.toContain('tokenHash');
        expect(JSON.stringify(c)).not.toMatch(/[0-9a-f]{64}/);
      }
      expect(await getCredential(t.db, a.id)).toEqual(a);
      expect(await getCredential(t.db, 'crd_missing')).toBeUndefined();
      expect(await listCredentials(t.db, 'prf_none')).toEqual([]);
    });

    it('rotation gives a grace period to active credentials only, of that profile only', async () => {
      const active1 = await insertCredential(t.db, credentialRow('prf_rot'));
      const active2 = await insertCredential(t.db, credentialRow('prf_rot'));
      const revoked = await insertCredential(t.db, credentialRow('prf_rot', { status: 'revoked' }));
      const oldGrace = await insertCredential(t.db, credentialRow('prf_rot', { status: 'rotated', grace_until: at(5) }));
      const elsewhere = await insertCredential(t.db, credentialRow('prf_rot_other'));
      const grace = new Date(Date.now() + 3_600_000).toISOString();
      expect(await rotateActiveCredentials(t.db, 'prf_rot', grace)).toBe(2);
      expect(await getCredential(t.db, active1.id)).toMatchObject({ status: 'rotated', graceUntil: grace });
      expect(await getCredential(t.db, active2.id)).toMatchObject({ status: 'rotated', graceUntil: grace });
      expect(await getCredential(t.db, revoked.id)).toEqual(revoked);
      expect(await getCredential(t.db, oldGrace.id)).toEqual(oldGrace);
      expect(await getCredential(t.db, elsewhere.id)).toEqual(elsewhere);
      // Nothing active is left to rotate.
      expect(await rotateActiveCredentials(t.db, 'prf_rot', grace)).toBe(0);
    });

    it('revokes one credential', async () => {
      const keep = await insertCredential(t.db, credentialRow('prf_rev'));
      const gone = await insertCredential(t.db, credentialRow('prf_rev'));
      await revokeCredential(t.db, gone.id);
      expect(await getCredential(t.db, gone.id)).toMatchObject({ status: 'revoked' });
      expect(await getCredential(t.db, keep.id)).toEqual(keep);
    });

    it('refuses two credentials with the same token hash', async () => {
      const row = credentialRow('prf_dup');
      await insertCredential(t.db, row);
      await expect(insertCredential(t.db, { ...row, id: newId('crd') })).rejects.toThrow();
      expect(await listCredentials(t.db, 'prf_dup')).toHaveLength(1);
    });
  });

  describe(`secrets, settings and the master key on ${dialect}`, () => {
    let t: TestDatabase;
    const box = new SecretBox(randomBytes(32));
    beforeAll(async () => {
      t = await freshDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('stores sealed secrets that round-trip and never hold the plaintext', async () => {
      const plaintext = `upstream-password-${randomBytes(8).toString('hex')}`;
      await putSecret(t.db, 'proxies', 'prx_1', box.seal(plaintext));
      const stored = await getSecret(t.db, 'proxies', 'prx_1');
      expect(stored).toBeTypeOf('string');
      expect(box.open(stored!)).toBe(plaintext);
      const rows = await t.db.selectFrom('secrets').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(plaintext);
      expect(JSON.stringify(rows)).not.toContain(Buffer.from(plaintext).toString('base64'));
      // Sealing twice gives different ciphertexts (fresh IV).
      expect(box.seal(plaintext)).not.toBe(box.seal(plaintext));
    });

    it('replaces a secret for the same owner and deletes it', async () => {
      await putSecret(t.db, 'proxies', 'prx_2', box.seal('first'));
      await putSecret(t.db, 'proxies', 'prx_2', box.seal('second'));
      expect(box.open((await getSecret(t.db, 'proxies', 'prx_2'))!)).toBe('second');
      expect(await t.db.selectFrom('secrets').where('owner_id', '=', 'prx_2').select('owner_id').execute()).toHaveLength(1);
      // Owners of another type are separate.
      await putSecret(t.db, 'service-accounts', 'prx_2', box.seal('other'));
      expect(box.open((await getSecret(t.db, 'proxies', 'prx_2'))!)).toBe('second');
      await deleteSecret(t.db, 'proxies', 'prx_2');
      expect(await getSecret(t.db, 'proxies', 'prx_2')).toBeUndefined();
      expect(box.open((await getSecret(t.db, 'service-accounts', 'prx_2'))!)).toBe('other');
    });

    it('refuses to open with another key or after tampering', async () => {
      const sealed = box.seal('s3cret-value');
      expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
      const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      expect(() => box.open([v, iv, tag, flip(body)].join('.'))).toThrow();
      expect(() => box.open([v, iv, flip(tag), body].join('.'))).toThrow();
      expect(() => box.open([v, flip(iv), tag, body].join('.'))).toThrow();
      expect(() => box.open([v, iv, tag.slice(0, 4), body].join('.'))).toThrow();
      expect(() => box.open([v, iv, tag].join('.'))).toThrow();
      expect(() => box.open(['v2', iv, tag, body].join('.'))).toThrow();
      expect(() => box.open('plaintext')).toThrow();
      expect(() => new SecretBox(randomBytes(16))).toThrow();
    });

    it('putSettingOnce: the first writer wins, also when writers race', async () => {
      expect(await putSettingOnce(t.db, 'cookie-keys', 'first')).toBe('first');
      expect(await putSettingOnce(t.db, 'cookie-keys', 'second')).toBe('first');
      expect(await getSetting(t.db, 'cookie-keys')).toBe('first');
      expect(await getSetting(t.db, 'missing')).toBeUndefined();
      const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => putSettingOnce(t.db, 'raced', `value-${i}`)));
      expect(new Set(raced).size).toBe(1);
      expect(await getSetting(t.db, 'raced')).toBe(raced[0]);
    });

    it('checkMasterKey accepts the key the store was set up with and refuses another', async () => {
      await checkMasterKey(t.db, box);
      await checkMasterKey(t.db, box);
      await expect(checkMasterKey(t.db, new SecretBox(randomBytes(32)))).rejects.toThrow(/does not match/);
      await checkMasterKey(t.db, box);
    });
  });

  describe(`migrations on ${dialect}`, () => {
    it('migrate() on an up-to-date store is a no-op', async () => {
      const t = await freshDatabase(dialect);
      try {
        expect(await migrate(t)).toEqual([]);
        expect(await migrate(t)).toEqual([]);
      } finally {
        await t.drop();
      }
    });

    it('two stores side by side in one database server migrate independently', async () => {
      // On PostgreSQL each gateway (or test run) may have its own schema in one database.
      const first = await freshDatabase(dialect);
      let second: TestDatabase | undefined;
      try {
        second = await freshDatabase(dialect);
        const repo = new ResourceRepository<Thing>('collections');
        await repo.insert(first.db, newId('col'), { name: 'Only here', size: 1 }, { key: 'only-here' }, at(0));
        expect(await repo.getByKey(second.db, 'only-here')).toBeUndefined();
        expect(await migrate(second)).toEqual([]);
      } finally {
        await second?.drop();
        await first.drop();
      }
    });

    it('three nodes migrating one fresh store at once: all resolve, each migration runs once', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-'));
      const schema = `gh_test_mig_${randomBytes(5).toString('hex')}`;
      if (dialect === 'postgres') {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`create schema ${schema}`);
        await admin.end();
      }
      const open = () => openDatabase(dialect === 'postgres' ? { url: PG_URL, pgSchema: schema, dataDir } : { dataDir });
      const nodes = [open(), open(), open()];
      try {
        const applied = await Promise.all(nodes.map((n) => migrate(n)));
        const flat = applied.flat();
        expect(flat.length).toBeGreaterThan(0);
        expect(new Set(flat).size).toBe(flat.length);
        const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(nodes[0]!.db);
        expect(recorded.rows.map((r) => r.name)).toEqual([...flat].sort());
        // The tables exist, once.
        const tables =
          dialect === 'postgres'
            ? await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(nodes[0]!.db)
            : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(nodes[0]!.db);
        const names = tables.rows.map((r) => r.name);
        for (const table of ['resources', 'audit_log', 'credentials', 'secrets', 'settings', 'users', 'request_log_segments']) {
          expect(names.filter((n) => n === table)).toHaveLength(1);
        }
        // Every node sees a working store, and a second round is a no-op everywhere.
        expect(await Promise.all(nodes.map((n) => migrate(n)))).toEqual([[], [], []]);
        await append(nodes[1]!, draft());
        expect(await verifyAuditChain(nodes[2]!.db)).toMatchObject({ ok: true, entries: 1 });
      } finally {
        for (const n of nodes) await n.close().catch(() => {});
        if (dialect === 'postgres') {
          const admin = new pg.Client({ connectionString: PG_URL });
          await admin.connect();
          await dropSchema(admin, schema);
          await admin.end();
        }
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}

describe('master key file', () => {
  it('is made once in the data directory and read back after; a configured key must be 32 bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-key-'));
    try {
      const first = loadMasterKey(dir);
      expect(first.created).toBe(true);
      expect(first.key).toHaveLength(32);
      const again = loadMasterKey(dir);
      expect(again.created).toBe(false);
      expect(again.key.equals(first.key)).toBe(true);
      const configured = randomBytes(32);
      expect(loadMasterKey(dir, configured.toString('base64')).key.equals(configured)).toBe(true);
      expect(() => loadMasterKey(dir, randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
