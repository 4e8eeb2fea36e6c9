import { Client, ClientInput, ClientPatch, GatehouseError } from '../../core/index.js';
import { crudOperations } from './crud.js';
import { refuseInUse, requireRefs } from './references.js';
import { repos } from './repos.js';

export const clientOperations = crudOperations({
  resource: 'clients',
  noun: 'client',
  idPrefix: 'cli',
  basePath: '/clients',
  declarative: { identity: ['name'], refs: { collectionIds: 'collections', policyId: 'policies' } },
  create: ClientInput,
  patch: ClientPatch,
  output: Client,
  keys: (c) => ({ key: c.name }),
  check: async (ctx, c, current) => {
    await requireRefs(ctx, repos.collections, 'collectionIds', c.collectionIds);
    await requireRefs(ctx, repos.policies, 'policyId', [c.policyId]);
    if (!current) return;
    // A profile may only narrow its client's grants, so taking a grant away must not leave one behind.
    const granted = new Set(c.collectionIds);
    for (const p of await repos.profiles.all(ctx.db, { parentId: current.id })) {
      const orphan = p.collectionIds?.find((id) => !granted.has(id));
      if (orphan) {
        throw new GatehouseError('GATEHOUSE_INVALID_STATE', `Profile ${p.name} still narrows to collection ${orphan}; change it first.`);
      }
    }
  },
  beforeDelete: async (ctx, c) => refuseInUse('profiles', await repos.profiles.count(ctx.db, { parentId: c.id })),
});
