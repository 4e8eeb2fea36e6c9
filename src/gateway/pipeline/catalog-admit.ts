import type { X509Certificate } from 'node:crypto';
import { GatehouseError, stillAdmits } from '../../core/index.js';
import { bearerOf } from '../auth/credential-header.js';
import type { HeaderMap } from '../net/header-map.js';
import type { McpSignIn } from '../snapshot/compile-mcp.js';
import type { GatewayCore } from './core.js';
import { type Identity, identify, identifyAs } from './identify.js';
import type { McpChallenge } from './mcp-admit.js';

/** Verifies a sign-in token of the built-in authorization server for one resource; throws when it is not good for it. */
export interface SignInTokenVerifier {
  verify(token: string, resource: string): Promise<{ kind: string; subject: string; grant?: string }>;
}

/** People sign in to the Gateway MCP as a profile (OAuth) beside header credentials: the issuer, this resource and the verifier of its tokens. */
export interface CatalogSignIn {
  issuer: string;
  resource: string;
  verifier: SignInTokenVerifier;
}

/** The identify step's answer for one request to `/mcp`: the caller (possibly anonymous), or why not with what a 401 challenge adds. */
export type CatalogAdmission =
  | { readonly admitted: true; readonly identity: Identity }
  | { readonly admitted: false; readonly error: GatehouseError; readonly challenge: McpChallenge | null };

/** One request to `/mcp`: its headers, socket peer and TLS client certificate (read only when no sign-in token is presented). */
export interface CatalogAdmitRequest {
  headers: HeaderMap;
  peer: string | null | undefined;
  clientCert: () => X509Certificate | null;
}

/** The admit step the Gateway MCP runs once per HTTP request, before it reads the body. */
export type CatalogAdmit = (request: CatalogAdmitRequest) => Promise<CatalogAdmission>;

/** Whether a bearer token is a JWT this issuer signed (read, not yet verified): then it is a sign-in, not a gateway credential. */
export function issuedBy(token: string, issuer: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  try {
    return (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown }).iss === issuer;
  } catch {
    return false;
  }
}

/** Whether the profile a sign-in acts as still admits its person: taking someone off the profile ends their sign-ins too. */
function stands(identity: Identity, sign: McpSignIn): boolean {
  const profile = identity.profile?.profile;
  if (sign.issuer) return profile !== undefined && stillAdmits(profile, { issuer: sign.issuer, subject: sign.subject, username: sign.username });
  const named = profile?.signInUsers ?? [];
  return !profile?.oidcSignIn && (named.includes(sign.username) || named.includes(sign.subject));
}

/**
 * The caller of a sign-in token: verified for this resource, its grant still standing in the snapshot,
 * and its profile checked like a credential's (client active, address allowed).
 */
async function identifySignedIn(core: GatewayCore, signIn: CatalogSignIn, request: CatalogAdmitRequest, token: string): Promise<Identity> {
  const verified = await signIn.verifier.verify(token, signIn.resource);
  const sign = verified.grant ? core.snapshots.current().mcp.signIns.get(verified.grant) : undefined;
  if (!sign) throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', 'This sign-in has been revoked or names no profile.');
  const identity = identifyAs(core, sign.profileId, request.headers, request.peer);
  if (!stands(identity, sign)) throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', 'The profile this sign-in acts as no longer lets you sign in.');
  return { ...identity, subject: `${verified.kind}:${verified.subject}` };
}

/**
 * Identify for one request to `/mcp`: a token this issuer signed is a sign-in (with `signIn`), anything
 * else is identified like REST. A refusal carries the error and, for a 401, what its challenge adds.
 */
export async function admitCatalog(core: GatewayCore, signIn: CatalogSignIn | null, request: CatalogAdmitRequest): Promise<CatalogAdmission> {
  const token = signIn ? bearerOf(request.headers) : null;
  try {
    const identity =
      signIn && token && issuedBy(token, signIn.issuer)
        ? await identifySignedIn(core, signIn, request, token)
        : await identify(core, request.headers, request.peer, request.clientCert());
    return { admitted: true, identity };
  } catch (err) {
    const error = err instanceof GatehouseError ? err : new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
    const challenge = error.status !== 401 ? null : error.code === 'GATEHOUSE_INVALID_TOKEN' ? { error: 'invalid_token' as const } : {};
    return { admitted: false, error, challenge };
  }
}
