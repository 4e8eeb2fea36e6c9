import type { Kysely } from 'kysely';
import { errors, type Provider, type TokenEndpointGrantContext } from 'oidc-provider';
import { redeemOnce } from '../store/repositories/id-jag-replays.js';
import type { DB } from '../store/schema.js';
import { JWT_BEARER_GRANT } from './grant-types.js';
import { catalogGrant } from './id-jag-catalog.js';
import { TrustedIssuerKeys } from './id-jag-keys.js';
import { type IdJagIssuer, IdJagRefusal, type IdJagRefusalReason, verifyIdJag } from './id-jag.js';
import type { RecordSignIn } from './mcp-sign-in.js';
import type { ExchangeSubject } from './token-exchange.js';

const PARAMETERS = ['assertion', 'scope', 'resource'];
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A person an ID-JAG named, as handed to the management plane to be matched to a user (and audited). */
export interface IdJagSignIn {
  idpId: string;
  subject: string;
  username: string;
  email?: string;
  resource: string;
  appClientId: string;
  /** The person's groups at the IdP, as the assertion carried them (the management plane keeps the mapped ones). */
  groups: string[];
  ip: string | null;
  requestId: string;
}

/** What became of one redemption: counted by the node's metrics; refusals are audited as failed sign-ins. */
export type IdJagOutcome =
  | { ok: true; idpId: string; clientId: string }
  | { ok: false; reason: IdJagRefusalReason; description: string; idpId: string | null; clientId: string; ip: string | null; requestId: string };

/** How the built-in authorization server takes Identity Assertion JWT Authorization Grants. */
export interface IdJagOptions {
  /** The trusted enterprise IdPs, read fresh (a disabled or deleted one stops at once). */
  issuers(): Promise<readonly IdJagIssuer[]>;
  /** Matches the person to a user, or creates one just in time; throws (a GatehouseError, audited) when refused. */
  admit(signIn: IdJagSignIn): Promise<{ userId: string; username: string }>;
  /** Whether the user, or one of their groups, holds a role on the gateway (a token for the Management MCP needs one). */
  holdsRole(userId: string, groups: readonly string[]): Promise<boolean>;
  onOutcome?(outcome: IdJagOutcome): void;
  /**
   * Keeps a redeemed assertion of an IdP the gateway is a client of (`gatewayCredentialId`), for
   * outbound chaining to upstreams that trust the same IdP; never throws (a failure is logged there).
   */
  keep?(redeemed: { userId: string; idpId: string; assertion: string; expiresAt: Date }): Promise<void>;
  /** Key and discovery URLs over plain http, for IdPs on a loopback address only (tests, local IdPs). */
  allowHttp?: boolean;
}

export interface JwtBearerGrantOptions extends IdJagOptions {
  db: Kysely<DB>;
  issuer: string;
  managementResource: string | undefined;
  /** The Gateway MCP (`/mcp`): its sign-ins are as a consumer profile, recorded through the executor; its grants live this long. */
  gatewayMcp: { resource: string; recordSignIn: RecordSignIn; grantTtl: number } | undefined;
  /** The virtual MCP servers: `prefix` + slug, and whether a person may use one. */
  virtualServers: { resourcePrefix: string; mayUse(user: ExchangeSubject, slug: string): Promise<boolean> } | undefined;
  resourceServer(resource: string): { scope: string; accessTokenFormat: 'jwt'; accessTokenTTL: number; jwt: { sign: { alg: 'ES256' } } };
}

/** The IdP groups of tokens issued here, for the token's claims (`extraTokenClaims` sees the token, not this grant). */
const tokenGroups = new WeakMap<object, string[]>();

/** The IdP groups an access token issued for an ID-JAG carries; undefined for every other token. */
export function idJagGroups(token: object): string[] | undefined {
  return tokenGroups.get(token);
}

type Params = Record<(typeof PARAMETERS)[number], string | string[] | undefined>;

/**
 * RFC 7523 JWT bearer grant with an ID-JAG (MCP Enterprise-Managed Authorization): a client the
 * enterprise IdP issued an assertion for gets an access token for the MCP server the assertion
 * names — no browser, no consent — as the person it names, if that person may use that server.
 * Every refusal is `invalid_grant` (as §7.6.2 asks) whose description names the rule.
 */
export function registerJwtBearerGrant(provider: Provider, opts: JwtBearerGrantOptions): void {
  const keys = new TrustedIssuerKeys({ allowHttp: opts.allowHttp === true });
  const virtualSlug = (resource: string): string | null => {
    const prefix = opts.virtualServers?.resourcePrefix;
    if (!prefix || !resource.startsWith(prefix)) return null;
    const slug = resource.slice(prefix.length);
    return SLUG.test(slug) ? slug : null;
  };
  const isResource = (resource: string) => resource === opts.managementResource || resource === opts.gatewayMcp?.resource || virtualSlug(resource) !== null;

  async function handler(ctx: TokenEndpointGrantContext<Params>): Promise<void> {
    const { params, client } = ctx.oidc;
    if (!client) throw new errors.InvalidClient('client authentication is required');
    const ip = ctx.ip || null;
    const requestId = ctx.get('x-request-id') || '';
    const refuse = (reason: IdJagRefusalReason, description: string, idpId: string | null) => {
      opts.onOutcome?.({ ok: false, reason, description, idpId, clientId: client.clientId, ip, requestId });
      return new errors.CustomOIDCProviderError('invalid_grant', description);
    };
    const assertion = params.assertion;
    if (typeof assertion !== 'string' || !assertion) throw new errors.InvalidRequest('missing required parameter assertion');
    if (Array.isArray(params.scope) || Array.isArray(params.resource)) throw new errors.InvalidRequest('scope and resource may be given once');

    let verified: Awaited<ReturnType<typeof verifyIdJag>>;
    try {
      verified = await verifyIdJag(assertion, {
        audience: opts.issuer,
        clientId: client.clientId,
        isResource,
        issuers: opts.issuers,
        keys: (idp) => keys.keysFor(idp),
      });
      // A resource parameter, if the client sends one, must be the one the IdP bound the assertion to.
      if (params.resource !== undefined && params.resource !== verified.resource) {
        throw new IdJagRefusal('wrong_resource', 'the resource parameter is not the assertion’s resource', verified.idp.id);
      }
      // Last of the checks, so that a refused assertion is not spent; from here it is single use everywhere.
      if (!(await redeemOnce(opts.db, verified.idp.issuer, verified.jti, verified.expiresAt))) {
        throw new IdJagRefusal('replayed', 'the assertion has already been used', verified.idp.id);
      }
    } catch (err) {
      if (err instanceof IdJagRefusal) throw refuse(err.reason, err.message, err.idpId ?? null);
      throw err;
    }

    const { idp, resource } = verified;
    let user: { userId: string; username: string };
    try {
      user = await opts.admit({
        idpId: idp.id,
        subject: verified.subject,
        username: verified.username,
        ...(verified.email ? { email: verified.email } : {}),
        resource,
        appClientId: client.clientId,
        groups: verified.groups,
        ip,
        requestId,
      });
    } catch (err) {
      // Audited by the management plane already; counted here.
      const description = err instanceof Error ? err.message : 'the person was not admitted';
      opts.onOutcome?.({ ok: false, reason: 'no_user', description, idpId: idp.id, clientId: client.clientId, ip, requestId });
      throw new errors.CustomOIDCProviderError('invalid_grant', description);
    }

    const slug = virtualSlug(resource);
    const who: ExchangeSubject = { subject: user.userId, name: user.username, kind: 'user', groups: verified.groups };
    const { AccessToken, Grant, ResourceServer } = ctx.oidc.provider;
    const info = opts.resourceServer(resource);
    // The Gateway MCP admits by profile (its sign-in), not by role; the others by role and access list.
    let catalogGrantId: string | undefined;
    if (resource === opts.gatewayMcp?.resource) {
      const appName = client.clientName ?? client.clientId;
      const signIn = { userId: user.userId, username: user.username, appClientId: client.clientId, appName, idpId: idp.id, ip, requestId };
      try {
        catalogGrantId = await catalogGrant(ctx.oidc.provider, opts.db, opts.gatewayMcp.recordSignIn, signIn, opts.gatewayMcp);
      } catch (err) {
        if (err instanceof IdJagRefusal) throw refuse(err.reason, err.message, idp.id);
        throw err;
      }
    }
    const allowed =
      catalogGrantId !== undefined || (slug !== null ? await opts.virtualServers!.mayUse(who, slug) : await opts.holdsRole(user.userId, verified.groups));
    if (!allowed) {
      const what = slug !== null ? `the virtual MCP server ${slug}` : 'the Management MCP (it needs a role on the gateway)';
      throw refuse('not_allowed', `${user.username} may not use ${what}`, idp.id);
    }

    // §7.2.1: what the client asked for (or, asking nothing, what the assertion carries), never beyond the assertion, and only what the server offers.
    const offered = info.scope.split(' ').filter(Boolean);
    const asked = typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : null;
    const granted = (asked ?? verified.scopes ?? offered).filter((s) => offered.includes(s) && (verified.scopes === null || verified.scopes.includes(s)));
    const scope = [...new Set(granted)].join(' ');

    // A grant as long-lived as the token (the Gateway MCP's is its sign-in's): revoking it, or exchanging the token (RFC 8693), works as for any sign-in.
    const grantId = catalogGrantId ?? (await newGrant(Grant, user.userId, client.clientId, resource, scope, info.accessTokenTTL));
    // No refresh token: the next token takes a new assertion, so the IdP's decision (a group removed, a person disabled) holds at once.
    const token = new AccessToken({
      client,
      accountId: user.userId,
      grantId,
      gty: 'jwt_bearer',
      ...(scope ? { scope } : {}),
      resourceServer: new ResourceServer(resource, info),
      expiresIn: info.accessTokenTTL,
    });
    tokenGroups.set(token, verified.groups);
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    if (idp.gatewayCredentialId) await opts.keep?.({ userId: user.userId, idpId: idp.id, assertion, expiresAt: verified.expiresAt });
    opts.onOutcome?.({ ok: true, idpId: idp.id, clientId: client.clientId });
    ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, ...(scope ? { scope } : {}) };
  }

  provider.registerGrantType(JWT_BEARER_GRANT, handler, PARAMETERS);
}

type GrantClass = TokenEndpointGrantContext['oidc']['provider']['Grant'];

async function newGrant(Grant: GrantClass, accountId: string, clientId: string, resource: string, scope: string, ttl: number): Promise<string> {
  const grant = new Grant({ accountId, clientId });
  // oidc-provider's types omit it, but every token model (a Grant too) takes its own lifetime.
  (grant as unknown as { expiresIn: number }).expiresIn = ttl;
  grant.addResourceScope(resource, scope);
  return grant.save();
}
