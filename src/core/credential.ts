import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const CredentialStatus = z.enum(['active', 'rotated', 'revoked']);

/** A token credential as reads show it: never the secret, only its prefix. */
export const Credential = z.object({
  id: Id,
  profileId: Id,
  clientId: Id,
  prefix: z.string(),
  status: CredentialStatus,
  expiresAt: Timestamp.nullable(),
  /** For a rotated credential: when it stops working. */
  graceUntil: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type Credential = z.infer<typeof Credential>;

export const CredentialIssueInput = z.strictObject({
  profileId: Id,
  expiresAt: z.iso.datetime().optional(),
});
export const CredentialRotateInput = z.strictObject({
  profileId: Id,
  /** How long the credentials being replaced keep working. */
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  expiresAt: z.iso.datetime().optional(),
});
export const CredentialRevokeInput = z.strictObject({ id: Id });

/** What issue and rotate return, the only time the token is shown. */
export const IssuedCredential = z.object({ credential: Credential, token: z.string() });
export type IssuedCredential = z.infer<typeof IssuedCredential>;
