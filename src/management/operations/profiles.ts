import { GatehouseError, Profile, ProfileInput, ProfilePatch } from '../../core/index.js';
import { deleteProfileCredentials } from '../../store/repositories/credentials.js';
import { PROFILE_SIGN_IN_SECRETS } from '../../identity/federated-login.js';
import { deleteSecret, putSecret } from '../../store/repositories/secrets.js';
import type { OperationContext } from '../operation.js';
import { crudOperations, mustGet } from './crud.js';
import { requireRefs } from './references.js';
import { repos } from './repos.js';

type ProfileValue = Omit<Profile, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

// The secret given in a write, held from `complete` (which keeps it out of the stored value) to
// `afterWrite` (which knows the profile's id), within the same operation.
const givenSecrets = new WeakMap<OperationContext, string>();

function withoutSecret(ctx: OperationContext, p: ProfileValue): ProfileValue {
  const given = p.oidcSignIn as (ProfileValue['oidcSignIn'] & { clientSecret?: string }) | undefined;
  if (!given?.clientSecret) return p;
  const { clientSecret, ...rest } = given;
  givenSecrets.set(ctx, clientSecret);
  return { ...p, oidcSignIn: rest };
}

async function storeSecret(ctx: OperationContext, p: ProfileValue & { id: string }): Promise<void> {
  const secret = givenSecrets.get(ctx);
  givenSecrets.delete(ctx);
  if (!p.oidcSignIn) await deleteSecret(ctx.db, PROFILE_SIGN_IN_SECRETS, p.id);
  else if (secret) await putSecret(ctx.db, PROFILE_SIGN_IN_SECRETS, p.id, ctx.secrets.seal(secret));
}

/**
 * A caller picks a jwt/oidc profile by its token's issuer (or X-Profile-ID), so two clients' profiles
 * that trust the same issuer and audience must tell tokens apart by a required claim; otherwise one
 * client's users could act as the other client.
 */
async function refuseAmbiguousIssuer(ctx: OperationContext, p: ProfileValue, selfId: string | undefined): Promise<void> {
  const mine = p.jwt!;
  for (const other of await repos.profiles.all(ctx.db)) {
    const theirs = other.jwt;
    if (other.id === selfId || other.clientId === p.clientId || !theirs) continue;
    if (theirs.issuer !== mine.issuer || theirs.audience !== mine.audience) continue;
    const distinct = mine.requiredClaim && theirs.requiredClaim && JSON.stringify(mine.requiredClaim) !== JSON.stringify(theirs.requiredClaim);
    if (!distinct) {
      throw new GatehouseError(
        'GATEHOUSE_CONFLICT',
        `Profile ${other.name} of another client already trusts ${mine.issuer} for audience ${mine.audience}; give both profiles different requiredClaim values.`,
        [{ path: 'jwt.requiredClaim', message: 'needed to tell this client’s tokens from another client’s' }],
      );
    }
  }
}

export const profileOperations = crudOperations({
  resource: 'profiles',
  noun: 'profile',
  idPrefix: 'prf',
  basePath: '/profiles',
  declarative: {
    identity: ['name'],
    parent: { field: 'clientId', resource: 'clients' },
    refs: { policyId: 'policies', collectionIds: 'collections' },
  },
  create: ProfileInput,
  patch: ProfilePatch,
  output: Profile,
  keys: (p) => ({ key: `${p.clientId}/${p.name}`, parentId: p.clientId }),
  complete: async (ctx, p) => withoutSecret(ctx, p),
  afterWrite: storeSecret,
  listFilter: { name: 'clientId', column: 'parentId' },
  check: async (ctx, p, current) => {
    if (current && current.authType !== p.authType) {
      throw new GatehouseError('GATEHOUSE_INVALID_STATE', 'The auth type of a profile cannot change; create a new profile.');
    }
    const client = await mustGet(repos.clients, ctx, p.clientId, 'client').catch(() => {
      throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `clientId: no client with id ${p.clientId}.`, [
        { path: 'clientId', message: `unknown id ${p.clientId}` },
      ]);
    });
    await requireRefs(ctx, repos.policies, 'policyId', [p.policyId]);
    if (p.jwt) await refuseAmbiguousIssuer(ctx, p, current?.id);
    const outside = p.collectionIds?.filter((id) => !client.collectionIds.includes(id)) ?? [];
    if (outside.length > 0) {
      throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `collectionIds: ${outside.join(', ')} not granted to the client.`, [
        { path: 'collectionIds', message: 'must be a subset of the client’s collections' },
      ]);
    }
  },
  beforeDelete: async (ctx, p) => {
    await deleteProfileCredentials(ctx.db, p.id);
    await deleteSecret(ctx.db, PROFILE_SIGN_IN_SECRETS, p.id);
  },
});
