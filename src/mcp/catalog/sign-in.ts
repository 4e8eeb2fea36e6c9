import { GATEWAY_MCP_SCOPE, protectedResourceMetadata, wwwAuthenticate } from '../../identity/index.js';

/** The Gateway MCP as an OAuth protected resource of the built-in authorization server (the pipeline's admit step checks its tokens). */
export interface GatewayMcpOAuth {
  /** This resource's identifier (`…/mcp`): sign-in tokens carry it as audience. */
  resource: string;
  issuer: string;
}

/** The 401 challenge naming where an MCP client learns how to sign in (RFC 9728). */
export function challenge(oauth: GatewayMcpOAuth, error?: 'invalid_token', description?: string): string {
  return wwwAuthenticate(oauth.resource, { scope: GATEWAY_MCP_SCOPE, ...(error ? { error } : {}), ...(description ? { description } : {}) });
}

/** `/.well-known/oauth-protected-resource/mcp`. */
export function metadataOf(oauth: GatewayMcpOAuth) {
  return protectedResourceMetadata(oauth.resource, [oauth.issuer], [GATEWAY_MCP_SCOPE], 'Gatehouse API catalog');
}
