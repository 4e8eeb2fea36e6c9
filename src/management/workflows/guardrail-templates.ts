import { z } from 'zod';
import { HttpMethod, PiiType, PromptGuardNode } from '../../core/index.js';
import { MIB, template, type WorkflowTemplate } from './template.js';

/** Which bodies a guardrail template scans: what callers send (tool arguments), what upstreams answer (tool results), or both. */
const Scan = z.enum(['requests-and-responses', 'responses', 'requests']).default('requests-and-responses');
type Scan = z.output<typeof Scan>;

/** The largest body a guardrail node scans (and the workflow buffers): its nodes refuse a larger one rather than pass it unscanned. */
const MaxBytes = z
  .number()
  .int()
  .min(1_024)
  .max(4 * MIB)
  .default(MIB);

/** A group name as a CEL string literal can hold it without escapes. */
const Group = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._@:/-]+$/, 'letters, digits and . _ @ : / -');

/** The node in the phases `scan` names: `<id>-in` on requests, `<id>-out` on responses. */
function phases<N extends { id: string }>(scan: Scan, node: N) {
  return {
    request: scan === 'responses' ? [] : [{ ...node, id: `${node.id}-in` }],
    response: scan === 'requests' ? [] : [{ ...node, id: `${node.id}-out` }],
  };
}

/** Templates that guard what a model reads and what it may do: PII redaction, injection blocking, approval of destructive calls. */
export const GUARDRAIL_TEMPLATES: readonly WorkflowTemplate[] = [
  template({
    category: 'guardrail',
    name: 'pii-redaction',
    title: 'PII redaction',
    description:
      'Replaces e-mail addresses, phone numbers, payment cards, IBANs and secrets with a label of their kind ([EMAIL]) in what callers send and what upstreams answer, so neither an upstream nor a model reads them.',
    params: z.strictObject({
      types: z
        .array(PiiType.exclude(['national_id']))
        .min(1)
        .max(6)
        .default(['email', 'phone', 'card', 'iban', 'secret']),
      /** Read national phone numbers (`(415) 555-2671`) as this country's (ISO 3166 alpha-2); without it, only numbers written nationally (a trunk `0` with separators, North American groups) are tried for the likeliest countries. */
      defaultCountry: z
        .string()
        .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code')
        .optional(),
      scan: Scan,
      maxBytes: MaxBytes,
    }),
    build: (p) => ({
      name: 'pii-redaction',
      ...phases(p.scan, {
        type: 'detect_pii' as const,
        id: 'pii',
        types: p.types,
        action: 'redact' as const,
        maxBytes: p.maxBytes,
        ...(p.defaultCountry ? { defaultCountry: p.defaultCountry } : {}),
      }),
      bodyLimitBytes: p.maxBytes,
    }),
  }),
  template({
    category: 'guardrail',
    name: 'prompt-injection-block',
    title: 'Prompt-injection block',
    description:
      'Refuses (422) calls whose arguments or results carry instructions aimed at a model: overrides ("ignore previous instructions"), hidden text, exfiltration links, tool coercion.',
    params: z.strictObject({
      /** The score (0–1) at or over which a body is refused. */
      threshold: z.number().min(0.05).max(1).default(0.5),
      /** Hosts markdown images and links may point to without counting as a channel out (`docs.example.com`, `*.example.com`). */
      allowHosts: z
        .array(
          z
            .string()
            .min(1)
            .max(253)
            .regex(/^(\*\.)?[a-z0-9.-]+$/i, 'a host name, optionally *.domain'),
        )
        .max(100)
        .default([]),
      scan: Scan,
      maxBytes: MaxBytes,
      /** In a chat API body, the roles whose messages are judged (`["user", "tool"]` in front of a model's API); unset, every text. */
      chatRoles: PromptGuardNode.shape.chatRoles,
    }),
    build: (p) => ({
      name: 'prompt-injection-block',
      ...phases(p.scan, {
        type: 'prompt_guard' as const,
        id: 'injection',
        threshold: p.threshold,
        action: 'block' as const,
        allowHosts: p.allowHosts,
        maxBytes: p.maxBytes,
        ...(p.chatRoles ? { chatRoles: p.chatRoles } : {}),
      }),
      bodyLimitBytes: p.maxBytes,
    }),
  }),
  template({
    category: 'guardrail',
    name: 'destructive-approval',
    title: 'Approval for destructive calls',
    description:
      'Holds every destructive call for a person’s approval: DELETE on REST, and MCP tools whose annotations say they may destroy (MCP’s default for a tool not marked read-only). Once approved, the same call passes once.',
    params: z.strictObject({
      /** Told to the caller and shown to approvers. */
      reason: z.string().min(1).max(300).default('Destructive calls are reviewed by a person before they run.'),
      /** Other HTTP methods to hold on REST (`PUT`, `PATCH`). */
      alsoMethods: z.array(HttpMethod).max(7).default([]),
      /** Callers in these groups (the token's `groups` claim) are not held. */
      exemptGroups: z.array(Group).max(20).default([]),
      approvalTtlSeconds: z.number().int().min(1).max(86_400).default(900),
      /** The largest body (the arguments a rule reads and an approval binds) the workflow buffers. */
      bodyLimitBytes: z
        .number()
        .int()
        .min(1)
        .max(16 * MIB)
        .default(MIB),
    }),
    build: (p) => {
      const methods = p.alsoMethods.length > 0 ? ` || tool.method in ${JSON.stringify(p.alsoMethods)}` : '';
      return {
        name: 'destructive-approval',
        request: [
          {
            type: 'tool_policy',
            id: 'destructive',
            rules: [
              ...p.exemptGroups.map((g) => ({ when: `${JSON.stringify(g)} in caller.groups`, decision: 'allow' as const })),
              { when: `tool.destructive${methods}`, decision: 'approval' as const, reason: p.reason },
            ],
            approvalTtlSeconds: p.approvalTtlSeconds,
          },
        ],
        bodyLimitBytes: p.bodyLimitBytes,
      };
    },
  }),
];
