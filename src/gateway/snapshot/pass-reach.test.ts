import { describe, expect, it } from 'vitest';
import { passReach } from './pass-reach.js';

const none = { backendSecrets: false, approvals: false, mcp: false, credentials: false };
const all = { backendSecrets: true, approvals: true, mcp: true, credentials: true };

describe('what a snapshot pass reads again', () => {
  it('for config kinds that reach no other part: nothing beside their rows', () => {
    expect(passReach(new Set(['policies', 'proxies', 'endpoints', 'collections', 'clients', 'profiles']))).toEqual(none);
  });

  it('for a kind another part is compiled from: that part', () => {
    expect(passReach(new Set(['backend-credentials']))).toEqual({ ...none, backendSecrets: true, mcp: true });
    expect(passReach(new Set(['role-bindings']))).toEqual({ ...none, mcp: true });
    expect(passReach(new Set(['workflows']))).toEqual({ ...none, mcp: true });
    expect(passReach(new Set(['approvals', 'credentials']))).toEqual({ ...none, approvals: true, credentials: true });
  });

  it('for an unknown kind, a resync or changes it could not list: everything', () => {
    expect(passReach(null)).toEqual(all);
    expect(passReach(new Set(['*']))).toEqual(all);
    expect(passReach(new Set(['policies', 'config']))).toEqual(all);
  });
});
