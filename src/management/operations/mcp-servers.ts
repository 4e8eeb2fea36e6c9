import { z } from 'zod';
import { GatehouseError, Id, McpServer, McpServerInput, McpServerPatch, newId } from '../../core/index.js';
import type { StdioSupervisor } from '../../gateway/federation/index.js';
import { deleteConnections } from '../../store/repositories/mcp-connections.js';
import { deleteUpstreamHealth, readUpstreamHealth } from '../../store/repositories/mcp-upstream-health.js';
import { deleteSecret, getSecret, putSecret } from '../../store/repositories/secrets.js';
import { defineOperation, type OperationContext } from '../operation.js';
import { parseOrThrow } from '../validation.js';
import { crudOperations, mustGet, stripStored } from './crud.js';
import { MCP_OAUTH_REGISTRATION } from './mcp-connection-store.js';
import { refuseInUse } from './references.js';
import { repos, type StoredMcpServer } from './repos.js';

/** The owner type of sealed upstream MCP headers in the secrets table. */
export const MCP_SERVER_SECRETS = 'mcp-servers';
/** The owner type of a pre-registered OAuth client secret (`oauth_per_user`) in the secrets table. */
export const MCP_OAUTH_CLIENT_SECRET = 'mcp-server-oauth-client';
/** The owner type of a stdio server's sealed environment values in the secrets table. */
export const MCP_STDIO_SEALED_ENV = 'mcp-server-stdio-env';

const NOUN = 'MCP server';

/** What only admins may do: let the gateway reach one server on internal addresses (it could otherwise be pointed at anything inside the network). */
export const PRIVATE_NETWORK_ADMIN = 'let an MCP server be reached at loopback, private or link-local addresses (allowPrivateNetwork)';

/** Allowing a private network, or moving a server that has it to another URL, is an admin's change. */
function checkPrivateNetwork(ctx: OperationContext, next: McpServerInput, current?: { allowPrivateNetwork?: boolean; url?: string | undefined }): void {
  if (!next.allowPrivateNetwork) return;
  if (current?.allowPrivateNetwork && current.url === next.url) return;
  ctx.requireAdmin(PRIVATE_NETWORK_ADMIN);
}

/** The sealed headers of an upstream MCP server (empty when it has none); only the federation endpoint calls this. */
export async function openMcpServerHeaders(ctx: Pick<OperationContext, 'db' | 'secrets'>, id: string): Promise<Record<string, string>> {
  const sealed = await getSecret(ctx.db, MCP_SERVER_SECRETS, id);
  return sealed === undefined ? {} : (JSON.parse(ctx.secrets.open(sealed)) as Record<string, string>);
}

/** The pre-registered OAuth client secret of an `oauth_per_user` server, opened; undefined when it has none. */
export async function openOAuthClientSecret(ctx: Pick<OperationContext, 'db' | 'secrets'>, id: string): Promise<string | undefined> {
  const sealed = await getSecret(ctx.db, MCP_OAUTH_CLIENT_SECRET, id);
  return sealed === undefined ? undefined : ctx.secrets.open(sealed);
}

/** A stdio server's sealed environment values, opened (empty when it has none); only what starts its child calls this. */
export async function openSealedEnv(ctx: Pick<OperationContext, 'db' | 'secrets'>, id: string): Promise<Record<string, string>> {
  const sealed = await getSecret(ctx.db, MCP_STDIO_SEALED_ENV, id);
  return sealed === undefined ? {} : (JSON.parse(ctx.secrets.open(sealed)) as Record<string, string>);
}

/** The stored form: settings and the names of sealed headers and environment values; the values go to the secrets table. */
function settingsOf(input: McpServerInput): StoredMcpServer {
  const { headers, oauthClientSecret, sealedEnv, ...settings } = input;
  return {
    ...settings,
    headerNames: Object.keys(headers ?? {}).sort(),
    hasOAuthClientSecret: oauthClientSecret !== undefined,
    sealedEnvNames: Object.keys(sealedEnv ?? {}).sort(),
  };
}

async function sealEnv(ctx: OperationContext, id: string, env: Record<string, string> | undefined): Promise<void> {
  if (env && Object.keys(env).length > 0) await putSecret(ctx.db, MCP_STDIO_SEALED_ENV, id, ctx.secrets.seal(JSON.stringify(env)));
  else await deleteSecret(ctx.db, MCP_STDIO_SEALED_ENV, id);
}

async function sealClientSecret(ctx: OperationContext, id: string, secret: string | undefined): Promise<void> {
  if (secret !== undefined) await putSecret(ctx.db, MCP_OAUTH_CLIENT_SECRET, id, ctx.secrets.seal(secret));
  else await deleteSecret(ctx.db, MCP_OAUTH_CLIENT_SECRET, id);
}

/** Forgets everything per-user about a server: people's tokens and the gateway's registration there (they belong to its old URL or client). */
async function forgetPerUser(ctx: OperationContext, id: string): Promise<void> {
  await deleteConnections(ctx.db, { serverId: id });
  await deleteSecret(ctx.db, MCP_OAUTH_REGISTRATION, id);
}

/** An `oauth_client_credentials` server names an existing `oauth2_client_credentials` backend credential. */
async function checkCredential(ctx: OperationContext, input: McpServerInput): Promise<void> {
  if (input.credentialId === undefined) return;
  const credential = await repos.backendCredentials.get(ctx.db, input.credentialId);
  if (!credential) throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `No backend credential with id ${input.credentialId}.`);
  if (credential.type !== 'oauth2_client_credentials') {
    throw new GatehouseError(
      'GATEHOUSE_VALIDATION_FAILED',
      `Backend credential ${credential.name} is ${credential.type}; auth oauth_client_credentials needs an oauth2_client_credentials one.`,
    );
  }
}

/** Backend credential types whose secret can be a stdio child's environment value, and which field that is. */
export const SECRET_ENV_FIELDS = { basic: 'password', api_key: 'value', oauth2_client_credentials: 'clientSecret' } as const;

/**
 * A stdio server runs a program on every node: only admins may register or change one, and only
 * where the node allows stdio upstreams. Its secret environment names usable backend credentials.
 */
async function checkStdio(ctx: OperationContext, stdio: StdioSupervisor | null, input: McpServerInput): Promise<void> {
  if (input.transport !== 'stdio') return;
  if (!stdio?.enabled) throw new GatehouseError('GATEHOUSE_MCP_STDIO_DISABLED');
  ctx.requireAdmin('register or change stdio MCP servers (they run a program on the gateway)');
  for (const [name, ref] of Object.entries(input.stdio?.secretEnv ?? {})) {
    const credential = await repos.backendCredentials.get(ctx.db, ref.credentialId);
    if (!credential) throw new GatehouseError('GATEHOUSE_REFERENCE_NOT_FOUND', `No backend credential with id ${ref.credentialId} (stdio.secretEnv.${name}).`);
    if (!(credential.type in SECRET_ENV_FIELDS)) {
      throw new GatehouseError(
        'GATEHOUSE_VALIDATION_FAILED',
        `Backend credential ${credential.name} is ${credential.type}; stdio.secretEnv takes basic, api_key or oauth2_client_credentials ones.`,
      );
    }
  }
}

/** A read of a server, with this node's child of it when it is a stdio server that ran here. */
function withProcess<T extends { id: string; transport?: string }>(stdio: StdioSupervisor | null, server: T): T {
  const status = server.transport === 'stdio' ? stdio?.status(server.id) : undefined;
  return status ? { ...server, process: status } : server;
}

async function sealHeaders(ctx: OperationContext, id: string, headers: Record<string, string> | undefined): Promise<void> {
  if (headers && Object.keys(headers).length > 0) await putSecret(ctx.db, MCP_SERVER_SECRETS, id, ctx.secrets.seal(JSON.stringify(headers)));
  else await deleteSecret(ctx.db, MCP_SERVER_SECRETS, id);
}

const [crudList, crudGet] = crudOperations({
  resource: 'mcp-servers',
  noun: NOUN,
  idPrefix: 'mcs',
  basePath: '/mcp-servers',
  create: z.never(),
  patch: z.strictObject({}),
  output: McpServer,
  keys: () => ({ key: '' }),
});

/** Reads carry each server's health as the nodes last wrote it (null until one has called it), and this node's child of a stdio server. */
const withHealth = async <T extends McpServer>(ctx: OperationContext, stdio: StdioSupervisor | null, items: T[]) => {
  const health = await readUpstreamHealth(
    ctx.db,
    items.map((i) => i.id),
  );
  return items.map((i) => withProcess(stdio, { ...i, health: health.get(i.id) ?? null }));
};

/** The operations on upstream MCP servers; `stdio` is the node's supervisor of stdio children (null: stdio servers are refused). */
export const mcpServerOperations = (stdio: StdioSupervisor | null) =>
  [
    defineOperation({
      ...crudList!,
      handler: async (ctx, input) => {
        const page = await crudList!.handler(ctx, input, undefined);
        return { ...page, items: await withHealth(ctx, stdio, page.items as McpServer[]) };
      },
    }),
    defineOperation({
      ...crudGet!,
      handler: async (ctx, input) => (await withHealth(ctx, stdio, [(await crudGet!.handler(ctx, input, undefined)) as McpServer]))[0]!,
    }),
    defineOperation({
      name: 'mcp-servers.create',
      resource: 'mcp-servers',
      action: 'create',
      summary:
        'Register an upstream MCP server (Streamable HTTP, or a stdio program the gateway runs: admins only, when the node allows it) for virtual MCP servers; static header values and a stdio server’s sealedEnv values are sealed and never returned',
      permission: 'write',
      input: McpServerInput,
      output: McpServer,
      http: { method: 'POST', path: '/mcp-servers', status: 201 },
      handler: async (ctx, input) => {
        await checkCredential(ctx, input);
        await checkStdio(ctx, stdio, input);
        checkPrivateNetwork(ctx, input);
        const id = newId('mcs');
        const created = await repos.mcpServers.insert(ctx.db, id, settingsOf(input), { key: input.name }, ctx.now);
        await sealHeaders(ctx, id, input.headers);
        await sealClientSecret(ctx, id, input.oauthClientSecret);
        await sealEnv(ctx, id, input.sealedEnv);
        Object.assign(ctx.audit, { resourceId: id, after: created });
        return created;
      },
    }),
    defineOperation({
      name: 'mcp-servers.update',
      resource: 'mcp-servers',
      action: 'update',
      summary: 'Change an upstream MCP server (only the fields given change; headers or sealedEnv given replace the sealed set)',
      permission: 'write',
      input: McpServerPatch.extend({ id: Id }),
      output: McpServer,
      http: { method: 'PATCH', path: '/mcp-servers/{id}' },
      handler: async (ctx, input) => {
        const { id, headers, oauthClientSecret, sealedEnv, ...patch } = input;
        const current = await mustGet(repos.mcpServers, ctx, id, NOUN);
        const { headerNames: _h, hasOAuthClientSecret: _c, sealedEnvNames: _e, ...settings } = stripStored(current);
        const kept = headers === undefined ? await openMcpServerHeaders(ctx, id) : (headers ?? {});
        const keptSecret = oauthClientSecret === undefined ? await openOAuthClientSecret(ctx, id) : (oauthClientSecret ?? undefined);
        const merged: Record<string, unknown> = { ...settings, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        if (Object.keys(kept).length > 0) merged.headers = kept;
        if (keptSecret !== undefined) merged.oauthClientSecret = keptSecret;
        // A server that stops being a program keeps no sealed environment.
        const keptEnv = sealedEnv === undefined ? (merged.transport === 'stdio' ? await openSealedEnv(ctx, id) : {}) : (sealedEnv ?? {});
        if (Object.keys(keptEnv).length > 0) merged.sealedEnv = keptEnv;
        if (merged.credentialId === null) delete merged.credentialId;
        if (merged.oauth === null) delete merged.oauth;
        if (merged.url === null) delete merged.url;
        if (merged.stdio === null) delete merged.stdio;
        const next = parseOrThrow(McpServerInput, merged);
        await checkCredential(ctx, next);
        await checkStdio(ctx, stdio, next);
        checkPrivateNetwork(ctx, next, current);
        const updated = await repos.mcpServers.update(ctx.db, current, settingsOf(next), { key: next.name }, ctx.now);
        if (headers !== undefined || next.auth === 'none') await sealHeaders(ctx, id, next.headers);
        await sealClientSecret(ctx, id, next.oauthClientSecret);
        await sealEnv(ctx, id, next.sealedEnv);
        // Tokens are for the old URL, the old authorization server or the old client: people connect again.
        if (next.auth !== 'oauth_per_user' || next.url !== current.url || JSON.stringify(next.oauth) !== JSON.stringify(current.oauth))
          await forgetPerUser(ctx, id);
        Object.assign(ctx.audit, { resourceId: id, before: current, after: updated });
        return updated;
      },
    }),
    defineOperation({
      name: 'mcp-servers.delete',
      resource: 'mcp-servers',
      action: 'delete',
      summary: 'Delete an upstream MCP server no virtual MCP server composes',
      permission: 'write',
      destructive: true,
      input: z.strictObject({ id: Id }),
      output: z.object({ deleted: z.literal(true), id: Id }),
      http: { method: 'DELETE', path: '/mcp-servers/{id}' },
      handler: async (ctx, input) => {
        const current = await mustGet(repos.mcpServers, ctx, input.id, NOUN);
        refuseInUse('virtual-mcps', (await repos.virtualMcps.all(ctx.db)).filter((v) => v.upstreamIds.includes(current.id)).length);
        await deleteSecret(ctx.db, MCP_SERVER_SECRETS, current.id);
        await deleteSecret(ctx.db, MCP_OAUTH_CLIENT_SECRET, current.id);
        await deleteSecret(ctx.db, MCP_STDIO_SEALED_ENV, current.id);
        await forgetPerUser(ctx, current.id);
        await repos.mcpServers.delete(ctx.db, current.id);
        await deleteUpstreamHealth(ctx.db, current.id);
        Object.assign(ctx.audit, { resourceId: current.id, before: current });
        return { deleted: true as const, id: current.id };
      },
    }),
  ] as const;
