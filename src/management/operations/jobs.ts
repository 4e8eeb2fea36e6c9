import { z } from 'zod';
import { GatehouseError, Job, JobListQuery } from '../../core/index.js';
import { getJob, jobOf, listJobs } from '../../store/repositories/jobs.js';
import { ownerOf } from '../jobs/runner.js';
import { parseInSlices } from '../jobs/stringify.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { listOf } from './crud.js';

/** Null for admins (they see every job); otherwise the caller, whose own jobs are all they see. */
function ownerFilter(ctx: OperationContext): string | null {
  try {
    ctx.requireAdmin('see every job');
    return null;
  } catch {
    return ownerOf(ctx.principal);
  }
}

/**
 * Long operations run in the background (a declarative apply with `Prefer: respond-async`): read-only
 * here, since a job is started by the operation it runs and ends by itself. A job is visible to the
 * person or service account that started it and to admins: its result lists every change it made.
 */
export const jobOperations = [
  defineOperation({
    name: 'jobs.list',
    resource: 'jobs',
    action: 'list',
    summary: 'List background jobs (declarative applies run with Prefer: respond-async), newest first: yours, or every one for admins',
    permission: 'read',
    input: JobListQuery,
    output: listOf(Job),
    http: { method: 'GET', path: '/jobs' },
    handler: async (ctx, input) => {
      const owner = ownerFilter(ctx);
      const { rows, nextCursor } = await listJobs(ctx.db, { ...input, ...(owner === null ? {} : { createdBy: owner }) });
      // A list shows where each job stands; a job's result (every change of an apply) is read one job at a time.
      return { items: rows.map((r) => jobOf(r, Date.now(), ctx.dialect === 'sqlite')), nextCursor };
    },
  }),
  defineOperation({
    name: 'jobs.get',
    resource: 'jobs',
    action: 'get',
    summary: 'Show one job: state, phase, items planned and applied, ETA; once finished, its result or error and its audit entries',
    permission: 'read',
    input: z.strictObject({
      id: z.string().min(1).max(64),
      brief: z
        .enum(['true', 'false'])
        .or(z.boolean())
        .optional()
        .describe('Leave out the result but its summary (an apply of 100,000 items lists 100,000 changes)'),
    }),
    output: Job,
    http: { method: 'GET', path: '/jobs/{id}' },
    handler: async (ctx, input) => {
      const row = await getJob(ctx.db, input.id);
      const owner = ownerFilter(ctx);
      // Someone else's job is answered as no job at all: its existence is not theirs to learn.
      if (!row || (owner !== null && row.created_by !== owner)) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No job ${input.id}.`);
      // The result (an apply's: every change, tens of MB for 100,000) is read back a slice at a time, not in one hold of the loop.
      const job = jobOf({ ...row, result: null }, Date.now(), ctx.dialect === 'sqlite');
      const result = row.result === null ? undefined : await parseInSlices(row.result);
      if (input.brief !== true && input.brief !== 'true') return result === undefined ? job : { ...job, result };
      // What an assistant or a poller needs to know how it ended, within a tool result's bound.
      const summary = typeof result === 'object' && result !== null ? (result as { summary?: unknown }).summary : undefined;
      return summary === undefined ? job : { ...job, result: { summary } };
    },
  }),
] as const;
