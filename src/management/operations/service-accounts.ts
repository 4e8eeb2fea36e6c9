import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Description, GatehouseError, Id, newId, ServiceAccount, ServiceAccountInput } from '../../core/index.js';
import { deleteSecret, putSecret } from '../../store/repositories/secrets.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { crudOperations, mustGet, stripStored } from './crud.js';
import { repos } from './repos.js';
import { checkScope } from './role-bindings.js';

const CreatedServiceAccount = z.object({ serviceAccount: ServiceAccount, clientSecret: z.string() });

/** A fresh client secret, sealed at rest; the plain value is returned once. */
async function newSecret(ctx: OperationContext, id: string): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  await putSecret(ctx.db, 'service-accounts', id, ctx.secrets.seal(secret));
  return secret;
}

async function removeBindings(ctx: OperationContext, subject: string): Promise<void> {
  for (const b of await repos.roleBindings.all(ctx.db)) if (b.subject === subject) await repos.roleBindings.delete(ctx.db, b.id);
}

const [list, get] = crudOperations({
  resource: 'service-accounts',
  noun: 'service account',
  idPrefix: 'sa',
  basePath: '/service-accounts',
  create: z.never(),
  patch: z.strictObject({}),
  output: ServiceAccount,
  keys: () => ({ key: '' }),
});

export const serviceAccountOperations = [
  list!,
  get!,
  defineOperation({
    name: 'service-accounts.create',
    resource: 'service-accounts',
    alsoWrites: ['role-bindings'],
    action: 'create',
    summary: 'Create a service account (an OAuth client-credentials identity with its own role); the secret is shown once',
    permission: 'admin',
    input: ServiceAccountInput,
    output: CreatedServiceAccount,
    http: { method: 'POST', path: '/service-accounts', status: 201 },
    handler: async (ctx, input) => {
      checkScope(input.role, input.scope);
      const id = newId('sa');
      const serviceAccount = await repos.serviceAccounts.insert(ctx.db, id, { ...input, clientId: id }, { key: input.name }, ctx.now);
      await repos.roleBindings.insert(
        ctx.db,
        newId('rb'),
        { subject: id, role: input.role, scope: input.scope, description: `service account ${input.name}` },
        { key: `subject:${id}#${JSON.stringify([input.role, input.scope])}` },
        ctx.now,
      );
      const clientSecret = await newSecret(ctx, id);
      Object.assign(ctx.audit, { resourceId: id, after: serviceAccount });
      return { serviceAccount, clientSecret };
    },
  }),
  defineOperation({
    name: 'service-accounts.update',
    resource: 'service-accounts',
    action: 'update',
    summary: 'Change a service account’s description, or whether it may act for people by token exchange (its role is a role binding)',
    permission: 'admin',
    input: z.strictObject({ id: Id, description: Description.optional(), actForUsers: z.boolean().optional() }),
    output: ServiceAccount,
    http: { method: 'PATCH', path: '/service-accounts/{id}' },
    handler: async (ctx, input) => {
      const current = await mustGet(repos.serviceAccounts, ctx, input.id, 'service account');
      const next = {
        ...stripStored(current),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.actForUsers !== undefined ? { actForUsers: input.actForUsers } : {}),
      };
      const updated = await repos.serviceAccounts.update(ctx.db, current, next, { key: current.name }, ctx.now);
      Object.assign(ctx.audit, { resourceId: current.id, before: current, after: updated });
      return updated;
    },
  }),
  defineOperation({
    name: 'service-accounts.rotate-secret',
    resource: 'service-accounts',
    action: 'rotate-secret',
    summary: 'Replace a service account’s client secret; the old one stops working at once',
    permission: 'admin',
    input: z.strictObject({ id: Id }),
    output: CreatedServiceAccount,
    http: { method: 'POST', path: '/service-accounts/{id}/rotate-secret' },
    handler: async (ctx, input) => {
      const serviceAccount = await mustGet(repos.serviceAccounts, ctx, input.id, 'service account');
      const clientSecret = await newSecret(ctx, serviceAccount.id);
      Object.assign(ctx.audit, { resourceId: serviceAccount.id, after: { secretRotated: true } });
      return { serviceAccount, clientSecret };
    },
  }),
  defineOperation({
    name: 'service-accounts.delete',
    resource: 'service-accounts',
    alsoWrites: ['role-bindings'],
    action: 'delete',
    summary: 'Delete a service account; its tokens stop being issued at once',
    permission: 'admin',
    destructive: true,
    input: z.strictObject({ id: Id }),
    output: z.object({ deleted: z.literal(true), id: Id }),
    http: { method: 'DELETE', path: '/service-accounts/{id}' },
    handler: async (ctx, input) => {
      const current = await mustGet(repos.serviceAccounts, ctx, input.id, 'service account');
      const admins = (await repos.roleBindings.all(ctx.db)).filter((b) => b.role === 'admin');
      if (admins.length > 0 && admins.every((b) => b.subject === current.id)) {
        throw new GatehouseError('GATEHOUSE_INVALID_STATE', 'This service account holds the last admin binding.');
      }
      await removeBindings(ctx, current.id);
      await deleteSecret(ctx.db, 'service-accounts', current.id);
      await repos.serviceAccounts.delete(ctx.db, current.id);
      Object.assign(ctx.audit, { resourceId: current.id, before: current });
      return { deleted: true as const, id: current.id };
    },
  }),
] as const;

export { removeBindings };
