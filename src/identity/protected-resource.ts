export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: ['header'];
  scopes_supported?: string[];
  resource_name?: string;
}

/** The RFC 9728 metadata document for a protected resource. */
export function protectedResourceMetadata(
  resource: string,
  authorizationServers: string[],
  scopes?: string[],
  resourceName?: string,
): ProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: authorizationServers,
    bearer_methods_supported: ['header'],
    ...(scopes?.length ? { scopes_supported: scopes } : {}),
    ...(resourceName ? { resource_name: resourceName } : {}),
  };
}

/** Where a resource's metadata lives (RFC 9728 §3.1): `https://h/admin/api/v1` → `https://h/.well-known/oauth-protected-resource/admin/api/v1`. */
export function metadataUrlFor(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-protected-resource${path}${url.search}`;
}

/** The `WWW-Authenticate` value for a 401/403 at a protected resource (RFC 6750 + RFC 9728 §5.1). */
export function wwwAuthenticate(resource: string, opts: { error?: 'invalid_token' | 'insufficient_scope'; description?: string; scope?: string } = {}): string {
  const params: string[] = [`resource_metadata="${quoted(metadataUrlFor(resource))}"`];
  if (opts.error) params.push(`error="${opts.error}"`);
  if (opts.description) params.push(`error_description="${quoted(opts.description)}"`);
  if (opts.scope) params.push(`scope="${quoted(opts.scope)}"`);
  return `Bearer ${params.join(', ')}`;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(authorizationHeader: string | undefined): string | null {
  if (!authorizationHeader) return null;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorizationHeader);
  return match?.[1] ?? null;
}

// RFC 7230 quoted-string: escape backslash and quote, and drop characters a header cannot carry.
function quoted(value: string): string {
  return value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, '');
}
