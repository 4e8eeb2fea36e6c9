import { describe, expect, it } from 'vitest';
import { withDefaultScope } from './default-scope.js';

describe('default scope', () => {
  const scopes = new Map([['https://h/management/mcp', 'gatehouse:management']]);

  it('fills in the resource scope, or openid, only when the client sent no scope', () => {
    const mcp = withDefaultScope('?client_id=a&resource=https%3A%2F%2Fh%2Fmanagement%2Fmcp', 'https://h/admin/api/v1', scopes);
    expect(new URLSearchParams(mcp).get('scope')).toBe('gatehouse:management');
    expect(new URLSearchParams(withDefaultScope('?client_id=a&scope=', 'https://h/admin/api/v1', scopes)).get('scope')).toBe('openid');
    expect(new URLSearchParams(withDefaultScope('', 'https://h/management/mcp', scopes)).get('scope')).toBe('gatehouse:management');
    expect(withDefaultScope('?client_id=a&scope=profile', 'https://h/admin/api/v1', scopes)).toBe('?client_id=a&scope=profile');
  });
});
