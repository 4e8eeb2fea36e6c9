import { z } from 'zod';
import { GatehouseError, Id, newId, Page, User, UserInput } from '../../core/index.js';
import { hashPassword } from '../../identity/passwords.js';
import { decodeCursor, encodeCursor } from '../../store/cursor.js';
import { findUserById, findUserByName, insertUser, setUserDisabled, toUser } from '../../store/repositories/users.js';
import { defineOperation } from '../operation.js';
import { listOf } from './crud.js';
import { expireUnreachable } from './mcp-connection-access.js';
import { repos } from './repos.js';
import { checkScope } from './role-bindings.js';
import { removeBindings } from './service-accounts.js';

export const userOperations = [
  defineOperation({
    name: 'users.list',
    resource: 'users',
    action: 'list',
    summary: 'List local users of the built-in identity provider',
    permission: 'read',
    input: z.strictObject(Page),
    output: listOf(User),
    http: { method: 'GET', path: '/users' },
    handler: async (ctx, input) => {
      let q = ctx.db
        .selectFrom('users')
        .selectAll()
        .orderBy('username')
        .limit(input.limit + 1);
      if (input.cursor) q = q.where('username', '>', String(decodeCursor(input.cursor, 1)[0]));
      const rows = await q.execute();
      const page = rows.slice(0, input.limit);
      return {
        items: page.map(toUser),
        nextCursor: rows.length > input.limit ? encodeCursor([page.at(-1)!.username]) : null,
      };
    },
  }),
  defineOperation({
    name: 'users.create',
    resource: 'users',
    alsoWrites: ['role-bindings'],
    action: 'create',
    summary: 'Create a local user with a role',
    permission: 'admin',
    input: UserInput,
    output: User,
    http: { method: 'POST', path: '/users', status: 201 },
    handler: async (ctx, input) => {
      if (input.role) checkScope(input.role, input.scope);
      if (await findUserByName(ctx.db, input.username)) {
        throw new GatehouseError('GATEHOUSE_CONFLICT', `A user named ${input.username} already exists.`);
      }
      const row = {
        id: newId('usr'),
        username: input.username,
        password_hash: await hashPassword(input.password),
        disabled: 0,
        created_at: ctx.now,
        updated_at: ctx.now,
      };
      await insertUser(ctx.db, row);
      // Without a role the user can only sign in to the Gateway MCP as a profile that names them: a consumer, not an operator.
      if (input.role) {
        await repos.roleBindings.insert(
          ctx.db,
          newId('rb'),
          { subject: row.id, role: input.role, scope: input.scope, description: `user ${input.username}` },
          { key: `subject:${row.id}#${JSON.stringify([input.role, input.scope])}` },
          ctx.now,
        );
      }
      const user = toUser(row);
      Object.assign(ctx.audit, { resourceId: row.id, after: { ...user, role: input.role ?? null, scope: input.scope } });
      return user;
    },
  }),
  defineOperation({
    name: 'users.update',
    resource: 'users',
    alsoWrites: ['mcp-connections'],
    action: 'update',
    summary:
      'Disable a local user (they can no longer sign in, use the gateway or act at upstream MCP servers; their upstream connections end) or enable them again',
    permission: 'admin',
    input: z.strictObject({ id: Id, disabled: z.boolean() }),
    output: User,
    http: { method: 'PATCH', path: '/users/{id}' },
    handler: async (ctx, input) => {
      const row = await findUserById(ctx.db, input.id);
      if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No user with id ${input.id}.`);
      if (input.disabled && ctx.principal.subject === row.id) throw new GatehouseError('GATEHOUSE_INVALID_STATE', 'You cannot disable yourself.');
      await setUserDisabled(ctx.db, row.id, input.disabled, ctx.now);
      const after = toUser({ ...row, disabled: input.disabled ? 1 : 0, updated_at: ctx.now });
      if (input.disabled) await expireUnreachable(ctx, { subject: row.id });
      Object.assign(ctx.audit, { resourceId: row.id, before: toUser(row), after });
      return after;
    },
  }),
  defineOperation({
    name: 'users.delete',
    resource: 'users',
    alsoWrites: ['role-bindings', 'mcp-connections'],
    action: 'delete',
    summary: 'Delete a local user and their role bindings',
    permission: 'admin',
    destructive: true,
    input: z.strictObject({ id: Id }),
    output: z.object({ deleted: z.literal(true), id: Id }),
    http: { method: 'DELETE', path: '/users/{id}' },
    handler: async (ctx, input) => {
      const row = await findUserById(ctx.db, input.id);
      if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No user with id ${input.id}.`);
      if (ctx.principal.subject === row.id) throw new GatehouseError('GATEHOUSE_INVALID_STATE', 'You cannot delete yourself.');
      await removeBindings(ctx, row.id);
      await ctx.db.deleteFrom('users').where('id', '=', row.id).execute();
      // Their upstream accounts act for nobody any more.
      await expireUnreachable(ctx, { subject: row.id });
      Object.assign(ctx.audit, { resourceId: row.id, before: toUser(row) });
      return { deleted: true as const, id: row.id };
    },
  }),
] as const;
