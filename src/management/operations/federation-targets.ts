import type { Kysely } from 'kysely';
import { GatehouseError, type StdioCommand, type StdioLaunch, type UpstreamTarget } from '../../core/index.js';
import { compileBackendAuth, type TokenCache } from '../../gateway/index.js';
import { type PerUserServer, type UserTokens, upstreamTarget } from '../../gateway/federation/index.js';
import type { DB } from '../../store/schema.js';
import type { StoredResource } from '../../store/repositories/resources.js';
import type { SecretBox } from '../../store/secret-box.js';
import { openMaterial } from './backend-credentials.js';
import { openMcpServerHeaders, openOAuthClientSecret, openSealedEnv, SECRET_ENV_FIELDS } from './mcp-servers.js';
import { repos, type StoredMcpServer } from './repos.js';

/**
 * How the gateway calls a stored upstream MCP server: its settings with its credentials opened. An
 * `oauth_per_user` server is called as one person (`forUser`), with their token from `perUser`.
 * `allowPrivateUpstreams` is the deployment's setting, decided with the server's as calls decide it.
 */
export async function upstreamTargetOf(
  db: Kysely<DB>,
  secrets: SecretBox,
  tokens: TokenCache,
  server: StoredResource<StoredMcpServer>,
  perUser: UserTokens | null,
  allowPrivateUpstreams: boolean,
): Promise<UpstreamTarget> {
  const headers = server.auth === 'static' ? await openMcpServerHeaders({ db, secrets }, server.id) : {};
  const dynamicHeaders = server.credentialId === undefined ? undefined : await tokenHeaders(db, secrets, tokens, server);
  const stdio =
    server.transport === 'stdio' && server.stdio
      ? await stdioLaunchOf(db, secrets, server.name, server.stdio, await openSealedEnv({ db, secrets }, server.id))
      : undefined;
  const perUserServer = await perUserServerOf(db, secrets, server);
  return upstreamTarget(server, { headers, dynamicHeaders, stdio, perUserServer }, perUser, allowPrivateUpstreams);
}

/**
 * A stdio server's command with its secret environment opened: its sealed values (`sealedEnv`, given
 * opened) and its backend credentials' secrets (a credential gone or unusable fails every use, naming it).
 */
export async function stdioLaunchOf(
  db: Kysely<DB>,
  secrets: SecretBox,
  name: string,
  stdio: StdioCommand,
  sealedEnv: Readonly<Record<string, string>>,
): Promise<StdioLaunch> {
  const env: Record<string, string> = { ...stdio.env, ...sealedEnv };
  const opened: string[] = Object.values(sealedEnv);
  for (const [variable, ref] of Object.entries(stdio.secretEnv)) {
    const credential = await repos.backendCredentials.get(db, ref.credentialId);
    const field = credential && credential.type in SECRET_ENV_FIELDS ? SECRET_ENV_FIELDS[credential.type as keyof typeof SECRET_ENV_FIELDS] : undefined;
    const value = field && credential ? (await openMaterial({ db, secrets }, credential.id))[field] : undefined;
    if (typeof value !== 'string')
      return Promise.reject(
        new GatehouseError(
          'GATEHOUSE_BACKEND_CREDENTIAL_UNAVAILABLE',
          `The stdio MCP server ${name} needs backend credential ${ref.credentialId} for ${variable}, and it is gone or unusable.`,
        ),
      );
    env[variable] = value;
    opened.push(value);
  }
  return { command: stdio.command, args: stdio.args, ...(stdio.cwd !== undefined ? { cwd: stdio.cwd } : {}), env, secrets: opened };
}

/** An `oauth_per_user` server as its OAuth client needs it (its client secret opened); null for any other server. */
export async function perUserServerOf(db: Kysely<DB>, secrets: SecretBox, server: StoredResource<StoredMcpServer> | string): Promise<PerUserServer | null> {
  const found = typeof server === 'string' ? await repos.mcpServers.get(db, server) : server;
  if (found?.auth !== 'oauth_per_user' || !found.oauth) return null;
  const clientSecret = await openOAuthClientSecret({ db, secrets }, found.id);
  return { id: found.id, name: found.name, url: found.url ?? '', oauth: found.oauth, ...(clientSecret !== undefined ? { clientSecret } : {}) };
}

/**
 * The Authorization header of an `oauth_client_credentials` server: a token of its backend
 * credential, from the shared cache (fetched once for concurrent callers, refreshed before it
 * expires, forgotten when the upstream refuses it).
 */
async function tokenHeaders(
  db: Kysely<DB>,
  secrets: SecretBox,
  tokens: TokenCache,
  server: StoredResource<StoredMcpServer>,
): Promise<UpstreamTarget['dynamicHeaders']> {
  const credential = server.credentialId === undefined ? undefined : await repos.backendCredentials.get(db, server.credentialId);
  const auth = credential ? compileBackendAuth(credential, await openMaterial({ db, secrets }, credential.id)) : null;
  if (auth?.kind !== 'oauth2') {
    return () =>
      Promise.reject(
        new GatehouseError('GATEHOUSE_BACKEND_TOKEN_FAILED', `The upstream MCP server ${server.name} names no usable oauth2_client_credentials credential.`),
      );
  }
  return async () => {
    const token = await tokens.get(auth);
    return { headers: { authorization: `Bearer ${token}` }, refused: () => tokens.invalidate(auth, token) };
  };
}
