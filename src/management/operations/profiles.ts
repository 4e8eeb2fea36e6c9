import { GatehouseError, Profile, ProfileInput, ProfilePatch } from '../../core/index.js';
import { deleteProfileCredentials } from '../../store/repositories/credentials.js';
import type { Operation } from '../operation.js';
import { crudOperations, mustGet } from './crud.js';
import { requireRefs } from './references.js';
import { repos } from './repos.js';

export const profileOperations: Operation[] = crudOperations({
  resource: 'profiles',
  noun: 'profile',
  idPrefix: 'prf',
  basePath: '/profiles',
  create: ProfileInput,
  patch: ProfilePatch,
  output: Profile,
  keys: (p) => ({ key: `${p.clientId}/${p.name}`, parentId: p.clientId }),
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
    const outside = p.collectionIds?.filter((id) => !client.collectionIds.includes(id)) ?? [];
    if (outside.length > 0) {
      throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', `collectionIds: ${outside.join(', ')} not granted to the client.`, [
        { path: 'collectionIds', message: 'must be a subset of the client’s collections' },
      ]);
    }
  },
  beforeDelete: async (ctx, p) => deleteProfileCredentials(ctx.db, p.id),
});
