import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import { errors, type Provider, type TokenEndpointGrantContext } from 'oidc-provider';
import type { DB } from '../store/schema.js';
import { findUserById } from '../store/repositories/users.js';
import { TOKEN_EXCHANGE_GRANT } from './grant-types.js';

/** RFC 8693 §3: the only token type exchanged here, in and out. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Lifetime of an exchanged token: an agent exchanges again for each burst of work. */
export const EXCHANGED_TOKEN_TTL = 5 * 60;
const PARAMETERS = ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'resource', 'audience', 'scope'];
const ALGORITHMS = ['ES256', 'RS256'];

/** The user a subject token names, as the exchange policy sees them. */
export interface ExchangeSubject {
  subject: string;
  name: string;
  kind: 'user';
  groups: string[];
}

export interface TokenExchangeOptions {
  db: Kysely<DB>;
  issuer: string;
  jwks: JSONWebKeySet;
  /** Exchanged tokens are only for resources under this prefix plus one slug (the virtual MCP servers). */
  resourcePrefix: string;
  /** Whether the user may use the virtual server `slug` (published, a role on the gateway, on its access list). */
  mayUse(user: ExchangeSubject, slug: string): Promise<boolean>;
  /** The resource-server settings tokens for `resource` are issued with. */
  resourceServer(resource: string): { scope: string; accessTokenFormat: 'jwt'; accessTokenTTL: number; jwt: { sign: { alg: 'ES256' } } };
}

type Params = Record<(typeof PARAMETERS)[number], string | string[] | undefined>;

function refuse(error: 'invalid_grant' | 'invalid_request' | 'invalid_target' | 'invalid_scope', description: string): Error {
  return new errors.CustomOIDCProviderError(error, description);
}

/**
 * RFC 8693 token exchange for agents: a client allowed the grant presents a user's access token
 * (`subject_token`) and gets a short-lived access token for one virtual MCP server, `sub` the user
 * and `act` the agent (§4.1). Only virtual servers the user may use, never an admin audience, and
 * never more scope than the subject token carries.
 */
export function registerTokenExchange(provider: Provider, opts: TokenExchangeOptions): void {
  const keys = createLocalJWKSet(opts.jwks);
  const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

  async function subjectOf(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: opts.issuer, typ: 'at+jwt', algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub', 'aud'] });
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw refuse('invalid_grant', 'the subject token has expired');
      throw refuse('invalid_grant', 'the subject token is not an access token of this authorization server');
    }
  }

  async function handler(ctx: TokenEndpointGrantContext<Params>): Promise<void> {
    const { params, client } = ctx.oidc;
    const one = (name: keyof Params): string | undefined => {
      const value = params[name];
      if (Array.isArray(value)) throw refuse(name === 'resource' ? 'invalid_target' : 'invalid_request', `only one ${name} may be given`);
      return value || undefined;
    };
    const subjectToken = one('subject_token');
    if (!subjectToken) throw refuse('invalid_request', 'missing required parameter subject_token');
    if (one('subject_token_type') !== ACCESS_TOKEN_TYPE) throw refuse('invalid_request', `subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
    if (one('actor_token') !== undefined) throw refuse('invalid_request', 'actor_token is not supported: the authenticated client is the actor');
    const requested = one('requested_token_type');
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) throw refuse('invalid_request', `requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
    const resource = one('resource') ?? one('audience');
    const audience = one('audience');
    if (!resource) throw refuse('invalid_target', 'a resource (a virtual MCP server URL) is required');
    if (audience !== undefined && audience !== resource) throw refuse('invalid_target', 'audience and resource must name the same virtual MCP server');
    const slug = resource.startsWith(opts.resourcePrefix) ? resource.slice(opts.resourcePrefix.length) : '';
    if (!slugPattern.test(slug)) throw refuse('invalid_target', 'tokens can only be exchanged for a virtual MCP server (…/mcp/v/{slug})');

    const subject = await subjectOf(subjectToken);
    if (subject.gh_kind !== 'user') throw refuse('invalid_grant', 'the subject token must be a user’s');
    if (subject.act !== undefined) throw refuse('invalid_grant', 'an exchanged token cannot be exchanged again');
    // A person's access token names its grant; revoking the sign-in (its refresh token) destroys the grant.
    const grantId = typeof subject.gh_grant === 'string' ? subject.gh_grant : '';
    const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (!grant || grant.accountId !== subject.sub) throw refuse('invalid_grant', 'the subject token’s sign-in has been revoked');
    const user = await findUserById(opts.db, subject.sub as string);
    if (!user || user.disabled === 1) throw refuse('invalid_grant', 'the subject token’s user is disabled or gone');

    const held = new Set(typeof subject.scope === 'string' ? subject.scope.split(' ') : []);
    const asked = (one('scope') ?? '').split(' ').filter(Boolean);
    const beyond = asked.filter((s) => !held.has(s));
    if (beyond.length > 0) throw refuse('invalid_scope', `the subject token does not carry ${beyond.join(' ')}`);
    const info = opts.resourceServer(resource);
    const offered = new Set(info.scope.split(' '));
    const scope = asked.filter((s) => offered.has(s)).join(' ');

    const who: ExchangeSubject = { subject: user.id, name: user.username, kind: 'user', groups: [] };
    if (!(await opts.mayUse(who, slug))) throw refuse('invalid_target', `the user may not use the virtual MCP server ${slug}`);

    const remaining = typeof subject.exp === 'number' ? subject.exp - Math.floor(Date.now() / 1000) : 0;
    const { AccessToken, ResourceServer } = ctx.oidc.provider;
    const token = new AccessToken({
      client,
      accountId: user.id,
      grantId,
      gty: 'token_exchange',
      ...(scope ? { scope } : {}),
      resourceServer: new ResourceServer(resource, info),
      // Never outlives the token it was exchanged for.
      expiresIn: Math.max(1, Math.min(EXCHANGED_TOKEN_TTL, remaining)),
    });
    ctx.oidc.entity('AccessToken', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: token.expiration,
      ...(scope ? { scope } : {}),
    };
  }

  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, handler, PARAMETERS);
}

/** The `act` claim of a token issued by token exchange (RFC 8693 §4.1): the agent acting for the user. */
export function actorClaim(grantType: unknown, clientId: string | undefined): { act: { sub: string } } | Record<string, never> {
  return grantType === TOKEN_EXCHANGE_GRANT && clientId ? { act: { sub: clientId } } : {};
}
