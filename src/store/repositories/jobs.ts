import { type Kysely, sql, type Updateable } from 'kysely';
import { ERRORS, type Job, type JobState } from '../../core/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { DB, JobTable } from '../schema.js';

export type JobRow = JobTable;

/**
 * How long a running job's heartbeat may be silent before it counts as abandoned. Its node writes
 * one every 2 s (jobs/runner.ts); 30 s covers a stalled pool or a long GC without calling a live
 * job dead.
 */
export const JOB_STALE_MS = 30_000;

const UNFINISHED = ['queued', 'running'] as const;

const LISTED = [
  'id',
  'operation',
  'state',
  'phase',
  'created_by',
  'created_by_name',
  'channel',
  'request_id',
  'node',
  'items_planned',
  'items_applied',
  'created_at',
  'started_at',
  'phase_started_at',
  'updated_at',
  'finished_at',
  'audit_entries',
  'audit_first_seq',
  'audit_last_seq',
  'error',
] as const;

export async function insertJob(db: Kysely<DB>, row: JobRow): Promise<void> {
  await db.insertInto('jobs').values(row).execute();
}

/** Progress or a heartbeat; only while the job is unfinished, so a late write never undoes its end. */
export async function updateJob(db: Kysely<DB>, id: string, patch: Updateable<JobTable>): Promise<void> {
  await db.updateTable('jobs').set(patch).where('id', '=', id).where('state', 'in', UNFINISHED).execute();
}

/**
 * The end of a job. It also replaces `abandoned`: a job whose heartbeat was missed long enough to be
 * called abandoned yet finished after all is reported as it finished (its change did commit).
 */
export async function finishJob(db: Kysely<DB>, id: string, patch: Updateable<JobTable>): Promise<void> {
  await db
    .updateTable('jobs')
    .set(patch)
    .where('id', '=', id)
    .where('state', 'in', [...UNFINISHED, 'abandoned'])
    .execute();
}

export async function getJob(db: Kysely<DB>, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; `createdBy` limits it to one caller's jobs (everyone but admins). */
export async function listJobs(
  db: Kysely<DB>,
  filter: { limit: number; cursor?: string | undefined; state?: JobState | undefined; createdBy?: string | undefined },
): Promise<{ rows: JobRow[]; nextCursor: string | null }> {
  // Without `result`: an apply's result lists every change (megabytes for a large one); a list shows where jobs stand.
  let q = db.selectFrom('jobs').select(LISTED).select(sql<null>`null`.as('result'));
  if (filter.createdBy !== undefined) q = q.where('created_by', '=', filter.createdBy);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.cursor) {
    const [at, id] = decodeCursor(filter.cursor, 2).map(String) as [string, string];
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const page = more ? rows.slice(0, filter.limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null };
}

const FINISHED = ['succeeded', 'failed', 'abandoned'] as const;

/** How long finished jobs are kept, and at most how many: the table stays bounded (a result can be megabytes). */
export interface JobRetention {
  /** Finished jobs older than this (by their end) are removed. */
  maxAgeMs: number;
  /** Past this many finished jobs, the oldest are removed whatever their age. */
  maxFinished: number;
}

/**
 * Removes finished jobs past the retention: those that ended before `now - maxAgeMs`, then the
 * oldest beyond `maxFinished`. Queued and running jobs are never removed (a silent one is first
 * marked abandoned, then ages like any other). Returns how many were removed.
 */
export async function pruneJobs(db: Kysely<DB>, retention: JobRetention, now: number = Date.now()): Promise<number> {
  // A finished job's heartbeat is its end: `updated_at` is what the (state, updated_at) index orders.
  const cutoff = new Date(now - retention.maxAgeMs).toISOString();
  const old = await db.deleteFrom('jobs').where('state', 'in', FINISHED).where('updated_at', '<', cutoff).executeTakeFirst();
  let removed = Number(old.numDeletedRows);
  // The newest `maxFinished` finished jobs stay; the one just past them marks where removal starts.
  const edge = await db
    .selectFrom('jobs')
    .select(['updated_at', 'id'])
    .where('state', 'in', FINISHED)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .offset(retention.maxFinished)
    .limit(1)
    .executeTakeFirst();
  if (edge) {
    const over = await db
      .deleteFrom('jobs')
      .where('state', 'in', FINISHED)
      .where((eb) => eb.or([eb('updated_at', '<', edge.updated_at), eb.and([eb('updated_at', '=', edge.updated_at), eb('id', '<=', edge.id)])]))
      .executeTakeFirst();
    removed += Number(over.numDeletedRows);
  }
  return removed;
}

const ABANDONED_ERROR = JSON.stringify({ code: 'GATEHOUSE_JOB_ABANDONED', message: ERRORS.GATEHOUSE_JOB_ABANDONED.message });

/** The name a process gives the jobs it runs: its pid first, so a process on the same machine can tell whether it still lives. */
export function jobNodeName(random: string): string {
  return `node_${process.pid}_${random}`.slice(0, 64);
}

/**
 * How liveness is judged on SQLite, where every node of a file (`serve --workers`, a local CLI) is a
 * process of this machine: by whether the process named in the job is still there. A heartbeat
 * cannot serve: the apply holds its process's one connection, so the heartbeat waits for the commit.
 */
export function processGone(node: string): boolean {
  const pid = Number(/^node_(\d+)_/.exec(node)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: it exists, as another user's process.
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Marks unfinished jobs abandoned whose node is gone: on PostgreSQL those whose heartbeat is older
 * than `before`; on SQLite (`before` absent) those whose process no longer runs. Returns how many.
 */
export async function abandonStaleJobs(db: Kysely<DB>, now: string, before?: string): Promise<number> {
  let q = db
    .updateTable('jobs')
    .set({ state: 'abandoned', phase: 'done', finished_at: now, updated_at: now, error: ABANDONED_ERROR })
    .where('state', 'in', UNFINISHED);
  if (before !== undefined) q = q.where('updated_at', '<', before);
  else {
    const open = await db.selectFrom('jobs').select(['id', 'node']).where('state', 'in', UNFINISHED).execute();
    const gone = open.filter((j) => processGone(j.node)).map((j) => j.id);
    if (gone.length === 0) return 0;
    q = q.where('id', 'in', gone);
  }
  const done = await q.executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/** Seconds left at the rate measured since the phase began; null until there is a rate to go by. */
function etaOf(row: JobRow): number | null {
  if (row.state !== 'running' || row.phase !== 'applying' || row.items_planned === null || !row.phase_started_at) return null;
  const elapsed = Date.parse(row.updated_at) - Date.parse(row.phase_started_at);
  if (row.items_applied <= 0 || elapsed <= 0) return null;
  const left = Math.max(0, row.items_planned - row.items_applied);
  return Math.round(((left * elapsed) / row.items_applied / 1000) * 10) / 10;
}

function parsed(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

/**
 * A job as callers see it. An unfinished job whose node is gone — its heartbeat older than
 * JOB_STALE_MS, or on SQLite (`sqlite`) its process no longer running — is shown abandoned even
 * before a sweep has marked it so: a reader never sees "running" from a dead node.
 */
export function jobOf(row: JobRow, now: number = Date.now(), sqlite = false): Job {
  const unfinished = row.state === 'queued' || row.state === 'running';
  const stale = unfinished && (sqlite ? processGone(row.node) : now - Date.parse(row.updated_at) > JOB_STALE_MS);
  const state = (stale ? 'abandoned' : row.state) as JobState;
  const error = stale ? (JSON.parse(ABANDONED_ERROR) as Job['error']) : ((parsed(row.error) as Job['error'] | undefined) ?? null);
  const result = parsed(row.result);
  return {
    id: row.id,
    operation: row.operation,
    state,
    phase: stale ? 'done' : row.phase,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    channel: row.channel as Job['channel'],
    requestId: row.request_id,
    itemsPlanned: row.items_planned,
    itemsApplied: row.items_applied,
    createdAt: row.created_at,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    etaSeconds: stale ? null : etaOf(row),
    audit: row.audit_entries === null ? null : { entries: row.audit_entries, firstSeq: row.audit_first_seq, lastSeq: row.audit_last_seq },
    ...(result === undefined ? {} : { result }),
    error,
  };
}
