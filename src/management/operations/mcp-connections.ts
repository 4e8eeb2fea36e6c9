import type { Kysely } from 'kysely';
import { z } from 'zod';
import { GatehouseError, Id, McpConnection } from '../../core/index.js';
import type { UpstreamTokens, UserTokens } from '../../gateway/federation/index.js';
import { deleteConnections, getConnection, listConnections, type McpConnectionRow, putConnection } from '../../store/repositories/mcp-connections.js';
import { findUserById } from '../../store/repositories/users.js';
import type { DB } from '../../store/schema.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { listOf } from './crud.js';
import { perUserServerOf } from './federation-targets.js';
import { reachOf } from './mcp-connection-access.js';
import { repos } from './repos.js';

const Subject = z.string().min(1).max(200);

async function shown(db: Kysely<DB>, rows: McpConnectionRow[]): Promise<McpConnection[]> {
  const names = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.server_id))) names.set(id, (await repos.mcpServers.get(db, id))?.name ?? '');
  return rows.map((r) => ({
    serverId: r.server_id,
    server: names.get(r.server_id) ?? '',
    subject: r.subject,
    username: r.username,
    scope: r.scope,
    expiresAt: r.expires_at,
    connectedAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** People's tokens at upstreams, when this node has them (the connect flow needs its public URL). */
type PerUser = () => UserTokens | null;

/**
 * Deletes one connection, noting it in the audit entry (with `why`, when the gateway ended it), and
 * once that is committed revokes its tokens at the upstream's authorization server too;
 * GATEHOUSE_NOT_FOUND when there is none.
 */
async function revoke(
  ctx: OperationContext,
  perUser: PerUser,
  serverId: string,
  subject: string,
  why?: string,
): Promise<{ revoked: true; serverId: string; subject: string }> {
  const row = await getConnection(ctx.db, serverId, subject);
  if (!row) throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No connection of ${subject} to MCP server ${serverId}.`);
  await deleteConnections(ctx.db, { serverId, subject });
  const [before] = await shown(ctx.db, [row]);
  Object.assign(ctx.audit, { resourceId: `${serverId}/${subject}`, before, ...(why ? { after: { removed: why } } : {}) });
  const tokens = perUser();
  const server = tokens ? await perUserServerOf(ctx.db, ctx.secrets, serverId) : null;
  if (tokens && server) {
    const held = JSON.parse(ctx.secrets.open(row.sealed)) as UpstreamTokens;
    ctx.afterCommit(() => tokens.revokeAtUpstream(server, held));
  }
  return { revoked: true as const, serverId, subject };
}

const Revoked = z.object({ revoked: z.literal(true), serverId: z.string(), subject: z.string() });

/**
 * People's connections to `oauth_per_user` upstream MCP servers. A person connects through the
 * gateway's connect link (`mcp-connections.connect`, a `self` operation the link's callback runs);
 * they see and revoke their own (`mine`, `disconnect`); an admin sees and revokes anyone's.
 * The upstream tokens are sealed and never part of any output or audit entry.
 */
export const mcpConnectionOperations = (perUser: PerUser) =>
  [
    defineOperation({
      name: 'mcp-connections.connect',
      resource: 'mcp-connections',
      action: 'connect',
      summary: 'Record the signed-in person’s connection to an oauth_per_user upstream MCP server (their sealed upstream tokens)',
      permission: 'self',
      input: z.strictObject({
        serverId: Id,
        /** The upstream tokens, already sealed by the secret box. */
        sealedTokens: z.string().min(1).max(100_000),
        scope: z.string().max(1_000),
        expiresAt: z.string().nullable(),
      }),
      output: McpConnection,
      // Served by no surface (a `self` operation); the status is the audit entry's.
      http: { method: 'POST', path: '/mcp-connections', status: 201 },
      handler: async (ctx, input) => {
        const user = await findUserById(ctx.db, ctx.principal.subject);
        if (ctx.principal.kind !== 'user' || !user || user.disabled === 1)
          throw new GatehouseError('GATEHOUSE_FORBIDDEN', 'Only a signed-in user can connect an upstream account.');
        const server = await repos.mcpServers.get(ctx.db, input.serverId);
        if (server?.auth !== 'oauth_per_user') throw new GatehouseError('GATEHOUSE_NOT_FOUND', `No per-user MCP server ${input.serverId}.`);
        const existing = await getConnection(ctx.db, input.serverId, user.id);
        const row: McpConnectionRow = {
          server_id: server.id,
          subject: user.id,
          username: user.username,
          sealed: input.sealedTokens,
          scope: input.scope,
          expires_at: input.expiresAt,
          created_at: ctx.now,
          updated_at: ctx.now,
        };
        await putConnection(ctx.db, row);
        const [after] = await shown(ctx.db, [{ ...row, created_at: existing?.created_at ?? ctx.now }]);
        const before = existing ? (await shown(ctx.db, [existing]))[0] : undefined;
        Object.assign(ctx.audit, { resourceId: `${server.id}/${user.id}`, before, after });
        return after as McpConnection;
      },
    }),
    defineOperation({
      name: 'mcp-connections.list',
      resource: 'mcp-connections',
      action: 'list',
      summary: 'List people’s connections to oauth_per_user upstream MCP servers (who, which server, granted scope, token expiry; never the tokens)',
      permission: 'read',
      input: z.strictObject({ serverId: Id.optional(), subject: Subject.optional() }),
      output: listOf(McpConnection),
      http: { method: 'GET', path: '/mcp-connections' },
      handler: async (ctx, input) => ({ items: await shown(ctx.db, await listConnections(ctx.db, input)), nextCursor: null }),
    }),
    defineOperation({
      name: 'mcp-connections.revoke',
      resource: 'mcp-connections',
      action: 'revoke',
      summary: 'Revoke a person’s connection to an upstream MCP server: their sealed tokens are deleted, and their next call asks them to connect again',
      permission: 'write',
      destructive: true,
      input: z.strictObject({ serverId: Id, subject: Subject }),
      output: Revoked,
      http: { method: 'POST', path: '/mcp-connections/revoke' },
      handler: (ctx, input) => revoke(ctx, perUser, input.serverId, input.subject),
    }),
    defineOperation({
      name: 'mcp-connections.expire',
      resource: 'mcp-connections',
      action: 'expire',
      summary:
        'End a connection whose person no longer reaches its server (disabled, deleted, without a role, or on no published virtual server that composes it)',
      // The gateway's own consequence of another change (run inside it, audited as its own entry); the handler proves it follows.
      permission: 'self',
      destructive: true,
      input: z.strictObject({ serverId: Id, subject: Subject }),
      output: Revoked,
      http: { method: 'POST', path: '/mcp-connections/expire' },
      handler: async (ctx, input) => {
        const reach = await reachOf(ctx.db, input.subject);
        if (reach.servers.has(input.serverId))
          throw new GatehouseError('GATEHOUSE_INVALID_STATE', `${input.subject} still reaches MCP server ${input.serverId}.`);
        return revoke(ctx, perUser, input.serverId, input.subject, reach.lost ?? 'no published virtual server the user may use composes this server any more');
      },
    }),
    defineOperation({
      name: 'mcp-connections.mine',
      resource: 'mcp-connections',
      action: 'mine',
      summary: 'List your own connections to upstream MCP servers',
      permission: 'own',
      input: z.strictObject({}),
      output: listOf(McpConnection),
      http: { method: 'GET', path: '/mcp-connections/mine' },
      handler: async (ctx) => ({ items: await shown(ctx.db, await listConnections(ctx.db, { subject: ctx.principal.subject })), nextCursor: null }),
    }),
    defineOperation({
      name: 'mcp-connections.disconnect',
      resource: 'mcp-connections',
      action: 'disconnect',
      summary: 'Disconnect your own account from an upstream MCP server (its tokens are deleted)',
      permission: 'own',
      destructive: true,
      input: z.strictObject({ serverId: Id }),
      output: Revoked,
      http: { method: 'POST', path: '/mcp-connections/mine/disconnect' },
      handler: (ctx, input) => revoke(ctx, perUser, input.serverId, ctx.principal.subject),
    }),
  ] as const;
