import type { Kysely } from 'kysely';
import type { ClientMetadata } from 'oidc-provider';
import type { DB } from '../store/schema.js';
import { ResourceRepository } from '../store/repositories/resources.js';
import { getSecret } from '../store/repositories/secrets.js';
import type { SecretBox } from '../store/secret-box.js';
import { JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from './grant-types.js';

export const CLI_CLIENT_ID = 'gatehouse-cli';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const CONSOLE_CLIENT_ID = 'gatehouse-console';
/** The gateway itself, signing a person in to connect their account at an upstream MCP server (the connect link). */
export const CONNECT_CLIENT_ID = 'gatehouse-connect';
const SERVICE_ACCOUNTS = 'service-accounts';
const serviceAccounts = new ResourceRepository<{ name?: unknown; actForUsers?: unknown }>(SERVICE_ACCOUNTS);

/** Our own apps: they skip the consent page and always get refresh tokens. */
export const FIRST_PARTY_CLIENTS: ReadonlySet<string> = new Set([CLI_CLIENT_ID, CONSOLE_CLIENT_ID, CONNECT_CLIENT_ID]);

/**
 * The static first-party clients; `publicBase` is the gateway's public URL without a trailing slash,
 * `connectRedirectUri` where the connect link's sign-in returns (on the proxy listener's public URL).
 */
export function firstPartyClients(publicBase: string, connectRedirectUri?: string): ClientMetadata[] {
  return [
    ...(connectRedirectUri ? [connectClient(connectRedirectUri)] : []),
    {
      client_id: CLI_CLIENT_ID,
      client_name: 'Gatehouse CLI',
      // RFC 8252: a native client's loopback redirect may use any port; oidc-provider
      // ignores the port when matching http loopback redirect URIs of `native` clients.
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      // RFC 8628 for shells without a browser (`gatehouse login --device`).
      grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
      response_types: ['code'],
    },
    {
      client_id: CONSOLE_CLIENT_ID,
      client_name: 'Gatehouse console',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${publicBase}/console/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ];
}

/** The gateway itself, signing a person in for the connect link: only an ID token is wanted (who signed in), no refresh tokens. */
function connectClient(redirectUri: string): ClientMetadata {
  return {
    client_id: CONNECT_CLIENT_ID,
    client_name: 'Gatehouse (connect an upstream account)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
}

/** Client metadata for a service account, read fresh on every call so a deleted account stops at once. */
export async function serviceAccountClient(
  db: Kysely<DB>,
  secrets: SecretBox,
  id: string,
  opts: { jwtBearer?: boolean } = {},
): Promise<ClientMetadata | undefined> {
  const data = await serviceAccounts.get(db, id);
  if (!data) return undefined;
  const sealed = await getSecret(db, SERVICE_ACCOUNTS, id);
  if (!sealed) return undefined;
  return {
    client_id: id,
    client_secret: secrets.open(sealed),
    ...(typeof data.name === 'string' ? { client_name: data.name } : {}),
    // Token exchange (RFC 8693) only for accounts created with `actForUsers: true`. The JWT bearer
    // grant for every account where the server takes it: an ID-JAG is redeemed only by a client a
    // trusted IdP names (a grant the server does not register would make the metadata invalid).
    grant_types: ['client_credentials', ...(opts.jwtBearer ? [JWT_BEARER_GRANT] : []), ...(data.actForUsers === true ? [TOKEN_EXCHANGE_GRANT] : [])],
    response_types: [],
    redirect_uris: [],
    // oidc-provider accepts both client_secret_basic and client_secret_post for either registration.
    token_endpoint_auth_method: 'client_secret_basic',
  };
}
