/**
 * OAuth 2.1 §3.2.2.1: when a client omits `scope`, the server applies a default or fails; oidc-provider
 * fails (it grants nothing), so the default is filled in before it sees the request: the scope of the
 * requested resource (the management scope for the management MCP), else `openid`.
 */
export function withDefaultScope(query: string, defaultResource: string, resourceScopes: ReadonlyMap<string, string>): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  if ((params.get('scope') ?? '').trim() !== '') return query;
  const resource = params.get('resource') ?? defaultResource;
  params.set('scope', resourceScopes.get(resource) || 'openid');
  return `?${params}`;
}
