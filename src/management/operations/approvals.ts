import { z } from 'zod';
import { Approval, ApprovalDecisionInput, ApprovalListQuery, GatehouseError } from '../../core/index.js';
import { approvalOf, decideApproval, getApproval, listApprovals } from '../../store/repositories/approvals.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { listOf } from './crud.js';

const ById = z.strictObject({ id: ApprovalDecisionInput.shape.id });

/** Approves or denies a pending approval, audited with the before and after; GATEHOUSE_INVALID_STATE once it is decided or expired. */
async function decide(ctx: OperationContext, id: string, status: 'approved' | 'denied', reason: string | null) {
  const row = await getApproval(ctx.db, id);
  if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No approval ${id}.`);
  const before = approvalOf(row, ctx.now);
  if (before.status !== 'pending')
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Approval ${id} is ${before.status}; only a pending approval can be decided.`);
  // Four eyes: the person (or service account) whose call is held cannot decide on it.
  if (before.caller === `${ctx.principal.kind}:${ctx.principal.subject}`)
    throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'You cannot decide on a call you made; another approver must.');
  if (!(await decideApproval(ctx.db, id, { status, at: ctx.now, by: ctx.principal.subject, reason }))) {
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Approval ${id} was decided or expired meanwhile.`);
  }
  const after = approvalOf((await getApproval(ctx.db, id))!, ctx.now);
  Object.assign(ctx.audit, { resourceId: id, before, after });
  return after;
}

/**
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
    handler: async (ctx, input) => ({ items: (await listApprovals(ctx.db, input, ctx.now)).map((r) => approvalOf(r, ctx.now)), nextCursor: null }),
  }),
  defineOperation({
    name: 'approvals.get',
    resource: 'approvals',
    action: 'get',
    summary: 'Show one held call: who called what with which arguments, why it is held, and its decision',
    permission: 'read',
    input: ById,
    output: Approval,
    http: { method: 'GET', path: '/approvals/{id}' },
    handler: async (ctx, input) => {
      const row = await getApproval(ctx.db, input.id);
      if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No approval ${input.id}.`);
      return approvalOf(row, ctx.now);
    },
  }),
  defineOperation({
    name: 'approvals.approve',
    resource: 'approvals',
    action: 'approve',
    summary: 'Approve a held call: the same caller’s retry with the same arguments then passes once, until the approval expires',
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
    summary: 'Deny a held call, with a reason the caller is told',
    permission: 'write',
    input: ApprovalDecisionInput.extend({ reason: z.string().min(1).max(500) }),
    output: Approval,
    http: { method: 'POST', path: '/approvals/{id}/deny' },
    handler: (ctx, input) => decide(ctx, input.id, 'denied', input.reason),
  }),
];
