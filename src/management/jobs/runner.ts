import { randomBytes } from 'node:crypto';
import { type AuditEntry, type Channel, GatehouseError, type Job, newId, type Principal } from '../../core/index.js';
import type { Database } from '../../store/database.js';
import { finishJob, insertJob, type JobRetention, type JobRow, jobNodeName, jobOf, pruneJobs, updateJob } from '../../store/repositories/jobs.js';
import type { JobProgress } from '../operation.js';
import { stringifyInSlices } from './stringify.js';

/** What a running job hears from the executor: the operation's progress, and the audit entries its change wrote. */
export interface JobHooks {
  progress(update: JobProgress): void;
  audited(entries: readonly AuditEntry[]): void;
}

/** What to run as a job: the operation's name, who asked, and the run itself (the executor's dispatch, with the hooks). */
export interface JobSpec {
  operation: string;
  principal: Principal;
  channel: Channel;
  requestId: string;
  run(hooks: JobHooks): Promise<unknown>;
}

/** How a job ended, for a caller that waited for it (`Prefer: wait=N`). */
export type JobOutcome = { ok: true; result: unknown } | { ok: false; error: GatehouseError };

export interface StartedJob {
  job: Job;
  /** Settles when the job has finished and its end is stored; never rejects. */
  finished: Promise<JobOutcome>;
}

/** Finished jobs kept a week, at most 1,000 (config: jobRetentionDays, jobsKept). */
export const DEFAULT_RETENTION: JobRetention = { maxAgeMs: 7 * 86_400_000, maxFinished: 1_000 };

/** Progress is stored at most this often: other nodes see it within a second, the store is not flooded. */
const FLUSH_MS = 500;
/** A running job's row is touched at least this often, so readers can tell a live job from a dead node's (JOB_STALE_MS). */
const HEARTBEAT_MS = 2_000;

/** The owner of a job's principal, as job rows and visibility checks name it. */
export function ownerOf(principal: Pick<Principal, 'kind' | 'subject'>): string {
  return `${principal.kind}:${principal.subject}`;
}

/**
 * Runs operations in the background on this node and keeps their rows current. The row is the
 * truth every node reads; this node writes it from a connection of its own (never the job's
 * transaction), coalescing progress so one write is in flight at a time.
 */
export class JobRunner {
  /** This process, as job rows name the node running them. */
  readonly node = jobNodeName(randomBytes(6).toString('base64url'));
  readonly #database: Database;
  readonly #log: (msg: string, err: unknown) => void;
  readonly #running = new Set<Promise<JobOutcome>>();
  readonly #retention: JobRetention;
  #pruning: Promise<void> | null = null;

  constructor(database: Database, log: (msg: string, err: unknown) => void = () => {}, retention: JobRetention = DEFAULT_RETENTION) {
    this.#database = database;
    this.#log = log;
    this.#retention = retention;
  }

  /**
   * Removes finished jobs past the retention (best effort: a failure is logged, and the next job's
   * end tries again). Jobs are only made by starting one, so pruning at every job's end and at a
   * node's start keeps the table bounded; one prune runs at a time.
   */
  prune(): Promise<void> {
    this.#pruning ??= pruneJobs(this.#database.db, this.#retention)
      .then(
        () => undefined,
        (err: unknown) => this.#log('could not prune finished jobs', err),
      )
      .finally(() => {
        this.#pruning = null;
      });
    return this.#pruning;
  }

  /** Stores the job as queued, starts it, and returns at once with the stored job. */
  async start(spec: JobSpec): Promise<StartedJob> {
    const now = new Date().toISOString();
    const row: JobRow = {
      id: newId('job'),
      operation: spec.operation,
      state: 'queued',
      phase: 'queued',
      created_by: ownerOf(spec.principal),
      created_by_name: spec.principal.name,
      channel: spec.channel,
      request_id: spec.requestId,
      node: this.node,
      items_planned: null,
      items_applied: 0,
      created_at: now,
      started_at: null,
      phase_started_at: now,
      updated_at: now,
      finished_at: null,
      audit_entries: null,
      audit_first_seq: null,
      audit_last_seq: null,
      result: null,
      error: null,
    };
    await insertJob(this.#database.db, row);
    const finished = this.#run(row, spec);
    this.#running.add(finished);
    void finished.finally(() => this.#running.delete(finished));
    return { job: jobOf(row), finished };
  }

  /** Waits for every job this node is running (tests; a node closing its store lets them end first). */
  async settle(): Promise<void> {
    await Promise.all([...this.#running, this.#pruning]);
  }

  async #run(row: JobRow, spec: JobSpec): Promise<JobOutcome> {
    const live = new LiveRow(row, (patch) => updateJob(this.#database.db, row.id, patch), this.#log);
    const audit: { entries: number; first: number | null; last: number | null } = { entries: 0, first: null, last: null };
    const hooks: JobHooks = {
      progress: (update) => live.progress(update),
      audited: (entries) => {
        audit.entries += entries.length;
        for (const e of entries) {
          if (audit.first === null || e.seq < audit.first) audit.first = e.seq;
          if (audit.last === null || e.seq > audit.last) audit.last = e.seq;
        }
      },
    };
    live.start();
    let outcome: JobOutcome;
    try {
      outcome = { ok: true, result: await spec.run(hooks) };
    } catch (err) {
      outcome = { ok: false, error: err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_INTERNAL') };
      if (!(err instanceof GatehouseError)) this.#log('a job failed', err);
    }
    await live.stop();
    const now = new Date().toISOString();
    const end = {
      state: outcome.ok ? 'succeeded' : 'failed',
      phase: 'done',
      items_planned: live.planned,
      items_applied: live.applied,
      updated_at: now,
      finished_at: now,
      audit_entries: audit.entries,
      audit_first_seq: audit.first,
      audit_last_seq: audit.last,
      result: outcome.ok ? await stringifyInSlices(outcome.result) : null,
      error: outcome.ok
        ? null
        : JSON.stringify({
            code: outcome.error.code,
            message: outcome.error.message,
            ...(outcome.error.details === undefined ? {} : { details: outcome.error.details }),
          }),
    };
    // The end must be stored, or readers would see the job go quiet and call it abandoned: try a few times.
    for (let attempt = 0; ; attempt++) {
      try {
        await finishJob(this.#database.db, row.id, end);
        break;
      } catch (err) {
        if (attempt >= 4) {
          this.#log('could not store the end of a job', err);
          break;
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
      }
    }
    await this.prune();
    return outcome;
  }
}

type Patch = Parameters<typeof updateJob>[2];

/** A running job's row as this node knows it: progress lands here at once and reaches the store in coalesced writes. */
class LiveRow {
  applied = 0;
  planned: number | null = null;
  #phase = 'queued';
  #phaseStartedAt: string;
  #dirty = false;
  #lastWrite = 0;
  #writing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #write: (patch: Patch) => Promise<void>;
  readonly #log: (msg: string, err: unknown) => void;

  constructor(row: JobRow, write: (patch: Patch) => Promise<void>, log: (msg: string, err: unknown) => void) {
    this.#phaseStartedAt = row.created_at;
    this.#write = write;
    this.#log = log;
  }

  start(): void {
    const now = new Date().toISOString();
    this.#phase = 'starting';
    this.#phaseStartedAt = now;
    this.#flush({ state: 'running', started_at: now });
    this.#timer = setInterval(() => {
      if (this.#dirty || Date.now() - this.#lastWrite >= HEARTBEAT_MS) this.#flush();
    }, FLUSH_MS);
    // A job never keeps a process alive that is otherwise done.
    this.#timer.unref();
  }

  progress(update: JobProgress): void {
    if (update.phase !== undefined && update.phase !== this.#phase) {
      this.#phase = update.phase;
      this.#phaseStartedAt = new Date().toISOString();
    }
    if (update.planned !== undefined) this.planned = update.planned;
    if (update.applied !== undefined) this.applied = update.applied;
    this.#dirty = true;
  }

  /** Stops the timer and waits for the write in flight, so the end is written after every progress write. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#writing;
  }

  /** One write at a time: while one is in flight (on SQLite it waits for the job's own commit) the next tick tries again. */
  #flush(extra: Patch = {}): void {
    if (this.#writing) return;
    this.#dirty = false;
    this.#lastWrite = Date.now();
    const patch: Patch = {
      ...extra,
      phase: this.#phase,
      phase_started_at: this.#phaseStartedAt,
      items_planned: this.planned,
      items_applied: this.applied,
      updated_at: new Date().toISOString(),
    };
    this.#writing = this.#write(patch)
      .catch((err: unknown) => this.#log('could not store a job’s progress', err))
      .finally(() => {
        this.#writing = null;
      });
  }
}
