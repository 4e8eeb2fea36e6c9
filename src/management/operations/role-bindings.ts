import { z } from 'zod';
import { Description, GatehouseError, Role, RoleBinding, RoleBindingInput, RoleScope } from '../../core/index.js';
import type { OperationContext } from '../operation.js';
import { crudOperations } from './crud.js';
import { expireUnreachable } from './mcp-connection-access.js';
import { repos } from './repos.js';

/** A scope narrows only a modifier; on other roles it would read as a promise it does not keep. */
export function checkScope(role: Role, scope: RoleScope): void {
  if (role !== 'modifier' && (scope.resourceTypes || scope.collectionIds)) {
    throw new GatehouseError('GATEHOUSE_VALIDATION_FAILED', 'Only a modifier can be scoped.', [{ path: 'scope', message: 'only for role modifier' }]);
  }
}

/** Refuses a change that would leave the gateway without any admin binding. */
export async function keepOneAdmin(ctx: OperationContext, losingId: string): Promise<void> {
  const admins = (await repos.roleBindings.all(ctx.db)).filter((b) => b.role === 'admin');
  if (admins.length === 1 && admins[0]!.id === losingId) {
    throw new GatehouseError('GATEHOUSE_INVALID_STATE', 'This is the last admin binding; add another admin first.');
  }
}

export const roleBindingOperations = crudOperations({
  resource: 'role-bindings',
  noun: 'role binding',
  idPrefix: 'rb',
  basePath: '/role-bindings',
  writePermission: 'admin',
  create: RoleBindingInput,
  patch: z.strictObject({ role: Role.optional(), scope: RoleScope.optional(), description: Description.optional() }),
  output: RoleBinding,
  // Bindings have no natural unique name; the same subject may hold several scoped grants.
  keys: (b) => ({ key: `${b.subject ? `subject:${b.subject}` : `group:${b.group}`}#${JSON.stringify([b.role, b.scope])}` }),
  check: async (ctx, b, current) => {
    checkScope(b.role, b.scope);
    if (current && current.role === 'admin' && b.role !== 'admin') await keepOneAdmin(ctx, current.id);
  },
  beforeDelete: async (ctx, b) => {
    if (b.role === 'admin') await keepOneAdmin(ctx, b.id);
  },
  // A person left without a role can no longer use virtual servers, so their upstream connections end (people carry no groups).
  afterDelete: async (ctx, b) => {
    if (b.subject !== undefined) await expireUnreachable(ctx, { subject: b.subject });
  },
});
