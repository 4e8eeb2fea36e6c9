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
