import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/index.js';
import { openManagementPlane } from '../../src/node/plane.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// On SQLite the apply holds the node's one connection: the job's progress writes queue behind its
// transaction, and reads of the job wait for the commit. What must hold: it ends, stored, once.
describe('a declarative apply as a job (SQLite)', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startTestGatehouse('sqlite');
  });
  afterAll(async () => {
    await t?.gh.executor.jobs.settle();
    await t?.close();
  });

  it('runs to its end with its result; a job whose process is gone reads and is marked abandoned, a live process’s job never', async () => {
    const policies = Array.from({ length: 800 }, (_, i) => ({ name: `lite-${i}` }));
    const started = await call(t.api, t.adminToken, 'POST', '/config/apply?async=true', { document: { policies } });
    expect(started.status).toBe(202);
    let job = started.body as Job;
    while (job.state === 'queued' || job.state === 'running') {
      await sleep(100);
      job = (await call(t.api, t.adminToken, 'GET', `/jobs/${job.id}`)).body as Job;
    }
    expect(job).toMatchObject({ state: 'succeeded', itemsPlanned: 800, itemsApplied: 800, audit: { entries: 800 } });
    expect((job.result as { summary: unknown }).summary).toEqual({ create: 800, update: 0, delete: 0 });

    // Two unfinished jobs with fresh heartbeats: one of a process that is gone, one of this one (live, though
    // its heartbeat may wait for its commit). A node starting on the file abandons the first only.
    const row = await t.db.db.selectFrom('jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    const unfinished = { ...row, state: 'running', phase: 'applying', finished_at: null, updated_at: new Date(Date.now() - 3_600_000).toISOString() };
    await t.db.db
      .insertInto('jobs')
      .values([
        { ...unfinished, id: 'job_gone', node: 'node_999999999_gone' },
        { ...unfinished, id: 'job_live', node: `node_${process.pid}_live` },
      ])
      .execute();
    const shown = async (id: string) => ((await call(t.api, t.adminToken, 'GET', `/jobs/${id}`)).body as Job).state;
    expect([await shown('job_gone'), await shown('job_live')]).toEqual(['abandoned', 'running']);
    const plane = await openManagementPlane({ ...t.gh.config }, () => {});
    await plane.close();
    const stored = await t.db.db.selectFrom('jobs').select(['id', 'state']).where('id', 'in', ['job_gone', 'job_live']).orderBy('id').execute();
    expect(stored).toEqual([
      { id: 'job_gone', state: 'abandoned' },
      { id: 'job_live', state: 'running' },
    ]);
  });
});
