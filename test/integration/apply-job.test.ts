import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/index.js';
import { startGatehouse } from '../../src/node/index.js';
import { insertJob } from '../../src/store/repositories/jobs.js';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// 100,000 items take one to two minutes on PostgreSQL on a loaded machine; 12,000 run for several
// seconds (creates are written 200 to a statement: 2,500 took well under a second on a quiet
// machine, too short to see the progress rise between its 0.5 s writes), short enough for the suite.
const ITEMS = 12_000;

const pg = await postgresAvailable();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!pg)('a declarative apply as a job (PostgreSQL)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse('postgres');
  });
  afterAll(async () => {
    await t?.gh.executor.jobs.settle();
    await t?.close();
  });

  const getJob = async (id: string) => {
    const got = await call(t.api, t.adminToken, 'GET', `/jobs/${id}`);
    expect(got.status).toBe(200);
    return got.body as Job;
  };

  it('answers 202 with the job, shows progress rising, survives a client that goes away, and ends with the result and the audit entries', async () => {
    const policies = Array.from({ length: ITEMS }, (_, i) => ({ name: `job-${i}`, rateLimits: [{ window: 'minute', limit: 100 + i }] }));
    const started = await call(t.api, t.adminToken, 'POST', '/config/apply', { document: { policies } }, { prefer: 'respond-async' });
    expect(started.status).toBe(202);
    expect(started.headers.get('preference-applied')).toBe('respond-async');
    const job = started.body as Job;
    expect(started.headers.get('location')).toBe(`/admin/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ operation: 'config.apply', state: 'queued', createdByName: 'admin', itemsApplied: 0 });

    // Watch for a while, as a client would, then stop (the client went away).
    const seen: Job[] = [];
    const t0 = Date.now();
    // Until two counts between none and all were seen: a quick machine writes a third of the items before the first
    // progress write, so stopping at a third could leave one count to compare.
    const midway = new Set<number>();
    while (Date.now() - t0 < 30_000) {
      const now = await getJob(job.id);
      seen.push(now);
      if (now.state === 'running' && now.phase === 'applying' && now.itemsApplied > 0 && now.itemsApplied < ITEMS) midway.add(now.itemsApplied);
      if (midway.size >= 2) break;
      if (now.state !== 'queued' && now.state !== 'running') break;
      await sleep(100);
    }
    const applying = seen.filter((j) => j.state === 'running' && j.phase === 'applying');
    const counts = applying.map((j) => j.itemsApplied);
    // Progress is visible while the transaction runs, and only ever rises.
    expect(new Set(counts.filter((n) => n > 0 && n < ITEMS)).size).toBeGreaterThanOrEqual(2);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(applying.at(-1)?.itemsPlanned).toBe(ITEMS);
    expect(applying.some((j) => typeof j.etaSeconds === 'number' && j.etaSeconds > 0)).toBe(true);

    // Gone for a second and back: the job is found again from the list, where it stands.
    await sleep(1_000);
    const listed = await call(t.api, t.adminToken, 'GET', '/jobs?state=running');
    expect(listed.status).toBe(200);
    const again = (listed.body.items as Job[]).find((j) => j.id === job.id);
    expect(again?.itemsApplied ?? ITEMS).toBeGreaterThanOrEqual(counts.at(-1)!);

    let done = await getJob(job.id);
    while (done.state === 'queued' || done.state === 'running') {
      await sleep(200);
      done = await getJob(job.id);
    }
    expect(done).toMatchObject({ state: 'succeeded', phase: 'done', itemsPlanned: ITEMS, itemsApplied: ITEMS, error: null });
    expect(done.finishedAt).not.toBeNull();
    // The result is the body the direct apply answers.
    const result = done.result as { changes: unknown[]; summary: { create: number } };
    expect(result.summary).toEqual({ create: ITEMS, update: 0, delete: 0 });
    expect(result.changes).toHaveLength(ITEMS);
    // Its audit entries are the apply's own: one per change, attributed to the caller, under the request that started it.
    expect(done.audit).toMatchObject({ entries: ITEMS });
    expect(done.audit!.lastSeq! - done.audit!.firstSeq! + 1).toBe(ITEMS);
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=policies.create&limit=1');
    expect(audit.body.items[0]).toMatchObject({ seq: done.audit!.lastSeq, requestId: done.requestId, outcome: 'success', actor: { name: 'admin' } });
    expect((await call(t.api, t.adminToken, 'GET', `/policies?q=job-${ITEMS - 1}`)).body.items).toHaveLength(1);
  }, 180_000);

  it('answers directly when the apply finishes within Prefer: wait, as an apply without a job does', async () => {
    const direct = await call(
      t.api,
      t.adminToken,
      'POST',
      '/config/apply',
      { document: { policies: [{ name: 'small', rateLimits: [{ window: 'minute', limit: 5 }] }] } },
      { prefer: 'respond-async, wait=20' },
    );
    expect(direct.status).toBe(200);
    expect(direct.body.summary).toEqual({ create: 1, update: 0, delete: 0 });
    // A failed job waited for is answered with its error, as the direct call's.
    const bad = await call(
      t.api,
      t.adminToken,
      'POST',
      '/config/apply',
      { document: { policies: [{ name: 'x', rateLimits: 'no' }] } },
      { prefer: 'respond-async, wait=20' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    // Input the operation's schema refuses is refused at once, never a job.
    const malformed = await call(t.api, t.adminToken, 'POST', '/config/apply?async=true', { document: 'no' });
    expect(malformed.status).toBe(400);
  });

  it('fails a job whose apply fails, with the error the direct call answers, and audits the failure as the caller', async () => {
    const started = await call(t.api, t.adminToken, 'POST', '/config/apply?async=true', {
      document: { policies: [{ name: 'ok-one' }], clients: [{ name: 'c', policy: 'no-such-policy' }] },
    });
    expect(started.status).toBe(202);
    let job = started.body as Job;
    while (job.state === 'queued' || job.state === 'running') {
      await sleep(100);
      job = await getJob(job.id);
    }
    expect(job.state).toBe('failed');
    expect(job.error?.code).toMatch(/^GATEHOUSE_/);
    expect(job.audit?.entries).toBe(1);
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=config.apply&limit=1');
    expect(audit.body.items[0]).toMatchObject({ outcome: 'failure', requestId: job.requestId, seq: job.audit!.firstSeq });
  });

  it('shows a job to its creator and admins only', async () => {
    const modifier = await t.user('modifier');
    const other = await t.user('modifier');
    const started = await call(t.api, modifier.token, 'POST', '/config/apply', { document: { policies: [{ name: 'mine' }] } }, { prefer: 'respond-async' });
    expect(started.status).toBe(202);
    const id = (started.body as Job).id;
    expect((await call(t.api, modifier.token, 'GET', `/jobs/${id}`)).status).toBe(200);
    expect((await call(t.api, t.adminToken, 'GET', `/jobs/${id}`)).status).toBe(200);
    expect((await call(t.api, other.token, 'GET', `/jobs/${id}`)).status).toBe(404);
    expect(((await call(t.api, other.token, 'GET', '/jobs')).body.items as Job[]).map((j) => j.id)).not.toContain(id);
    expect(((await call(t.api, modifier.token, 'GET', '/jobs')).body.items as Job[]).map((j) => j.id)).toEqual([id]);
  });

  it('is answered by another node of the cluster, and a job whose node died reads as abandoned, and is marked so when a node starts', async () => {
    const listed = await call(t.api, t.adminToken, 'GET', '/jobs?limit=1&state=succeeded');
    const known = (listed.body.items as Job[])[0]!;
    const old = new Date(Date.now() - 60_000).toISOString();
    await insertJob(t.db.db, {
      id: 'job_dead',
      operation: 'config.apply',
      state: 'running',
      phase: 'applying',
      created_by: known.createdBy,
      created_by_name: 'admin',
      channel: 'cli',
      request_id: 'r-dead',
      node: 'node_gone',
      items_planned: 10,
      items_applied: 4,
      created_at: old,
      started_at: old,
      phase_started_at: old,
      updated_at: old,
      finished_at: null,
      audit_entries: null,
      audit_first_seq: null,
      audit_last_seq: null,
      result: null,
      error: null,
    });
    expect(await getJob('job_dead')).toMatchObject({ state: 'abandoned', error: { code: 'GATEHOUSE_JOB_ABANDONED' } });

    const second = await startGatehouse({
      port: 0,
      dataDir: t.db.dataDir,
      databaseUrl: t.db.env.GATEHOUSE_DATABASE_URL,
      databaseSchema: t.db.env.GATEHOUSE_DATABASE_SCHEMA,
      logLevel: 'silent',
    });
    try {
      const [kind, subject] = known.createdBy.split(':') as ['user', string];
      const asAdmin = { principal: { kind, subject, name: 'admin', groups: [] }, channel: 'api' as const, requestId: 'other-node' };
      expect(await second.executor.execute('jobs.get', { id: known.id }, asAdmin)).toMatchObject({ id: known.id, state: known.state });
      const stored = await t.db.db.selectFrom('jobs').select(['state', 'finished_at']).where('id', '=', 'job_dead').executeTakeFirstOrThrow();
      expect(stored.state).toBe('abandoned');
      expect(stored.finished_at).not.toBeNull();
    } finally {
      await second.close();
    }
  });
});
