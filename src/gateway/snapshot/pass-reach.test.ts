import { describe, expect, it } from 'vitest';
import { passReach } from './pass-reach.js';

const none = { backendSecrets: false, approvals: false, mcpSecrets: false, credentials: false };
const all = { backendSecrets: true, approvals: true, mcpSecrets: true, credentials: true };

describe('what a snapshot pass reads again', () => {
  it('for config kinds that reach no other part: nothing beside their rows', () => {
    expect(passReach(new Set(['policies', 'proxies', 'endpoints', 'collections', 'clients', 'profiles']))).toEqual(none);
  });

  it('for a kind another part is compiled from: that part', () => {
    expect(passReach(new Set(['backend-credentials']))).toEqual({ ...none, backendSecrets: true });
    expect(passReach(new Set(['mcp-servers']))).toEqual({ ...none, mcpSecrets: true });
    // The MCP part's other rows are resources like any other: compared by summaries, no extra read.
    expect(passReach(new Set(['role-bindings', 'virtual-mcps', 'mcp-grants', 'workflows']))).toEqual(none);
    expect(passReach(new Set(['approvals', 'credentials']))).toEqual({ ...none, approvals: true, credentials: true });
  });

  it('for an unknown kind, a resync or changes it could not list: everything', () => {
    expect(passReach(null)).toEqual(all);
    expect(passReach(new Set(['*']))).toEqual(all);
    expect(passReach(new Set(['policies', 'config']))).toEqual(all);
  });
});
