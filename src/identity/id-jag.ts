import { decodeJwt, decodeProtectedHeader, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** The JOSE `typ` of an ID-JAG (draft-ietf-oauth-identity-assertion-authz-grant §3.1). */
export const ID_JAG_TYP = 'oauth-id-jag+jwt';
/** Asymmetric algorithms only: an IdP's shared secret would let anyone holding it mint grants, and `none` is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clock skew allowed between the IdP and us. */
export const CLOCK_SKEW_S = 30;
/** The longest an ID-JAG may live (`exp - iat`): they are meant to be redeemed at once. */
export const MAX_LIFETIME_S = 10 * 60;

/** Why an assertion was refused, as the metrics and the audit count it. */
export type IdJagRefusalReason =
  | 'malformed'
  | 'wrong_typ'
  | 'untrusted_issuer'
  | 'bad_signature'
  | 'keys_unavailable'
  | 'expired'
  | 'lifetime'
  | 'wrong_audience'
  | 'wrong_resource'
  | 'client_mismatch'
  | 'client_not_allowed'
  | 'replayed'
  | 'no_user'
  | 'not_allowed';

/** A refused assertion: `invalid_grant` (RFC 6749 §5.2) with a description that says which rule. */
export class IdJagRefusal extends Error {
  constructor(
    readonly reason: IdJagRefusalReason,
    message: string,
    /** The trusted IdP that issued it, once known. */
    readonly idpId?: string,
  ) {
    super(message);
  }
}

/** The part of a trusted IdP the verification needs. */
export interface IdJagIssuer {
  id: string;
  issuer: string;
  jwksUri?: string | undefined;
  allowedClientIds: readonly string[];
  usernameClaim: string;
  groupsClaim?: string | undefined;
  enabled: boolean;
  /** Set when the gateway is a client of this IdP too: its assertions are kept to chain from to upstreams. */
  gatewayCredentialId?: string | undefined;
}

/** A verified ID-JAG: who it names and what for. */
export interface VerifiedIdJag {
  idp: IdJagIssuer;
  claims: JWTPayload;
  jti: string;
  subject: string;
  username: string;
  email?: string;
  resource: string;
  /** The person's groups at the IdP (its `groupsClaim`), bounded; empty when it names none. */
  groups: string[];
  /** `scope` claim values; null when the assertion carries none. */
  scopes: string[] | null;
  expiresAt: Date;
}

export interface VerifyIdJagOptions {
  /** This authorization server's issuer: the assertion's `aud`. */
  audience: string;
  /** The client that authenticated at the token endpoint. */
  clientId: string;
  /** Whether `resource` is one of the MCP resources this server issues tokens for. */
  isResource(resource: string): boolean;
  issuers(): Promise<readonly IdJagIssuer[]>;
  keys(idp: IdJagIssuer): Promise<JWTVerifyGetKey>;
  now?: () => number;
}

/**
 * Verifies an ID-JAG per MCP Enterprise-Managed Authorization §5 and §7: the header's `typ`, a
 * trusted and enabled issuer, its signature with that issuer's keys (asymmetric algorithms only),
 * `aud` this server, `resource` one of our MCP resources, `client_id` the authenticated client and
 * one the IdP is allowed to name, `exp`/`iat` in bounds and a `jti`. Replay is the caller's (it
 * needs the store).
 */
export async function verifyIdJag(assertion: string, opts: VerifyIdJagOptions): Promise<VerifiedIdJag> {
  let unverifiedIssuer: unknown;
  try {
    const header = decodeProtectedHeader(assertion);
    if (header.typ?.toLowerCase() !== ID_JAG_TYP) throw new IdJagRefusal('wrong_typ', `the assertion's typ must be ${ID_JAG_TYP}`);
    unverifiedIssuer = decodeJwt(assertion).iss;
  } catch (err) {
    if (err instanceof IdJagRefusal) throw err;
    throw new IdJagRefusal('malformed', 'the assertion is not a JWT');
  }
  // Only to pick the keys: nothing of the payload is believed until its signature is checked.
  const idp = (await opts.issuers()).find((i) => i.issuer === unverifiedIssuer);
  if (!idp?.enabled) throw new IdJagRefusal('untrusted_issuer', 'the assertion’s issuer is not a trusted identity provider');
  const nowS = Math.floor((opts.now?.() ?? Date.now()) / 1000);
  let keys: JWTVerifyGetKey;
  try {
    keys = await opts.keys(idp);
  } catch {
    // The IdP (or its discovery document) is down or answers nonsense: not the client's fault, but no token either.
    throw new IdJagRefusal('keys_unavailable', 'the identity provider’s signing keys could not be fetched; try again later', idp.id);
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(assertion, keys, {
      issuer: idp.issuer,
      typ: ID_JAG_TYP,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_SKEW_S,
      currentDate: new Date(nowS * 1000),
      requiredClaims: ['exp', 'iat', 'jti', 'sub', 'aud', 'client_id'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new IdJagRefusal('expired', 'the assertion has expired', idp.id);
    if (err instanceof joseErrors.JWTClaimValidationFailed)
      throw new IdJagRefusal('malformed', `the assertion's ${err.claim} claim is missing or invalid`, idp.id);
    throw new IdJagRefusal('bad_signature', 'the assertion’s signature does not verify with the identity provider’s keys', idp.id);
  }
  const exp = claims.exp as number;
  const iat = claims.iat as number;
  if (iat > nowS + CLOCK_SKEW_S) throw new IdJagRefusal('lifetime', 'the assertion was issued in the future', idp.id);
  if (exp - iat > MAX_LIFETIME_S) throw new IdJagRefusal('lifetime', `the assertion lives longer than ${MAX_LIFETIME_S} s`, idp.id);
  // jose checked `aud` against nothing (an audience option would accept any of several); exactly us, and only us.
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (aud.length !== 1 || aud[0] !== opts.audience) throw new IdJagRefusal('wrong_audience', 'the assertion’s aud is not this authorization server', idp.id);
  const resource = claims.resource;
  if (typeof resource !== 'string' || !opts.isResource(resource)) {
    throw new IdJagRefusal('wrong_resource', 'the assertion’s resource is not an MCP server of this authorization server', idp.id);
  }
  if (claims.client_id !== opts.clientId) throw new IdJagRefusal('client_mismatch', 'the assertion was issued for another client', idp.id);
  if (!idp.allowedClientIds.includes(opts.clientId)) {
    throw new IdJagRefusal('client_not_allowed', 'this client is not allowed to redeem assertions of this identity provider', idp.id);
  }
  const jti = claims.jti as string;
  const username = claims[idp.usernameClaim];
  if (typeof username !== 'string' || username.length === 0) {
    throw new IdJagRefusal('no_user', `the assertion has no ${idp.usernameClaim} claim to name the person by`, idp.id);
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : null;
  return {
    idp,
    claims,
    jti,
    subject: claims.sub as string,
    username,
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    resource,
    groups: groupsOf(claims, idp.groupsClaim),
    scopes,
    expiresAt: new Date(exp * 1000),
  };
}

/** At most this many groups, each at most 200 characters, reach a token: an IdP's claim is input like any other. */
const MAX_GROUPS = 100;

function groupsOf(claims: JWTPayload, claim: string | undefined): string[] {
  const value = claim ? claims[claim] : undefined;
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return [...new Set(list.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 200))].slice(0, MAX_GROUPS);
}
