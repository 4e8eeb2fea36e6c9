import { z } from 'zod';
import { CelExpression, NodeBase } from '../common.js';

/** What a tool policy decides for a call. */
export const PolicyDecision = z.enum(['allow', 'deny', 'approval', 'flag']);

/** One rule: when its CEL expression holds, the decision applies (the first matching rule wins). */
export const ToolPolicyRule = z.strictObject({
  /** A boolean CEL expression over `tool`, `arguments`, `caller` and `claims`, e.g. `tool.method == "DELETE" && !("oncall" in caller.groups)`. */
  when: CelExpression,
  decision: PolicyDecision,
  /** Told to the caller on a refusal, and to approvers. */
  reason: z.string().max(300).optional(),
});

/**
 * Allows, refuses or holds a call for human approval by rules over the tool (for REST and
 * execute_call: the endpoint), its arguments (the body) and the caller.
 */
export const ToolPolicyNode = z.strictObject({
  type: z.literal('tool_policy'),
  ...NodeBase,
  rules: z.array(ToolPolicyRule).min(1).max(50),
  /** The decision when no rule matches. */
  default: z.enum(['allow', 'deny', 'approval']).default('allow'),
  /** How long a requested approval stays open, and an approved one usable. */
  approvalTtlSeconds: z.number().int().min(1).max(86_400).default(900),
});
