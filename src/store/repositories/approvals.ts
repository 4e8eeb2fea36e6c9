import { type Kysely, sql } from 'kysely';
import type { Approval, ApprovalStatus } from '../../core/index.js';
import type { ApprovalTable, DB } from '../schema.js';
import { flushInserts } from './resources.js';

export type ApprovalRow = ApprovalTable;

/** How much of a stored call one approval's page shows, and one row of the queue (characters). */
const CALL_SHOWN_CHARS = 65_536;
const CALL_LISTED_CHARS = 1_024;

/** Display names by subject, for the people and service accounts approvals name. */
export type Names = ReadonlyMap<string, string>;

/** The id inside a caller or decider (`user:usr_1` → `usr_1`, `client:cli_1/profile:p` → `cli_1`). */
export function subjectIdOf(subject: string): string {
  const client = /^client:([^/]+)\//.exec(subject);
  if (client) return client[1] as string;
  return subject.replace(/^(user|service):/, '');
}

/**
 * The approval as reads show it; an open or approved one past its expiry reads as `expired`. The
 * row's call_text may be the start of the stored call only (see getApproval); rows from before
 * calls were bound show their old preview.
 */
export function approvalOf(row: ApprovalRow, now: string, names: Names = new Map()): Approval {
  const lapsed = (row.status === 'pending' || row.status === 'approved') && row.expires_at <= now;
  const call = row.call_text ?? row.arguments_preview;
  return {
    id: row.id,
    status: (lapsed ? 'expired' : row.status) as ApprovalStatus,
    digest: row.digest,
    caller: row.caller,
    callerName: names.get(subjectIdOf(row.caller)) ?? null,
    clientId: row.client_id,
    target: row.target,
    method: row.method,
    path: row.path,
    query: row.query,
    bodySha256: row.body_sha256,
    bodyBytes: row.body_bytes === null ? null : Number(row.body_bytes),
    mcp: row.mcp_server !== null && row.mcp_tool !== null ? { server: row.mcp_server, tool: row.mcp_tool } : null,
    headers: row.bound_headers === null ? null : (JSON.parse(row.bound_headers) as Record<string, string>),
    upstream: row.upstream,
    call,
    callBytes: row.call_bytes === null ? Buffer.byteLength(call) : Number(row.call_bytes),
    callShownBytes: Buffer.byteLength(call),
    reason: row.reason,
    workflow: row.workflow,
    node: row.node,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by === null ? null : (names.get(subjectIdOf(row.decided_by)) ?? null),
    decisionReason: row.decision_reason,
    usedAt: row.used_at,
  };
}

export async function insertApproval(db: Kysely<DB>, row: ApprovalRow): Promise<void> {
  await db.insertInto('approvals').values(row).execute();
}

// Every column but the stored call, which a read takes only the start of (a call may be 1 MiB).
const SUMMARY = [
  'id',
  'digest',
  'status',
  'caller',
  'client_id',
  'target',
  'arguments_preview',
  'reason',
  'workflow',
  'node',
  'requested_at',
  'expires_at',
  'decided_at',
  'decided_by',
  'decision_reason',
  'used_at',
  'method',
  'path',
  'query',
  'body_sha256',
  'body_bytes',
  'mcp_server',
  'mcp_tool',
  'call_bytes',
  'bound_headers',
  'upstream',
] as const;

function callStart(chars: number) {
  return sql<string | null>`substr(call_text, 1, ${chars})`.as('call_text');
}

/** One approval, with the first `callChars` characters of its stored call (all of it when null). */
export async function getApproval(db: Kysely<DB>, id: string, callChars: number | null = CALL_SHOWN_CHARS): Promise<ApprovalRow | undefined> {
  if (callChars === null) return db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return db.selectFrom('approvals').select(SUMMARY).select(callStart(callChars)).where('id', '=', id).executeTakeFirst();
}

/** Display names of the people (username), clients and service accounts (name) among these subject ids. */
export async function namesOf(db: Kysely<DB>, ids: readonly string[]): Promise<Names> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  // Inside an apply's transaction its buffered creates are written first, so the look-up sees them.
  await flushInserts(db);
  const users = await db.selectFrom('users').select(['id', 'username']).where('id', 'in', wanted).execute();
  const clients = await db
    .selectFrom('resources')
    .select(['id', 'key'])
    .where('type', 'in', ['clients', 'service-accounts'])
    .where('id', 'in', wanted)
    .execute();
  return new Map([...users.map((u) => [u.id, u.username] as const), ...clients.map((c) => [c.id, c.key] as const)]);
}

/** Approvals, newest first, each with the start of its stored call; `expired` selects open and approved ones past their expiry. */
export async function listApprovals(db: Kysely<DB>, filter: { status?: ApprovalStatus; limit: number }, now: string): Promise<ApprovalRow[]> {
  let q = db.selectFrom('approvals').select(SUMMARY).select(callStart(CALL_LISTED_CHARS));
  if (filter.status === 'expired') q = q.where('status', 'in', ['pending', 'approved']).where('expires_at', '<=', now);
  else if (filter.status === 'pending' || filter.status === 'approved') q = q.where('status', '=', filter.status).where('expires_at', '>', now);
  else if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return q.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** Records a decision on a still-open approval; false when it is no longer pending or has expired. */
export async function decideApproval(
  db: Kysely<DB>,
  id: string,
  decision: { status: 'approved' | 'denied'; at: string; by: string; reason: string | null },
): Promise<boolean> {
  const done = await db
    .updateTable('approvals')
    .set({ status: decision.status, decided_at: decision.at, decided_by: decision.by, decision_reason: decision.reason })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', decision.at)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** Spends an approved approval once: approved → used, only if still approved and unexpired (one arbiter for every node). */
export async function consumeApproval(db: Kysely<DB>, id: string, at: string): Promise<boolean> {
  const done = await db
    .updateTable('approvals')
    .set({ status: 'used', used_at: at })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** Decided approvals still in force (approved or denied, unexpired): what the data plane's snapshot holds. */
export async function liveDecisions(db: Kysely<DB>, now: string): Promise<ApprovalRow[]> {
  return db.selectFrom('approvals').select(SUMMARY).select(callStart(0)).where('status', 'in', ['approved', 'denied']).where('expires_at', '>', now).execute();
}
