import { describe, expect, it } from 'vitest';
import { bearerToken, metadataUrlFor, protectedResourceMetadata, wwwAuthenticate } from './protected-resource.js';
import { MANAGEMENT_SCOPE } from './scopes.js';

describe('protected resource metadata (RFC 9728)', () => {
  it('builds the document', () => {
    expect(protectedResourceMetadata('https://h/admin/api/v1', ['https://h/oauth'])).toEqual({
      resource: 'https://h/admin/api/v1',
      authorization_servers: ['https://h/oauth'],
      bearer_methods_supported: ['header'],
    });
    expect(protectedResourceMetadata('https://h/mcp', ['https://idp'], ['read'], 'Gatehouse')).toMatchObject({
      scopes_supported: ['read'],
      resource_name: 'Gatehouse',
    });
  });

  it('inserts the well-known segment between host and path', () => {
    expect(metadataUrlFor('https://h/admin/api/v1')).toBe('https://h/.well-known/oauth-protected-resource/admin/api/v1');
    expect(metadataUrlFor('https://h:8443/management/mcp/')).toBe('https://h:8443/.well-known/oauth-protected-resource/management/mcp');
    expect(metadataUrlFor('https://h/')).toBe('https://h/.well-known/oauth-protected-resource');
  });

  it('formats WWW-Authenticate with the metadata URL and an optional error', () => {
    expect(wwwAuthenticate('https://h/admin/api/v1')).toBe('Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/admin/api/v1"');
    expect(wwwAuthenticate('https://h/mcp', { error: 'invalid_token', description: 'The "token" expired', scope: 'a b' })).toBe(
      'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/mcp", error="invalid_token", error_description="The \\"token\\" expired", scope="a b"',
    );
    expect(wwwAuthenticate('https://h/mcp', { description: 'bad\r\nInjected: yes' })).not.toMatch(/[\r\n]/);
  });

  it('names the management scope in the 401 challenge and in the 403 insufficient_scope form', () => {
    expect(wwwAuthenticate('https://h/management/mcp', { scope: MANAGEMENT_SCOPE })).toBe(
      'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/management/mcp", scope="gatehouse:management"',
    );
    expect(wwwAuthenticate('https://h/management/mcp', { error: 'insufficient_scope', scope: MANAGEMENT_SCOPE })).toBe(
      'Bearer resource_metadata="https://h/.well-known/oauth-protected-resource/management/mcp", error="insufficient_scope", scope="gatehouse:management"',
    );
    expect(protectedResourceMetadata('https://h/management/mcp', ['https://h/oauth'], [MANAGEMENT_SCOPE], 'Gatehouse management')).toEqual({
      resource: 'https://h/management/mcp',
      authorization_servers: ['https://h/oauth'],
      bearer_methods_supported: ['header'],
      scopes_supported: ['gatehouse:management'],
      resource_name: 'Gatehouse management',
    });
  });

  it('extracts only well-formed Bearer tokens', () => {
    expect(bearerToken('Bearer abc.def-ghi_jkl')).toBe('abc.def-ghi_jkl');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER abc==')).toBe('abc==');
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('')).toBeNull();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Bearerabc')).toBeNull();
  });
});
