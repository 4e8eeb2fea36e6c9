import { z } from 'zod';
import { Channel, Id, Page, Timestamp } from './common.js';

export const AuditOutcome = z.enum(['success', 'denied', 'failure']);

export const AuditEntry = z.object({
  id: Id,
  seq: z.number().int(),
  time: Timestamp,
  actor: z.object({ subject: z.string(), name: z.string(), kind: z.enum(['user', 'service']) }),
  channel: Channel,
  clientApp: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  outcome: AuditOutcome,
  status: z.number().int(),
  errorCode: z.string().nullable(),
  requestId: z.string().nullable(),
  diff: z.object({ before: z.unknown().optional(), after: z.unknown().optional() }).nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  ...Page,
  actor: z.string().max(300).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  ip: z.string().max(100).optional(),
  outcome: AuditOutcome.optional(),
  status: z.coerce.number().int().optional(),
  channel: Channel.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** What a walk of the audit hash chain found: intact up to its head, or the first entry that breaks it. */
export const AuditChainVerdict = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), entries: z.number().int(), head: z.string() }),
  z.object({
    ok: z.literal(false),
    entries: z.number().int(),
    brokenAt: z.object({ seq: z.number().int(), id: z.string(), reason: z.string() }),
  }),
]);
export type AuditChainVerdict = z.infer<typeof AuditChainVerdict>;
