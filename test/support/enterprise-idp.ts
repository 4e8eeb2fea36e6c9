import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import Provider, { errors, type TokenEndpointGrantContext } from 'oidc-provider';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

/** A person at the company IdP, and the MCP servers (resource URLs) its policy lets them reach. */
export interface EnterpriseUser {
  sub: string;
  email: string;
  resources: string[];
  /** Put into each grant's `groups` claim; change it to change the person's groups at the IdP. */
  groups?: string[];
}

/** The MCP client as registered at the IdP (for SSO and token exchange), and its client id at the MCP server's authorization server. */
export interface EnterpriseClient {
  clientId: string;
  clientSecret: string;
  /** The `client_id` claim of the grants it gets: its id at the resource authorization server. */
  resourceClientId: string;
  /**
   * A gateway chaining to upstreams (outbound Enterprise-Managed Authorization): the issuer of its
   * own authorization server, whose ID-JAGs from this IdP it may exchange (as the subject token)
   * for ones naming an upstream, where the same person's policy allows that upstream.
   */
  chainsFrom?: string;
}

export interface EnterpriseIdp {
  issuer: string;
  /** The ID token the IdP gives `sub` at sign-in to `clientId` (the SSO step; its login page is not what is tested here). */
  idToken(sub: string, clientId: string): Promise<string>;
  /** Signs an ID-JAG with the IdP's own key, header and claims as given (for the refusal cases). */
  signGrant(claims: JWTPayload, typ?: string): Promise<string>;
  /** The same, with a key the IdP never published (a forgery). */
  forgeGrant(claims: JWTPayload): Promise<string>;
  /** The token exchanges the IdP answered, by client: what it was asked for and whether it granted it. */
  exchanges: { clientId: string; subjectTokenType: string; resource: string; granted: boolean }[];
  close(): Promise<void>;
}

/**
 * A stand-in enterprise IdP (Okta, Entra …) for MCP Enterprise-Managed Authorization: a real
 * oidc-provider on a loopback port, publishing discovery and its keys, with RFC 8693 token exchange
 * registered so that a client presenting a person's ID token gets an ID-JAG for an MCP server
 * (`requested_token_type=…:id-jag`), where the IdP's policy (`users[].resources`) allows it.
 */
export async function startEnterpriseIdp(opts: { users: EnterpriseUser[]; clients: EnterpriseClient[]; grantTtl?: number }): Promise<EnterpriseIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const forger = await generateKeyPair('RS256');
  const users = new Map(opts.users.map((u) => [u.sub, u]));
  const clients = new Map(opts.clients.map((c) => [c.clientId, c]));
  const exchanges: EnterpriseIdp['exchanges'] = [];
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'idp-key' }] },
    clients: opts.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: [TOKEN_EXCHANGE],
      redirect_uris: [],
      response_types: [],
    })),
    features: { devInteractions: { enabled: false } },
  });
  const sign = (key: CryptoKey, claims: JWTPayload, typ: string) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-key', typ }).sign(key);

  // §4.3 of the ID-JAG draft: an ID token of one of our clients' users, for an MCP server the policy allows.
  async function exchange(ctx: TokenEndpointGrantContext): Promise<void> {
    const p = ctx.oidc.params as Record<string, string | undefined>;
    const client = ctx.oidc.client ? clients.get(ctx.oidc.client.clientId) : undefined;
    if (!client) throw new errors.InvalidClient('unknown client');
    // A gateway chains from an ID-JAG this IdP issued for its own authorization server; an app exchanges an ID token issued to it.
    const chained = p.subject_token_type === ID_JAG && client.chainsFrom !== undefined;
    if (p.requested_token_type !== ID_JAG || (p.subject_token_type !== ID_TOKEN && !chained))
      throw new errors.InvalidRequest('only ID tokens for ID-JAGs are exchanged');
    if (!p.audience || !p.resource || !p.subject_token) throw new errors.InvalidRequest('audience, resource and subject_token are required');
    const record = { clientId: client.clientId, subjectTokenType: p.subject_token_type ?? '', resource: p.resource, granted: false };
    exchanges.push(record);
    let person: EnterpriseUser | undefined;
    try {
      const { payload } = await jwtVerify(
        p.subject_token,
        publicKey,
        chained ? { issuer, audience: client.chainsFrom, typ: 'oauth-id-jag+jwt' } : { issuer, audience: client.clientId },
      );
      person = users.get(payload.sub ?? '');
    } catch {
      throw new errors.InvalidGrant('the subject token is not a token of this IdP for this client');
    }
    if (!person) throw new errors.InvalidGrant('unknown person');
    if (!person.resources.includes(p.resource)) throw new errors.InvalidGrant('policy: this person may not use this MCP server');
    record.granted = true;
    const now = Math.floor(Date.now() / 1000);
    const ttl = opts.grantTtl ?? 300;
    const grant = await sign(
      privateKey,
      {
        iss: issuer,
        sub: person.sub,
        email: person.email,
        ...(person.groups ? { groups: person.groups } : {}),
        aud: p.audience,
        resource: p.resource,
        client_id: client.resourceClientId,
        jti: randomUUID(),
        iat: now,
        exp: now + ttl,
        ...(p.scope ? { scope: p.scope } : {}),
      },
      'oauth-id-jag+jwt',
    );
    ctx.body = { issued_token_type: ID_JAG, access_token: grant, token_type: 'N_A', expires_in: ttl, ...(p.scope ? { scope: p.scope } : {}) };
  }
  provider.registerGrantType(TOKEN_EXCHANGE, exchange, ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope']);
  server.on('request', provider.callback());

  return {
    issuer,
    async idToken(sub, clientId) {
      const now = Math.floor(Date.now() / 1000);
      const person = users.get(sub);
      return sign(privateKey, { iss: issuer, sub, aud: clientId, email: person?.email, iat: now, exp: now + 300 }, 'JWT');
    },
    signGrant: (claims, typ = 'oauth-id-jag+jwt') => sign(privateKey, claims, typ),
    forgeGrant: (claims) => sign(forger.privateKey, claims, 'oauth-id-jag+jwt'),
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
