import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GatehouseError, type Principal } from '../core/index.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../../test/support/databases.js';
import { type ChangeFeed, type ConfigChange, createLocalChangeFeed } from '../store/change-feed.js';
import { auditEntries } from '../store/repositories/audit.js';
import { SecretBox } from '../store/secret-box.js';
import { Executor, type OperationCall, type StoreHealth } from './executor.js';
import { type AnyOperation, defineOperation } from './operation.js';
import { createRegistry } from './registry.js';

// The executor's phases in the order DESIGN.md gives (authorize → validate → prepare → handler and
// audit in one transaction → publish), each shown by what a caller and the store see when it refuses
// or fails. One suite, run over every dialect.

const admin: Principal = { subject: 'usr_admin', name: 'Ada Admin', kind: 'user', groups: [] };
const viewer: Principal = { subject: 'usr_viewer', name: 'Vic Viewer', kind: 'user', groups: [] };

/** What the test operations' handlers and prepare phases saw, in order. */
const seen: string[] = [];
/** A handler waits on this when a test wants it held mid-transaction. */
let hold: Promise<void> | null = null;

const NoteInput = z.strictObject({
  id: z.string().min(1),
  text: z.string().max(20),
  failAfterWrite: z.boolean().default(false),
  slowPrepare: z.boolean().default(false),
});

/** A write that stores one row in the resources table: its row and its audit entry commit together or not at all. */
const writeNote = defineOperation({
  name: 'policies.test-note',
  resource: 'policies',
  action: 'test-note',
  summary: 'Executor test: writes one row.',
  permission: 'write',
  input: NoteInput,
  output: z.object({ id: z.string() }),
  http: { method: 'POST', path: '/test-notes' },
  prepareTimeoutMs: 200,
  async prepare(input) {
    seen.push(`prepare:${input.id}`);
    if (input.slowPrepare) await new Promise((r) => setTimeout(r, 5_000).unref());
    return { preparedFor: input.id };
  },
  async handler(ctx, input, prepared) {
    seen.push(`handler:${input.id}:${prepared.preparedFor}`);
    const now = ctx.now;
    await ctx.db
      .insertInto('resources')
      .values({
        type: 'policies',
        id: input.id,
        key: `note-${input.id}`,
        parent_id: null,
        collection_id: null,
        data: JSON.stringify({ text: input.text }),
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    ctx.audit.resourceId = input.id;
    ctx.audit.after = { text: input.text };
    if (hold) await hold;
    if (input.failAfterWrite) throw new GatehouseError('GATEHOUSE_CONFLICT', 'failed after writing');
    return { id: input.id };
  },
});

describe.each(['sqlite', 'postgres'] as const)('executor phases on %s', (dialect) => {
  let db: TestDatabase | null = null;
  let executor: Executor;
  let feed: ChangeFeed;
  const published: Array<{ change: ConfigChange; rowVisible: boolean }> = [];
  let storeUp = true;
  const stallListeners = new Set<() => void>();
  const health: StoreHealth = {
    available: () => storeUp,
    onUnavailable(listener) {
      stallListeners.add(listener);
      return () => stallListeners.delete(listener);
    },
  };

  beforeAll(async () => {
    if (dialect === 'postgres' && !(await postgresAvailable())) return;
    db = await freshDatabase(dialect);
    feed = createLocalChangeFeed();
    const operations: AnyOperation[] = [writeNote];
    executor = new Executor({
      database: db,
      registry: createRegistry({}, operations),
      secrets: new SecretBox(randomBytes(32)),
      changes: feed,
      storeHealth: health,
    });
    // A subscriber reads the store when told: it must find the change already committed.
    feed.subscribe((change) => {
      if (change.action !== 'policies.test-note') return;
      const id = change.resourceId ?? '';
      void db!.db
        .selectFrom('resources')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst()
        .then((row) => published.push({ change, rowVisible: row !== undefined }));
    });
    await executor.execute(
      'role-bindings.create',
      { subject: viewer.subject, role: 'viewer' },
      { principal: admin, channel: 'api', requestId: 'setup', localAdmin: true },
    );
  });
  afterAll(async () => {
    await db?.drop();
  });

  const call = (principal: Principal, extra: Partial<OperationCall> = {}): OperationCall => ({
    principal,
    channel: 'api',
    requestId: `req_${randomBytes(4).toString('hex')}`,
    ...extra,
  });
  const rowOf = (id: string) => db!.db.selectFrom('resources').select(['id', 'data']).where('id', '=', id).executeTakeFirst();
  const auditOf = async (requestId: string) => {
    const found = [];
    for await (const page of auditEntries(db!.db, { action: 'policies.test-note' })) found.push(...page.filter((e) => e.requestId === requestId));
    return found;
  };
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as GatehouseError;
    }
    throw new Error('expected a refusal');
  };

  it('authorizes before it validates: a viewer with invalid input is refused 403, audited as denied, and nothing runs', async (ctx) => {
    if (!db) return ctx.skip();
    seen.length = 0;
    const c = call(viewer);
    const err = await refusal(executor.dispatch('policies.test-note', { id: 'n-viewer', text: 'x'.repeat(500) }, c));
    expect(err.code).toBe('GATEHOUSE_FORBIDDEN');
    expect(seen).toEqual([]);
    expect(await rowOf('n-viewer')).toBeUndefined();
    const entries = await auditOf(c.requestId);
    expect(entries.map((e) => [e.action, e.outcome, e.errorCode])).toEqual([['policies.test-note', 'denied', 'GATEHOUSE_FORBIDDEN']]);
  });

  it('validates before the prepare phase: bad input is 400 with the failing field, audited as a failure, nothing prepared or written', async (ctx) => {
    if (!db) return ctx.skip();
    seen.length = 0;
    const c = call(admin, { localAdmin: true });
    const err = await refusal(executor.dispatch('policies.test-note', { id: 'n-bad', text: 'x'.repeat(500) }, c));
    expect(err.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details)).toContain('text');
    expect(seen).toEqual([]);
    expect(await rowOf('n-bad')).toBeUndefined();
    expect((await auditOf(c.requestId)).map((e) => e.outcome)).toEqual(['failure']);
  });

  it('prepares outside the transaction, then commits the row and its audit entry together and publishes only after the commit', async (ctx) => {
    if (!db) return ctx.skip();
    seen.length = 0;
    published.length = 0;
    const c = call(admin, { localAdmin: true });
    await expect(executor.dispatch('policies.test-note', { id: 'n-ok', text: 'hello' }, c)).resolves.toEqual({ id: 'n-ok' });
    expect(seen).toEqual(['prepare:n-ok', 'handler:n-ok:n-ok']);
    expect(JSON.parse((await rowOf('n-ok'))!.data)).toEqual({ text: 'hello' });
    const [entry, ...rest] = await auditOf(c.requestId);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ action: 'policies.test-note', outcome: 'success', resourceId: 'n-ok', actor: { subject: admin.subject, name: admin.name } });
    await expect.poll(() => published.length).toBe(1);
    expect(published[0]!.rowVisible).toBe(true);
    expect(published[0]!.change).toMatchObject({ resourceType: 'policies', resourceId: 'n-ok', seq: { first: entry!.seq, last: entry!.seq } });
  });

  it('rolls back a handler that fails after writing: no row, no success entry, one failure entry, nothing published', async (ctx) => {
    if (!db) return ctx.skip();
    published.length = 0;
    const c = call(admin, { localAdmin: true });
    const err = await refusal(executor.dispatch('policies.test-note', { id: 'n-fail', text: 'x', failAfterWrite: true }, c));
    expect(err.code).toBe('GATEHOUSE_CONFLICT');
    expect(await rowOf('n-fail')).toBeUndefined();
    expect((await auditOf(c.requestId)).map((e) => [e.outcome, e.errorCode])).toEqual([['failure', 'GATEHOUSE_CONFLICT']]);
    // A later successful write is published, so nothing from the failed one is waiting behind it.
    await executor.dispatch('policies.test-note', { id: 'n-after-fail', text: 'x' }, call(admin, { localAdmin: true }));
    await expect.poll(() => published.map((p) => p.change.resourceId)).toEqual(['n-after-fail']);
  });

  it('answers a dry run with the plan and leaves no row, no audit entry and no change behind', async (ctx) => {
    if (!db) return ctx.skip();
    published.length = 0;
    const c = call(admin, { localAdmin: true, dryRun: true });
    const out = await executor.dispatch('policies.test-note', { id: 'n-dry', text: 'planned' }, c);
    expect(out).toEqual({ dryRun: true, planned: { resourceId: 'n-dry', after: { text: 'planned' } }, result: { id: 'n-dry' } });
    expect(await rowOf('n-dry')).toBeUndefined();
    expect(await auditOf(c.requestId)).toEqual([]);
    await executor.dispatch('policies.test-note', { id: 'n-after-dry', text: 'x' }, call(admin, { localAdmin: true }));
    await expect.poll(() => published.map((p) => p.change.resourceId)).toEqual(['n-after-dry']);
  });

  it('bounds the prepare phase: past its limit the call is 504 and the handler never runs', async (ctx) => {
    if (!db) return ctx.skip();
    seen.length = 0;
    const c = call(admin, { localAdmin: true });
    const err = await refusal(executor.dispatch('policies.test-note', { id: 'n-slow', text: 'x', slowPrepare: true }, c));
    expect(err.code).toBe('GATEHOUSE_UPSTREAM_TIMEOUT');
    expect(seen).toEqual(['prepare:n-slow']);
    expect(await rowOf('n-slow')).toBeUndefined();
    expect((await auditOf(c.requestId)).map((e) => e.errorCode)).toEqual(['GATEHOUSE_UPSTREAM_TIMEOUT']);
  });

  it('refuses at once with 503 while the store is known stalled, and never commits a write whose caller was told 503', async (ctx) => {
    if (!db) return ctx.skip();
    seen.length = 0;
    storeUp = false;
    try {
      const err = await refusal(executor.dispatch('policies.test-note', { id: 'n-stalled', text: 'x' }, call(admin, { localAdmin: true })));
      expect(err.code).toBe('GATEHOUSE_STORE_UNAVAILABLE');
      expect(seen).toEqual([]);
    } finally {
      storeUp = true;
    }
    // The store stalls while a write is inside its transaction: the caller is answered 503 then, and the write rolls back.
    let release!: () => void;
    hold = new Promise<void>((r) => {
      release = r;
    });
    try {
      const pending = executor.dispatch('policies.test-note', { id: 'n-abandoned', text: 'x' }, call(admin, { localAdmin: true }));
      await expect.poll(() => seen.includes('handler:n-abandoned:n-abandoned')).toBe(true);
      for (const listener of stallListeners) listener();
      const err = await refusal(pending);
      expect(err.code).toBe('GATEHOUSE_STORE_UNAVAILABLE');
    } finally {
      hold = null;
      release();
    }
    await expect.poll(async () => (await db!.db.selectFrom('resources').select('id').where('id', '=', 'n-abandoned').execute()).length).toBe(0);
    // The transaction has ended (rolled back): a later write goes through.
    await expect(executor.dispatch('policies.test-note', { id: 'n-after-stall', text: 'x' }, call(admin, { localAdmin: true }))).resolves.toEqual({
      id: 'n-after-stall',
    });
    expect(await rowOf('n-abandoned')).toBeUndefined();
  });
});
