import type { Kysely } from 'kysely';
import type { Approval, ApprovalStatus } from '../../core/index.js';
import type { ApprovalTable, DB } from '../schema.js';

export type ApprovalRow = ApprovalTable;

/** The approval as reads show it; an open or approved one past its expiry reads as `expired`. */
export function approvalOf(row: ApprovalRow, now: string): Approval {
  const lapsed = (row.status === 'pending' || row.status === 'approved') && row.expires_at <= now;
  return {
    id: row.id,
    status: (lapsed ? 'expired' : row.status) as ApprovalStatus,
    digest: row.digest,
    caller: row.caller,
    clientId: row.client_id,
    target: row.target,
    argumentsPreview: row.arguments_preview,
    reason: row.reason,
    workflow: row.workflow,
    node: row.node,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    usedAt: row.used_at,
  };
}

export async function insertApproval(db: Kysely<DB>, row: ApprovalRow): Promise<void> {
  await db.insertInto('approvals').values(row).execute();
}

export async function getApproval(db: Kysely<DB>, id: string): Promise<ApprovalRow | undefined> {
  return db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Approvals, newest first; `expired` selects open and approved ones past their expiry. */
export async function listApprovals(db: Kysely<DB>, filter: { status?: ApprovalStatus; limit: number }, now: string): Promise<ApprovalRow[]> {
  let q = db.selectFrom('approvals').selectAll();
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
  return db.selectFrom('approvals').selectAll().where('status', 'in', ['approved', 'denied']).where('expires_at', '>', now).execute();
}
