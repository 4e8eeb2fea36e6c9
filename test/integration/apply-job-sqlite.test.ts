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

  it('runs to its end with its result, and a node starting on the file marks what was left unfinished abandoned', async () => {
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

    await t.db.db
      .updateTable('jobs')
      .set({ state: 'running', phase: 'applying', finished_at: null, updated_at: new Date().toISOString() })
      .where('id', '=', job.id)
      .execute();
    // A fresh heartbeat, yet SQLite has one node per file: the one starting now knows nobody runs it.
    const plane = await openManagementPlane({ ...t.gh.config }, () => {});
    await plane.close();
    const stored = await t.db.db.selectFrom('jobs').select(['state']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored.state).toBe('abandoned');
  });
});
