import { z } from 'zod';
import { Id, McpGrant, Page } from '../../core/index.js';
import { mcpGrants } from '../../store/repositories/mcp-grants.js';
import { defineOperation } from '../operation.js';
import { listOf, mustGet } from './crud.js';

/** Seeing and revoking people's Gateway MCP sign-ins; they are made on the consent page, not here. */
export const mcpGrantOperations = [
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
