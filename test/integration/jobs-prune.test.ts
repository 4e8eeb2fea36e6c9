import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/index.js';
import { insertJob, type JobRow, pruneJobs } from '../../src/store/repositories/jobs.js';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// Finished jobs are removed past a retention (age, and a count), so the jobs table stays bounded
// however many applies run; a job not yet finished is never removed (issue 56).
const pg = await postgresAvailable();
const DAY = 86_400_000;

function job(id: string, state: JobRow['state'], endedDaysAgo: number, createdBy = 'user:usr_x'): JobRow {
  const at = new Date(Date.now() - endedDaysAgo * DAY).toISOString();
  const finished = state !== 'queued' && state !== 'running';
  return {
    id,
    operation: 'config.apply',
    state,
    phase: finished ? 'done' : 'applying',
    created_by: createdBy,
    created_by_name: 'x',
    channel: 'api',
    request_id: `r-${id}`,
    node: 'node_gone',
    items_planned: 1,
    items_applied: finished ? 1 : 0,
    created_at: at,
    started_at: at,
    phase_started_at: at,
    updated_at: at,
    finished_at: finished ? at : null,
    audit_entries: null,
    audit_first_seq: null,
    audit_last_seq: null,
    result: finished ? '{"summary":{"create":1,"update":0,"delete":0}}' : null,
    error: null,
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !pg)(`finished jobs are pruned (${dialect})`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startTestGatehouse(dialect, { jobRetentionDays: 7, jobsKept: 3 });
    });
    afterAll(async () => {
      await t?.gh.executor.jobs.settle();
      await t?.close();
    });
    const ids = async () => (await t.db.db.selectFrom('jobs').select('id').orderBy('id').execute()).map((r) => r.id).filter((id) => id.startsWith('job_p'));

    it('removes finished jobs older than the retention, then the oldest past the count; never an unfinished one', async () => {
      await insertJob(t.db.db, job('job_p_old_ok', 'succeeded', 10));
      await insertJob(t.db.db, job('job_p_old_failed', 'failed', 8));
      await insertJob(t.db.db, job('job_p_old_abandoned', 'abandoned', 30));
      await insertJob(t.db.db, job('job_p_old_running', 'running', 30));
      await insertJob(t.db.db, job('job_p_new1', 'succeeded', 3));
      await insertJob(t.db.db, job('job_p_new2', 'succeeded', 2));
      await insertJob(t.db.db, job('job_p_new3', 'failed', 1));
      expect(await pruneJobs(t.db.db, { maxAgeMs: 7 * DAY, maxFinished: 100 })).toBe(3);
      expect(await ids()).toEqual(['job_p_new1', 'job_p_new2', 'job_p_new3', 'job_p_old_running']);
      expect(await pruneJobs(t.db.db, { maxAgeMs: 7 * DAY, maxFinished: 2 })).toBe(1);
      expect(await ids()).toEqual(['job_p_new2', 'job_p_new3', 'job_p_old_running']);
      // Nothing more to do: pruning again removes nothing.
      expect(await pruneJobs(t.db.db, { maxAgeMs: 7 * DAY, maxFinished: 2 })).toBe(0);
      await t.db.db.deleteFrom('jobs').execute();
    });

    it('a running node prunes by its config (jobRetentionDays, jobsKept) when a job ends: the table holds at most jobsKept finished jobs', async () => {
      const me = ((await call(t.api, t.adminToken, 'GET', '/jobs')).body.items as Job[])[0]?.createdBy;
      await insertJob(t.db.db, job('job_p_ancient', 'succeeded', 8, me));
      const started: string[] = [];
      for (let i = 0; i < 5; i++) {
        // Answered directly (the job ends within the wait), and its end, then the prune, are stored before the answer.
        const res = await call(
          t.api,
          t.adminToken,
          'POST',
          '/config/apply',
          { document: { policies: [{ name: `prune-${i}` }] } },
          { prefer: 'respond-async, wait=30' },
        );
        expect(res.status).toBe(200);
        const newest = ((await call(t.api, t.adminToken, 'GET', '/jobs?limit=1')).body.items as Job[])[0]!;
        started.push(newest.id);
      }
      const left = (await t.db.db.selectFrom('jobs').select(['id', 'state']).execute()).map((r) => r.id);
      expect(left).not.toContain('job_p_ancient');
      expect(left.sort()).toEqual(started.slice(-3).sort());
      // The survivors are the newest three, and still read whole.
      const last = await call(t.api, t.adminToken, 'GET', `/jobs/${started.at(-1)}`);
      expect(last.body).toMatchObject({ state: 'succeeded', result: { summary: { create: 1, update: 0, delete: 0 } } });
    });
  });
}
