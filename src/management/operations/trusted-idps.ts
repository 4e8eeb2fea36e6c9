import { z } from 'zod';
import { GatehouseError, Id, newId, TrustedIdp, TrustedIdpInput, TrustedIdpPatch } from '../../core/index.js';
import { recordSignInGroups } from '../../store/repositories/sign-in-groups.js';
import { findUserByName, insertUser, toUser } from '../../store/repositories/users.js';
import { defineOperation } from '../operation.js';
import { crudOperations, mustGet } from './crud.js';
import { mappedGroups } from './group-access.js';
import { repos } from './repos.js';

/**
 * A user created just in time has no password: the marker is no scrypt hash, so the login page
 * never accepts one for them; they sign in only through their enterprise IdP.
 */
export const NO_PASSWORD = '!enterprise-idp';

const crud = crudOperations({
  resource: 'trusted-idps',
  noun: 'trusted identity provider',
  idPrefix: 'tidp',
  basePath: '/trusted-idps',
  // In a config file the gateway's client at the IdP is named by its backend credential's name.
  declarative: { identity: ['name'], refs: { gatewayCredentialId: 'backend-credentials' } },
  create: TrustedIdpInput,
  patch: TrustedIdpPatch,
  output: TrustedIdp,
  // Trusting an IdP decides who may sign in: only admins change it, like users and role bindings.
  writePermission: 'admin',
  keys: (v) => ({ key: v.name }),
  check: async (ctx, next, current) => {
    // Two entries for one issuer would make which one judged an assertion a matter of order.
    const same = (await repos.trustedIdps.all(ctx.db)).find((i) => i.issuer === next.issuer && i.id !== current?.id);
    if (same) throw new GatehouseError('GATEHOUSE_CONFLICT', `The issuer ${next.issuer} is already trusted as ${same.name}.`);
    if (next.gatewayCredentialId === undefined) return;
    const credential = await repos.backendCredentials.get(ctx.db, next.gatewayCredentialId);
    if (!credential) throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `No backend credential with id ${next.gatewayCredentialId}.`);
    if (credential.type !== 'oauth2_client_credentials') {
      throw new GatehouseError(
        'GATEHOUSE_VALIDATION_FAILED',
        `Backend credential ${credential.name} is ${credential.type}; the gateway's client at an IdP is an oauth2_client_credentials one.`,
      );
    }
  },
});

/** Who an Identity Assertion JWT Authorization Grant named, as the authorization server verified it. */
export const IdJagSignIn = z.strictObject({
  idpId: Id,
  /** The assertion's `sub` at the IdP. */
  subject: z.string().min(1).max(500),
  /** The value of the IdP's username claim. */
  username: z.string().min(1).max(320),
  email: z.string().max(320).optional(),
  /** The protected resource the token is for, and the client it is issued to. */
  resource: z.string().url().max(2000),
  appClientId: z.string().min(1).max(2000),
  /** The person's groups at the IdP (its groups claim, as the assertion carried them). */
  groups: z.array(z.string().min(1).max(200)).max(100).default([]),
});

const SignedIn = z.object({ userId: z.string(), username: z.string(), created: z.boolean() });

/**
 * The sign-in of a person through an ID-JAG (a `self` operation no surface serves): the
 * authorization server has verified the assertion; here the person is matched to a local user, or
 * one is created just in time, so the sign-in and any account it creates are audited together.
 */
const signIn = defineOperation({
  name: 'trusted-idps.sign-in',
  resource: 'trusted-idps',
  action: 'sign-in',
  summary: 'Record a person’s sign-in with an enterprise identity assertion (ID-JAG), creating their user just in time where allowed',
  permission: 'self',
  input: IdJagSignIn,
  output: SignedIn,
  http: { method: 'POST', path: '/trusted-idps/{idpId}/sign-ins', status: 201 },
  handler: async (ctx, input) => {
    const idp = await mustGet(repos.trustedIdps, ctx, input.idpId, 'trusted identity provider');
    if (!idp.enabled) throw new GatehouseError('GATEHOUSE_FORBIDDEN', `The identity provider ${idp.name} is disabled.`);
    const existing = await findUserByName(ctx.db, input.username);
    // Only the groups some binding or access list names: the rest decide nothing here, and need not be kept.
    const mapped = await mappedGroups(ctx.db);
    const groups = input.groups.filter((g) => mapped.has(g));
    const note = { idp: idp.name, issuer: idp.issuer, idpSubject: input.subject, resource: input.resource, clientId: input.appClientId, groups };
    const record = (userId: string) => recordSignInGroups(ctx.db, { userId, idpId: idp.id, groups, signedInAt: ctx.now });
    if (existing) {
      if (existing.disabled === 1) throw new GatehouseError('GATEHOUSE_FORBIDDEN', `The user ${existing.username} is disabled.`);
      await record(existing.id);
      Object.assign(ctx.audit, { resourceId: existing.id, after: { ...note, userId: existing.id, username: existing.username, created: false } });
      return { userId: existing.id, username: existing.username, created: false };
    }
    const domain = input.email?.toLowerCase().split('@')[1];
    // The IdP vouches for the address; only its domains the admin listed get accounts made for them.
    if (!domain || !idp.jitDomains.includes(domain)) {
      throw new GatehouseError('GATEHOUSE_FORBIDDEN', `No user ${input.username} exists, and ${idp.name} creates none for this address.`);
    }
    const row = { id: newId('usr'), username: input.username, password_hash: NO_PASSWORD, disabled: 0, created_at: ctx.now, updated_at: ctx.now };
    await insertUser(ctx.db, row);
    await record(row.id);
    Object.assign(ctx.audit, { resourceId: row.id, after: { ...note, ...toUser(row), userId: row.id, created: true } });
    return { userId: row.id, username: row.username, created: true };
  },
});

export const trustedIdpOperations = [...crud, signIn];
