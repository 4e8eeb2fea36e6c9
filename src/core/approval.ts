import { z } from 'zod';

/** Where an approval stands; `expired` is computed (an open or approved approval past its expiry). */
export const ApprovalStatus = z.enum(['pending', 'approved', 'denied', 'used', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/**
 * A call a tool policy held for a person's approval. It is bound to the SHA-256 digest of the
 * caller, the target (method and concrete path, or server and tool) and the whole canonical arguments: once approved, that caller's retry with those
 * arguments passes once (the approval is then `used`), until `expiresAt`.
 */
export const Approval = z.object({
  id: z.string(),
  status: ApprovalStatus,
  digest: z.string(),
  /** Who called: `user:<id>`, `jwt:<sub>`, or `client:<id>/profile:<id>`. */
  caller: z.string(),
  clientId: z.string().nullable(),
  /** What was called: `DELETE /shop/v1/orders/42 (DELETE /shop/v1/orders/{id}, ep_…)` — the concrete path — or `server/tool` on a virtual MCP server. */
  target: z.string(),
  /** The arguments as sent, indented JSON (REST: query and body; MCP: the tool's arguments); past 1 MiB cut, with the cut said at the end. */
  argumentsPreview: z.string(),
  /** Why the policy holds it (the rule's reason). */
  reason: z.string().nullable(),
  /** The workflow (`wf_…@3`) and node that held it. */
  workflow: z.string(),
  node: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
  /** The approver's subject. */
  decidedBy: z.string().nullable(),
  /** The approver's reason. */
  decisionReason: z.string().nullable(),
  usedAt: z.string().nullable(),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalListQuery = z.strictObject({
  status: ApprovalStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** An approver's decision: approve or deny, with a reason (required to deny). */
export const ApprovalDecisionInput = z.strictObject({
  id: z.string().regex(/^apr_[A-Za-z0-9_-]{1,60}$/, 'an approval id'),
  reason: z.string().max(500).optional(),
});
