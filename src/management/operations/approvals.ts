import { z } from 'zod';
import { Approval, ApprovalCall, ApprovalDecisionInput, ApprovalListQuery, GatehouseError } from '../../core/index.js';
import {
  type ApprovalRow,
  approvalOf,
  decideApproval,
  getApproval,
  listApprovals,
  type Names,
  namesOf,
  subjectIdOf,
} from '../../store/repositories/approvals.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { listOf } from './crud.js';

const ById = z.strictObject({ id: ApprovalDecisionInput.shape.id });

/** Display names of the callers and deciders of these approvals. */
function names(ctx: OperationContext, rows: readonly ApprovalRow[]): Promise<Names> {
  return namesOf(
    ctx.db,
    rows.flatMap((r) => [subjectIdOf(r.caller), ...(r.decided_by === null ? [] : [subjectIdOf(r.decided_by)])]),
  );
}

/** One approval, or GATEHOUSE_NOT_FOUND; `callChars` as in getApproval. */
async function found(ctx: OperationContext, id: string, callChars?: number | null): Promise<ApprovalRow> {
  const row = await getApproval(ctx.db, id, callChars);
  if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No approval ${id}.`);
  return row;
}

/** Approves or denies a pending approval, audited with the before and after; GATEHOUSE_INVALID_STATE once it is decided or expired. */
async function decide(ctx: OperationContext, id: string, status: 'approved' | 'denied', reason: string | null) {
  const row = await found(ctx, id);
  const before = approvalOf(row, ctx.now);
  if (before.status !== 'pending')
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Approval ${id} is ${before.status}; only a pending approval can be decided.`);
  // Four eyes: the person (or service account) whose call is held cannot decide on it.
  if (before.caller === `${ctx.principal.kind}:${ctx.principal.subject}`)
    throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'You cannot decide on a call you made; another approver must.');
  if (!(await decideApproval(ctx.db, id, { status, at: ctx.now, by: ctx.principal.subject, reason }))) {
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Approval ${id} was decided or expired meanwhile.`);
  }
  const decided = await found(ctx, id);
  const after = approvalOf(decided, ctx.now);
  Object.assign(ctx.audit, { resourceId: id, before, after });
  return approvalOf(decided, ctx.now, await names(ctx, [decided]));
}

/**
 * The reason rule: optional to approve, required to deny. A denial's reason is what the caller is
 * told, so it must exist; an approval's accountability is the approver's authenticated identity,
 * the four-eyes check, the binding to the exact call and the hash-chained audit entry — a required
 * free-text field on top of that collects "ok", not evidence. A reason given is kept either way.
 *
 * Calls tool policies held for a person's approval. The gateway opens them (a held call); people
 * whose role may write `approvals` — a modifier, optionally scoped to just this resource type —
 * approve or deny them, each decision audited and sent to every node within a second.
 */
export const approvalOperations = [
  defineOperation({
    name: 'approvals.list',
    resource: 'approvals',
    action: 'list',
    summary: 'List calls held for approval, newest first (filter by status: pending, approved, denied, used, expired)',
    permission: 'read',
    input: ApprovalListQuery,
    output: listOf(Approval),
    http: { method: 'GET', path: '/approvals' },
    handler: async (ctx, input) => {
      const rows = await listApprovals(ctx.db, input, ctx.now);
      const known = await names(ctx, rows);
      return { items: rows.map((r) => approvalOf(r, ctx.now, known)), nextCursor: null };
    },
  }),
  defineOperation({
    name: 'approvals.get',
    resource: 'approvals',
    action: 'get',
    summary: 'Show one held call: who called what (the concrete path, the query, the body or MCP arguments) and why it is held, and its decision',
    permission: 'read',
    input: ById,
    output: Approval,
    http: { method: 'GET', path: '/approvals/{id}' },
    handler: async (ctx, input) => {
      const row = await found(ctx, input.id);
      return approvalOf(row, ctx.now, await names(ctx, [row]));
    },
  }),
  defineOperation({
    name: 'approvals.call',
    resource: 'approvals',
    action: 'call',
    summary: 'Download the whole call an approval holds (the body or MCP arguments as stored, up to 1 MiB), for a call larger than a page shows',
    permission: 'read',
    input: ById,
    output: ApprovalCall,
    http: { method: 'GET', path: '/approvals/{id}/call' },
    handler: async (ctx, input) => {
      const a = approvalOf(await found(ctx, input.id, null), ctx.now);
      return {
        id: a.id,
        target: a.target,
        method: a.method,
        path: a.path,
        query: a.query,
        mcp: a.mcp,
        headers: a.headers,
        upstream: a.upstream,
        bodySha256: a.bodySha256,
        bodyBytes: a.bodyBytes,
        call: a.call,
      };
    },
  }),
  defineOperation({
    name: 'approvals.approve',
    resource: 'approvals',
    action: 'approve',
    summary: 'Approve a held call, with an optional reason: the same caller’s retry with the same arguments then passes once, until the approval expires',
    permission: 'write',
    input: ApprovalDecisionInput,
    output: Approval,
    http: { method: 'POST', path: '/approvals/{id}/approve' },
    handler: (ctx, input) => decide(ctx, input.id, 'approved', input.reason ?? null),
  }),
  defineOperation({
    name: 'approvals.deny',
    resource: 'approvals',
    action: 'deny',
    summary: 'Deny a held call, with a reason (required) the caller is told',
    permission: 'write',
    input: ApprovalDecisionInput.extend({ reason: z.string().trim().min(1).max(500).describe('Why, required: the caller is told it') }),
    output: Approval,
    http: { method: 'POST', path: '/approvals/{id}/deny' },
    handler: (ctx, input) => decide(ctx, input.id, 'denied', input.reason),
  }),
];
