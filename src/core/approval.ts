import { z } from 'zod';

/** Where an approval stands; `expired` is computed (an open or approved approval past its expiry). */
export const ApprovalStatus = z.enum(['pending', 'approved', 'denied', 'used', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/**
 * A call a tool policy held for a person's approval. It is bound to the SHA-256 digest of the
 * exact call as the upstream gets it once the whole request workflow has run: the caller and the
 * client and profile (or agent) they call through, the method, the concrete path, the query byte
 * for byte, the proxy and route group (on MCP the server, its upstream and the upstream's own tool
 * name), the forwarded headers that can change what is executed, and the body or MCP arguments as
 * sent. Once approved, that caller's retry of that very call passes once (the approval is then
 * `used`), until `expiresAt`. Approvals opened before a binding was added (older rows: no method,
 * path or headers) can still be read and decided but never let a call through.
 */
export const Approval = z.object({
  id: z.string(),
  status: ApprovalStatus,
  digest: z.string(),
  /** Who called: `user:<id>`, `jwt:<sub>`, or `client:<id>/profile:<id>`. */
  caller: z.string(),
  /** The caller's display name (a person's username, a client's name), when the gateway knows it. */
  callerName: z.string().nullable(),
  clientId: z.string().nullable(),
  /** What was called: `DELETE /shop/v1/orders/{id} (ep_…)`. */
  target: z.string(),
  /** The method as sent (`DELETE`; `tools/call` on MCP). */
  method: z.string().nullable(),
  /** The concrete path as sent (`/payments/v1/accounts/1`), not the endpoint template. */
  path: z.string().nullable(),
  /** The query as the upstream gets it, byte for byte (`?a=1&b=2`, or ''): reordered or re-encoded, it is another call. */
  query: z.string().nullable(),
  /**
   * SHA-256 (hex) of the body or MCP arguments as sent, and its size: of the raw bytes, or for JSON
   * the upstream reads as JSON and without a duplicate key, of canonical JSON keeping every number's
   * literal text (key order and whitespace aside, nothing an upstream reads differently digests alike).
   */
  bodySha256: z.string().nullable(),
  bodyBytes: z.number().int().nullable(),
  /** On a virtual MCP server: its slug and the tool as the client sees it. */
  mcp: z.object({ server: z.string(), tool: z.string() }).nullable(),
  /**
   * The forwarded headers bound with the call (Content-Type, X-HTTP-Method-Override, cookies, any
   * header a workflow set…; not tracing, User-Agent or Accept-Encoding), or null on rows from before.
   */
  headers: z.record(z.string(), z.string()).nullable(),
  /** Where the call goes: the proxy (and route group), or on a virtual server the upstream and its own tool name. */
  upstream: z.string().nullable(),
  /**
   * The body (REST) or the arguments (MCP) as the approver reads them: JSON indented, secret-looking
   * fields redacted. Reads show the first `callShownBytes` of `callBytes`; the whole stored call is
   * at `GET /approvals/{id}/call`.
   */
  call: z.string(),
  callBytes: z.number().int(),
  callShownBytes: z.number().int(),
  /** Why the policy holds it (the rule's reason). */
  reason: z.string().nullable(),
  /** The workflow (`wf_…@3`) and node that held it. */
  workflow: z.string(),
  node: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
  /** The approver's subject, and their display name when the gateway knows it. */
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
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
  // The rule, the same in the guide and the console: optional to approve, required to deny (approvals.ts says why).
  reason: z.string().max(500).optional().describe('Why: optional to approve (kept in the audit entry), required to deny (the caller is told it)'),
});

/** The whole stored call of an approval, for download: what the approver decides on. */
export const ApprovalCall = z.object({
  id: z.string(),
  target: z.string(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  query: z.string().nullable(),
  mcp: z.object({ server: z.string(), tool: z.string() }).nullable(),
  headers: z.record(z.string(), z.string()).nullable(),
  upstream: z.string().nullable(),
  bodySha256: z.string().nullable(),
  bodyBytes: z.number().int().nullable(),
  /** The body or MCP arguments as stored (see Approval.call), whole. */
  call: z.string(),
});
