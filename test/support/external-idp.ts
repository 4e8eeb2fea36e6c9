import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import Provider, { type ClientMetadata } from 'oidc-provider';
import { tokenRequest } from './oauth.js';

/** A client of the stand-in company IdP: client-credentials only, with the groups its tokens carry. */
export interface IdpClient {
  clientId: string;
  clientSecret: string;
  groups: string[];
}

/** A person at the stand-in IdP: signs in on its login page (any password) with these groups. */
export interface IdpUser {
  login: string;
  groups: string[];
}

/** A browser client at the stand-in IdP (authorization code + PKCE, refresh tokens): public, or confidential with a secret. */
export interface IdpWebClient {
  clientId: string;
  redirectUri: string;
  /** More redirect URIs (e.g. a second gateway's). */
  moreRedirectUris?: string[];
  clientSecret?: string;
}

export interface ExternalIdp {
  /** The IdP's issuer, e.g. http://127.0.0.1:1234 */
  issuer: string;
  /** A client-credentials JWT access token whose audience is `resource` (RFC 8707). */
  token(clientId: string, resource: string): Promise<string>;
  /** Signs a JWT with the IdP's own key (as its ID tokens are). */
  sign(claims: JWTPayload): Promise<string>;
  /** From now on, the ID token of each token response is replaced by what `tamper` makes of its claims (undefined: stop). */
  tamperIdTokens(tamper: ((claims: JWTPayload) => Promise<string>) | undefined): void;
  close(): Promise<void>;
}

/**
 * A stand-in for a company IdP (Keycloak, Okta, Entra, …): a separate oidc-provider on its own
 * loopback port with its own signing key, issuing JWT access tokens for any http(s) resource
 * indicator, with the client's groups in `groupsClaim`.
 */
export async function startExternalIdp(opts: {
  clients: IdpClient[];
  groupsClaim?: string;
  users?: IdpUser[];
  webClients?: IdpWebClient[];
}): Promise<ExternalIdp> {
  const groupsClaim = opts.groupsClaim ?? 'groups';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const secrets = new Map(opts.clients.map((c) => [c.clientId, c.clientSecret]));
  const groups = new Map(opts.clients.map((c) => [c.clientId, c.groups]));
  const userGroups = new Map((opts.users ?? []).map((u) => [u.login, u.groups]));
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'idp-key' }] },
    clients: [
      ...opts.clients.map(
        (c): ClientMetadata => ({
          client_id: c.clientId,
          client_secret: c.clientSecret,
          grant_types: ['client_credentials'],
          redirect_uris: [],
          response_types: [],
        }),
      ),
      ...(opts.webClients ?? []).map(
        (c): ClientMetadata => ({
          client_id: c.clientId,
          ...(c.clientSecret ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
          grant_types: ['authorization_code', 'refresh_token'],
          redirect_uris: [c.redirectUri, ...(c.moreRedirectUris ?? [])],
          response_types: ['code'],
        }),
      ),
    ],
    // Users sign in on oidc-provider's development login page (any password); their tokens carry
    // a username and their groups, as Keycloak's and Okta's do, and so do their ID tokens.
    findAccount: (_ctx, sub) =>
      userGroups.has(sub) ? { accountId: sub, claims: () => ({ sub, preferred_username: sub, [groupsClaim]: userGroups.get(sub) ?? [] }) } : undefined,
    claims: { openid: ['sub'], profile: ['preferred_username', groupsClaim] },
    conformIdTokenClaims: false,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // A browser client may call the token endpoint from its redirect URI's origin only.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: {
      devInteractions: { enabled: (opts.users ?? []).length > 0 },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'read write',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
        }),
      },
    },
    extraTokenClaims: (ctx, token) => {
      const account = 'accountId' in token ? token.accountId : undefined;
      if (account) return { preferred_username: account, [groupsClaim]: userGroups.get(account) ?? [] };
      return { [groupsClaim]: groups.get(ctx.oidc.client?.clientId ?? '') ?? [] };
    },
  });
  const callback = provider.callback();
  let tamper: ((claims: JWTPayload) => Promise<string>) | undefined;
  server.on('request', (req, res) => {
    if (tamper && req.method === 'POST' && req.url?.startsWith('/token')) rewriteIdToken(res, tamper);
    callback(req, res);
  });
  const sign = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-key' }).sign(privateKey);
  return {
    issuer,
    sign,
    tamperIdTokens: (fn) => {
      tamper = fn;
    },
    async token(clientId, resource) {
      const clientSecret = secrets.get(clientId);
      if (!clientSecret) throw new Error(`unknown IdP client ${clientId}`);
      const { status, body } = await tokenRequest(issuer, { grant_type: 'client_credentials', resource, scope: 'read' }, { clientId, clientSecret });
      if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`IdP token request failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The token response is JSON written in one end() call: its ID token is swapped before it leaves.
function rewriteIdToken(res: import('node:http').ServerResponse, tamper: (claims: JWTPayload) => Promise<string>): void {
  const end = res.end.bind(res) as (chunk?: unknown) => void;
  (res as { end: unknown }).end = (chunk?: unknown) => {
    void (async () => {
      const body = JSON.parse(Buffer.from(chunk as string | Buffer).toString('utf8')) as Record<string, unknown>;
      if (typeof body.id_token === 'string') {
        body.id_token = await tamper(JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString('utf8')) as JWTPayload);
      }
      const out = JSON.stringify(body);
      res.setHeader('content-length', Buffer.byteLength(out));
      end(out);
    })();
    return res;
  };
}
