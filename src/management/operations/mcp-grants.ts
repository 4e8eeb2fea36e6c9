import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GatehouseError, Id, McpGrant, newId, Page } from '../../core/index.js';
import { accountChoices } from '../../identity/mcp-sign-in.js';
import { mcpGrants } from '../../store/repositories/mcp-grants.js';
import type { DB } from '../../store/schema.js';
import { defineOperation } from '../operation.js';
import { listOf, mustGet } from './crud.js';

/** Whether the authorization server's grant is this person's, for this app. */
async function ownGrant(db: Kysely<DB>, grantId: string, subject: string, appClientId: string): Promise<boolean> {
  const row = await db.selectFrom('oidc_payloads').select('payload').where('model', '=', 'Grant').where('id', '=', grantId).executeTakeFirst();
  if (!row) return false;
  const payload = JSON.parse(row.payload) as { accountId?: unknown; clientId?: unknown };
  return payload.accountId === subject && payload.clientId === appClientId;
}

/**
 * Seeing and revoking people's Gateway MCP sign-ins. They are made on the consent page, by the
 * person signing in (`mcp-grants.sign-in`, a `self` operation no surface serves), through the
 * executor like every change, so each sign-in is audited with the person as its actor.
 */
export const mcpGrantOperations = [
  defineOperation({
    name: 'mcp-grants.sign-in',
    resource: 'mcp-grants',
    action: 'sign-in',
    summary: 'Record the signed-in person’s consent: this MCP app acts for them as this profile on the Gateway MCP',
    permission: 'self',
    input: z.strictObject({
      oidcGrantId: z.string().min(1).max(200),
      profileId: Id,
      appClientId: z.string().min(1).max(2000),
      appName: z.string().max(500),
    }),
    output: McpGrant,
    // Served by no surface (a `self` operation); the status is the audit entry's.
    http: { method: 'POST', path: '/mcp-grants', status: 201 },
    handler: async (ctx, input) => {
      // A gateway user, or a person of an external IdP admitted when their ID token was verified.
      const who = await accountChoices(ctx.db, ctx.principal.subject);
      if (!who) throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'Only a signed-in person can sign in to the Gateway MCP.');
      const choice = who.choices.find((c) => c.profileId === input.profileId);
      if (!choice) throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'This profile does not let you sign in.');
      if (!(await ownGrant(ctx.db, input.oidcGrantId, ctx.principal.subject, input.appClientId))) {
        throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'This authorization is not yours.');
      }
      const value = {
        oidcGrantId: input.oidcGrantId,
        profileId: choice.profileId,
        clientId: choice.clientId,
        subject: who.federated?.subject ?? ctx.principal.subject,
        username: who.username,
        ...(who.federated ? { issuer: who.federated.issuer } : {}),
        appClientId: input.appClientId,
        appName: input.appName,
      };
      const keys = { key: input.oidcGrantId, parentId: choice.profileId };
      // Signing in again through the same app re-points its sign-in (one grant, one profile).
      const existing = await mcpGrants.getByKey(ctx.db, input.oidcGrantId);
      const saved = existing
        ? await mcpGrants.update(ctx.db, existing, value, keys, ctx.now)
        : await mcpGrants.insert(ctx.db, newId('mgr'), value, keys, ctx.now);
      Object.assign(ctx.audit, { resourceId: saved.id, before: existing ?? undefined, after: saved });
      return saved;
    },
  }),
  defineOperation({
    name: 'mcp-grants.list',
    resource: 'mcp-grants',
    action: 'list',
    summary: 'List people’s sign-ins to the Gateway MCP: who, through which app, as which client and profile',
    permission: 'read',
    input: z.strictObject({ ...Page, profileId: Id.optional() }),
    output: listOf(McpGrant),
    http: { method: 'GET', path: '/mcp-grants' },
    handler: async (ctx, input) => {
      const page = await mcpGrants.list(ctx.db, { limit: input.limit, cursor: input.cursor, parentId: input.profileId });
      return { items: page.items, nextCursor: page.nextCursor };
    },
  }),
  defineOperation({
    name: 'mcp-grants.get',
    resource: 'mcp-grants',
    action: 'get',
    summary: 'Get one Gateway MCP sign-in',
    permission: 'read',
    input: z.strictObject({ id: Id }),
    output: McpGrant,
    http: { method: 'GET', path: '/mcp-grants/{id}' },
    handler: async (ctx, input) => mustGet(mcpGrants, ctx, input.id, 'MCP sign-in'),
  }),
  defineOperation({
    name: 'mcp-grants.revoke',
    resource: 'mcp-grants',
    action: 'revoke',
    summary: 'Revoke a Gateway MCP sign-in: its access tokens stop working at once and its refresh tokens are deleted',
    permission: 'write',
    destructive: true,
    input: z.strictObject({ id: Id }),
    output: z.object({ revoked: z.literal(true), id: Id }),
    http: { method: 'DELETE', path: '/mcp-grants/{id}' },
    handler: async (ctx, input) => {
      const grant = await mustGet(mcpGrants, ctx, input.id, 'MCP sign-in');
      await mcpGrants.delete(ctx.db, grant.id);
      // The app's refresh tokens (and the grant they hang on) go too, so it cannot mint a token for a grant that no longer exists.
      await ctx.db.deleteFrom('oidc_payloads').where('grant_id', '=', grant.oidcGrantId).execute();
      await ctx.db.deleteFrom('oidc_payloads').where('model', '=', 'Grant').where('id', '=', grant.oidcGrantId).execute();
      Object.assign(ctx.audit, { resourceId: grant.id, before: grant });
      return { revoked: true as const, id: grant.id };
    },
  }),
] as const;
