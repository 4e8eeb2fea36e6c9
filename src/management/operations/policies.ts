import { Policy, PolicyInput, PolicyPatch } from '../../core/index.js';
import { crudOperations } from './crud.js';
import { refuseInUse } from './references.js';
import { repos } from './repos.js';

export const policyOperations = crudOperations({
  resource: 'policies',
  noun: 'policy',
  idPrefix: 'pol',
  basePath: '/policies',
  declarative: { identity: ['name'] },
  create: PolicyInput,
  patch: PolicyPatch,
  output: Policy,
  keys: (p) => ({ key: p.name }),
  beforeDelete: async (ctx, p) => {
    refuseInUse('clients', (await repos.clients.all(ctx.db)).filter((c) => c.policyId === p.id).length);
    refuseInUse('profiles', (await repos.profiles.all(ctx.db)).filter((c) => c.policyId === p.id).length);
  },
});
