import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { GatehouseError } from '../core/errors.js';
import { idpHttp } from './idp-http.js';
import { fetchIssuerMetadata } from './issuer-metadata.js';

export interface VerifiedToken {
  subject: string;
  name: string;
  kind: 'user' | 'service';
  groups: string[];
  clientId?: string;
  scopes: string[];
  audience: string[];
  /** The authorization server grant the token comes from (built-in issuer only): what a Gateway MCP sign-in is found by. */
  grant?: string;
  /** The agent acting for the subject (`act.sub`, RFC 8693 §4.1), on a token from a token exchange. */
  actor?: string;
}

export interface TokenVerifier {
  /** Verifies a bearer token for one resource; throws GatehouseError('GATEHOUSE_INVALID_TOKEN') when it is not good for it. */
  verify(token: string, resource: string): Promise<VerifiedToken>;
}

/** A verifier that also says how long each answer holds: what a cache of its answers may keep (see cachingVerifier). */
export interface ExpiringVerifier extends TokenVerifier {
  /** Like verify, with the token's expiry (`exp`, epoch ms). */
  verifyUntil(token: string, resource: string): Promise<{ verified: VerifiedToken; expiresAt: number }>;
  /** The key set tokens are checked against now: when it changes (a key retired), answers given under the old one no longer hold. */
  keys(): unknown;
}

export interface ExternalIdpConfig {
  issuer: string;
  /** Resource URL → the `aud` the IdP puts in tokens for it; default: the resource URL itself. */
  audiences?: Record<string, string>;
  /** Default `sub`. */
  subjectClaim?: string;
  /** Default `groups`; an array or a space-separated string; a dotted path reaches nested claims. */
  groupsClaim?: string;
  /** Default: `preferred_username`, then `name`, then `email`, then the subject. */
  nameClaim?: string;
  /** Allow an `http:` issuer (tests, local IdPs). */
  allowHttp?: boolean;
}

// Asymmetric only: `none` and HS* would let anyone who knows a shared secret (or nothing) mint tokens.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const CLOCK_TOLERANCE_SECONDS = 30;

/** Verifies tokens from the built-in authorization server against its in-process JWKS. */
export function createLocalVerifier(opts: { issuer: string; jwks: () => JSONWebKeySet; now?: () => number }): ExpiringVerifier {
  let current: JSONWebKeySet | undefined;
  let keys: JWTVerifyGetKey | undefined;
  const getKey: JWTVerifyGetKey = (header, token) => {
    const jwks = opts.jwks();
    if (jwks !== current || !keys) {
      current = jwks;
      keys = createLocalJWKSet(jwks);
    }
    return keys(header, token);
  };
  const verifyUntil = async (token: string, resource: string) => {
    // oidc-provider types access tokens `at+jwt`; requiring it keeps ID tokens out.
    const payload = await verifyJwt(token, getKey, { issuer: opts.issuer, audience: resource, typ: 'at+jwt', now: opts.now });
    const verified: VerifiedToken = {
      ...common(payload, 'sub', 'groups'),
      name: stringClaim(payload, 'name') ?? (payload.sub as string),
      kind: payload.gh_kind === 'service' ? 'service' : 'user',
      ...(stringClaim(payload, 'gh_grant') ? { grant: stringClaim(payload, 'gh_grant') } : {}),
    };
    return { verified, expiresAt: (payload.exp as number) * 1_000 };
  };
  return {
    verifyUntil,
    verify: async (token, resource) => (await verifyUntil(token, resource)).verified,
    keys: () => opts.jwks(),
  };
}

/** Verifies tokens from an external OIDC provider, discovered from its issuer URL. */
export async function createExternalVerifier(opts: ExternalIdpConfig & { now?: () => number }): Promise<ExpiringVerifier> {
  const metadata = await fetchIssuerMetadata(opts.issuer, { allowHttp: opts.allowHttp === true });
  const getKey = createRemoteJWKSet(new URL(metadata.jwks_uri), { [customFetch]: idpHttp.fetch });
  const subjectClaim = opts.subjectClaim ?? 'sub';
  const groupsClaim = opts.groupsClaim ?? 'groups';
  const verifyUntil = async (token: string, resource: string) => {
    const audience = opts.audiences?.[resource] ?? resource;
    const payload = await verifyJwt(token, getKey, { issuer: opts.issuer, audience, subjectClaim, now: opts.now });
    const claims = common(payload, subjectClaim, groupsClaim);
    const verified: VerifiedToken = {
      ...claims,
      name: externalName(payload, opts.nameClaim) ?? claims.subject,
      kind: isServiceToken(payload, claims.subject) ? 'service' : 'user',
    };
    return { verified, expiresAt: (payload.exp as number) * 1_000 };
  };
  return {
    verifyUntil,
    verify: async (token, resource) => (await verifyUntil(token, resource)).verified,
    // The IdP's keys are fetched (and refetched on an unknown key id) by jose; a cache's own lifetime bounds a retired key's reach.
    keys: () => getKey,
  };
}

async function verifyJwt(
  token: string,
  getKey: JWTVerifyGetKey,
  opts: { issuer: string; audience: string; typ?: string; subjectClaim?: string; now?: (() => number) | undefined },
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, getKey, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', opts.subjectClaim ?? 'sub'],
      ...(opts.now ? { currentDate: new Date(opts.now()) } : {}),
      ...(opts.typ ? { typ: opts.typ } : {}),
    });
    return payload;
  } catch (err) {
    throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', reason(err));
  }
}

// A short, safe reason: which check failed, never the token or key material.
function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The bearer token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'The bearer token is not for this resource.';
    if (err.claim === 'iss') return 'The bearer token is from an issuer this gateway does not trust.';
    if (err.claim === 'typ') return 'The bearer token is not an access token.';
    return `The bearer token failed the "${err.claim}" check.`;
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'The bearer token signature is not valid.';
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'The bearer token uses a signing algorithm that is not allowed.';
  if (err instanceof joseErrors.JWKSTimeout) return 'The identity provider keys could not be fetched in time.';
  return 'The bearer token is malformed.';
}

function common(payload: JWTPayload, subjectClaim: string, groupsClaim: string) {
  const subject = stringClaim(payload, subjectClaim);
  if (!subject) throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', 'The bearer token has no subject.');
  const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp');
  const act = payload.act;
  const actor = act && typeof act === 'object' ? stringClaim(act as JWTPayload, 'sub') : undefined;
  return {
    subject,
    ...(actor ? { actor } : {}),
    groups: listClaim(claimAt(payload, groupsClaim)),
    ...(clientId ? { clientId } : {}),
    scopes: listClaim(payload.scope ?? payload.scp),
    audience: listClaim(payload.aud),
  };
}

function externalName(payload: JWTPayload, nameClaim: string | undefined): string | undefined {
  const claims = nameClaim ? [nameClaim] : ['preferred_username', 'name', 'email'];
  for (const claim of claims) {
    const value = stringClaim(payload, claim);
    if (value) return value;
  }
  return undefined;
}

// A token is a service's when it was issued by the client-credentials grant. IdPs say so in
// different ways: an explicit grant-type marker (Auth0 `gty`, Entra `idtyp: app`), or no user at
// all, in which case the subject is the client itself (`sub` = `client_id`/`azp`, as Keycloak,
// Okta and oidc-provider do) and no user-only claims (`preferred_username`, `email`) are present.
function isServiceToken(payload: JWTPayload, subject: string): boolean {
  if (payload.gty === 'client-credentials' || payload.gty === 'client_credentials' || payload.idtyp === 'app') return true;
  const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp');
  const userClaims = ['preferred_username', 'email', 'given_name', 'family_name'].some((c) => payload[c] !== undefined);
  return clientId === subject && !userClaims;
}

// Keycloak-style nested claims (`realm_access.roles`) are reached by a dotted path.
function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let node: unknown = payload;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function stringClaim(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function listClaim(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
