import { z } from 'zod';
import { Channel, Page } from './common.js';

/**
 * Where a job stands. `abandoned`: the node running it stopped (crashed, was killed) before it
 * finished; since a job's change is one transaction, nothing of it was committed.
 */
export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'abandoned']);
export type JobState = z.infer<typeof JobState>;

/** The states a job leaves no more. */
export const FINISHED_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'abandoned'];

/**
 * A long management operation (a declarative apply) run in the background: its progress while it
 * runs, then its result (the body the operation answers when called directly) or its error. Stored,
 * so any node answers for it and a client that went away can come back to it.
 */
export const Job = z.object({
  id: z.string(),
  /** The operation it runs, e.g. `config.apply`. */
  operation: z.string(),
  state: JobState,
  /** What it is doing: `queued`, `planning`, `applying`, `committing`, `done`. */
  phase: z.string(),
  /** Who started it: `user:<id>` or `service:<id>`; only they and admins see it. */
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  channel: Channel,
  /** The request that started it: every audit entry of its change carries this request id. */
  requestId: z.string(),
  /** Changes the plan holds, once known. */
  itemsPlanned: z.number().int().nullable(),
  /** Changes made so far (inside the job's transaction: none is visible before the commit). */
  itemsApplied: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  /** The running node's last word on it (at least every few seconds while it runs). */
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Seconds left at the rate so far, while applying (null when not known). */
  etaSeconds: z.number().nullable(),
  /** The audit entries its change wrote, by sequence number (null until it finished). */
  audit: z.object({ entries: z.number().int(), firstSeq: z.number().int().nullable(), lastSeq: z.number().int().nullable() }).nullable(),
  /** What the operation answered (succeeded only). */
  result: z.unknown().optional(),
  /** Why it failed (failed and abandoned only), as the operation's error would be answered. */
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
});
export type Job = z.infer<typeof Job>;

export const JobListQuery = z.strictObject({
  ...Page,
  state: JobState.optional().describe('Only jobs in this state'),
});
export type JobListQuery = z.infer<typeof JobListQuery>;
