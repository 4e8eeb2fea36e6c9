import type { IncomingMessage } from 'node:http';
import { GatehouseError } from '../../core/index.js';
import type { Gateway, Identity } from '../../gateway/index.js';
import { GATEWAY_MCP_SCOPE, protectedResourceMetadata, stillAdmits, type TokenVerifier, wwwAuthenticate } from '../../identity/index.js';

/** The Gateway MCP as an OAuth protected resource of the built-in authorization server. */
export interface GatewayMcpOAuth {
  /** This resource's identifier (`…/mcp`): sign-in tokens carry it as audience. */
  resource: string;
  issuer: string;
  verifier: TokenVerifier;
  /** The profile a sign-in acts as, found by its authorization-server grant; null once revoked. */
  signIn(grantId: string): Promise<{ profileId: string; subject: string; username: string; issuer?: string } | null>;
}

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

/** The 401 challenge naming where an MCP client learns how to sign in (RFC 9728). */
export function challenge(oauth: GatewayMcpOAuth, error?: 'invalid_token', description?: string): string {
  return wwwAuthenticate(oauth.resource, { scope: GATEWAY_MCP_SCOPE, ...(error ? { error } : {}), ...(description ? { description } : {}) });
}

/** `/.well-known/oauth-protected-resource/mcp`. */
export function metadataOf(oauth: GatewayMcpOAuth) {
  return protectedResourceMetadata(oauth.resource, [oauth.issuer], [GATEWAY_MCP_SCOPE], 'Gatehouse API catalog');
}

/**
 * The caller of a sign-in token: verified for this resource, its grant still standing, and its
 * profile checked like a credential's (client active, address allowed). Refusals are 401s.
 */
export async function identifySignedIn(oauth: GatewayMcpOAuth, gateway: Gateway, req: IncomingMessage, token: string): Promise<Identity> {
  const verified = await oauth.verifier.verify(token, oauth.resource);
  const sign = verified.grant ? await oauth.signIn(verified.grant) : null;
  if (!sign) throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', 'This sign-in has been revoked or names no profile.');
  const identity = gateway.identifyAs(sign.profileId, req.headers, req.socket.remoteAddress);
  // The profile must still admit the person: taking someone off it ends their sign-ins too.
  const profile = identity.profile?.profile;
  const named = profile?.signInUsers ?? [];
  const stands = sign.issuer
    ? profile !== undefined && stillAdmits(profile, { issuer: sign.issuer, subject: sign.subject, username: sign.username })
    : !profile?.oidcSignIn && (named.includes(sign.username) || named.includes(sign.subject));
  if (!stands) {
    throw new GatehouseError('GATEHOUSE_INVALID_TOKEN', 'The profile this sign-in acts as no longer lets you sign in.');
  }
  return identity;
}
