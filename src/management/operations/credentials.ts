import { z } from 'zod';
import {
  Credential,
  CredentialIssueInput,
  CredentialRevokeInput,
  CredentialRotateInput,
  GatehouseError,
  generateToken,
  hashToken,
  Id,
  IssuedCredential,
  newId,
  tokenPrefix,
} from '../../core/index.js';
import { getCredential, insertCredential, listCredentials, revokeCredential, rotateActiveCredentials } from '../../store/repositories/credentials.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { mustGet } from './crud.js';
import { repos } from './repos.js';

async function tokenProfile(ctx: OperationContext, profileId: string) {
  const profile = await mustGet(repos.profiles, ctx, profileId, 'profile');
  if (profile.authType !== 'token') {
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Profile ${profile.name} uses ${profile.authType} auth; only token profiles hold credentials.`);
  }
  return profile;
}

function future(ctx: OperationContext, expiresAt: string | undefined): string | null {
  if (!expiresAt) return null;
  const iso = new Date(expiresAt).toISOString();
  if (iso <= ctx.now) {
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'expiresAt must be in the future.', [{ path: 'expiresAt', message: 'in the past' }]);
  }
  return iso;
}

/** Creates a credential and returns its token: the only time anyone sees it. */
async function issue(ctx: OperationContext, profileId: string, clientId: string, expiresAt: string | null) {
  const token = generateToken();
  const credential = await insertCredential(ctx.db, {
    id: newId('crd'),
    profile_id: profileId,
    client_id: clientId,
    token_hash: hashToken(token),
    prefix: tokenPrefix(token),
    status: 'active',
    expires_at: expiresAt,
    grace_until: null,
    created_at: ctx.now,
  });
  return { credential, token };
}

export const credentialOperations = [
  defineOperation({
    name: 'credentials.list',
    resource: 'credentials',
    action: 'list',
    summary: 'List the credentials of a profile (never their secrets)',
    permission: 'read',
    input: z.strictObject({ profileId: Id }),
    output: z.object({ items: z.array(Credential), nextCursor: z.null() }),
    http: { method: 'GET', path: '/profiles/{profileId}/credentials' },
    handler: async (ctx, input) => {
      await mustGet(repos.profiles, ctx, input.profileId, 'profile');
      return { items: await listCredentials(ctx.db, input.profileId), nextCursor: null };
    },
  }),
  defineOperation({
    name: 'credentials.issue',
    resource: 'credentials',
    action: 'issue',
    summary: 'Issue a new token for a token profile; the token is shown once',
    permission: 'write',
    input: CredentialIssueInput,
    output: IssuedCredential,
    http: { method: 'POST', path: '/profiles/{profileId}/credentials', status: 201 },
    handler: async (ctx, input) => {
      const profile = await tokenProfile(ctx, input.profileId);
      const issued = await issue(ctx, profile.id, profile.clientId, future(ctx, input.expiresAt));
      Object.assign(ctx.audit, { resourceId: issued.credential.id, after: issued.credential });
      return issued;
    },
  }),
  defineOperation({
    name: 'credentials.rotate',
    resource: 'credentials',
    action: 'rotate',
    summary: 'Issue a new token and let the current ones work only for a grace period',
    permission: 'write',
    input: CredentialRotateInput,
    output: IssuedCredential.extend({ rotated: z.number().int(), graceUntil: z.string() }),
    http: { method: 'POST', path: '/profiles/{profileId}/credentials/rotate', status: 201 },
    handler: async (ctx, input) => {
      const profile = await tokenProfile(ctx, input.profileId);
      const graceUntil = new Date(Date.parse(ctx.now) + input.gracePeriodSeconds * 1000).toISOString();
      const before = await listCredentials(ctx.db, profile.id);
      const rotated = await rotateActiveCredentials(ctx.db, profile.id, graceUntil);
      const issued = await issue(ctx, profile.id, profile.clientId, future(ctx, input.expiresAt));
      Object.assign(ctx.audit, { resourceId: issued.credential.id, before, after: await listCredentials(ctx.db, profile.id) });
      return { ...issued, rotated, graceUntil };
    },
  }),
  defineOperation({
    name: 'credentials.revoke',
    resource: 'credentials',
    action: 'revoke',
    summary: 'Revoke a credential at once',
    permission: 'write',
    destructive: true,
    input: CredentialRevokeInput,
    output: Credential,
    http: { method: 'POST', path: '/credentials/{id}/revoke' },
    handler: async (ctx, input) => {
      const before = await getCredential(ctx.db, input.id);
      if (!before) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No credential with id ${input.id}.`);
      await revokeCredential(ctx.db, input.id);
      const after = { ...before, status: 'revoked' as const };
      Object.assign(ctx.audit, { resourceId: input.id, before, after });
      return after;
    },
  }),
] as const;
