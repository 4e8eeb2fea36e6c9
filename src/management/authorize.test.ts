import { describe, expect, it } from 'vitest';
import { decide, type Grant } from './authorize.js';

const admin: Grant = { role: 'admin', scope: {} };
const viewer: Grant = { role: 'viewer', scope: {} };
const modifier: Grant = { role: 'modifier', scope: {} };
const proxiesOnly: Grant = { role: 'modifier', scope: { resourceTypes: ['proxies'] } };
const inCollections = (...ids: string[]): Grant => ({ role: 'modifier', scope: { collectionIds: ids } });

const collectionsOf = (d: ReturnType<typeof decide>) => (d.allowed ? (d.collections === 'all' ? 'all' : [...d.collections].sort()) : d.reason);

describe('decide: what a role allows, before any handler runs', () => {
  it('a person’s own sign-in needs no role; everything else needs one', () => {
    expect(decide([], { permission: 'self', resource: 'users' }).allowed).toBe(true);
    expect(decide([], { permission: 'read', resource: 'proxies' })).toEqual({ allowed: false, reason: 'You have no role on this gateway.' });
    expect(decide([viewer], { permission: 'own', resource: 'mcp-grants' }).allowed).toBe(true);
  });

  it('every role reads, but how the gateway reaches upstreams only where the role reaches that type', () => {
    expect(decide([viewer], { permission: 'read', resource: 'proxies' }).allowed).toBe(true);
    expect(decide([viewer], { permission: 'read', resource: 'backend-credentials' }).allowed).toBe(true);
    expect(decide([proxiesOnly], { permission: 'read', resource: 'backend-credentials' })).toEqual({
      allowed: false,
      reason: 'Your role does not reach backend-credentials.',
    });
    expect(decide([proxiesOnly, admin], { permission: 'read', resource: 'mcp-servers' }).allowed).toBe(true);
  });

  it('viewers write nothing; modifiers write what their scope names; only admins manage access', () => {
    expect(decide([viewer], { permission: 'write', resource: 'proxies' })).toEqual({ allowed: false, reason: 'Your role does not allow writing proxies.' });
    expect(collectionsOf(decide([modifier], { permission: 'write', resource: 'policies' }))).toBe('all');
    expect(decide([proxiesOnly], { permission: 'write', resource: 'policies' }).allowed).toBe(false);
    for (const resource of ['users', 'role-bindings', 'service-accounts'] as const) {
      expect(decide([modifier], { permission: 'write', resource })).toEqual({ allowed: false, reason: 'Only admins manage access.' });
      expect(decide([admin], { permission: 'write', resource }).allowed).toBe(true);
    }
    expect(decide([modifier], { permission: 'admin', resource: 'proxies' }).allowed).toBe(false);
  });

  it('a modifier limited to collections writes only what lives in a collection, in those collections', () => {
    expect(collectionsOf(decide([inCollections('c1', 'c2')], { permission: 'write', resource: 'endpoints' }))).toEqual(['c1', 'c2']);
    expect(decide([inCollections('c1')], { permission: 'write', resource: 'policies' })).toEqual({
      allowed: false,
      reason: 'Your role is limited to some collections; policies are not inside a collection.',
    });
    // Two bindings add up; one without a collection limit lifts it.
    expect(collectionsOf(decide([inCollections('c1'), inCollections('c3')], { permission: 'write', resource: 'proxies' }))).toEqual(['c1', 'c3']);
    expect(collectionsOf(decide([inCollections('c1'), modifier], { permission: 'write', resource: 'proxies' }))).toBe('all');
  });

  it('an operation that also writes other types is allowed only where every type is', () => {
    const both = { permission: 'write' as const, resource: 'proxies' as const, alsoWrites: ['endpoints' as const] };
    const narrow: Grant = { role: 'modifier', scope: { resourceTypes: ['proxies', 'endpoints'], collectionIds: ['c1', 'c2'] } };
    const wider: Grant = { role: 'modifier', scope: { resourceTypes: ['endpoints'] } };
    expect(collectionsOf(decide([narrow], both))).toEqual(['c1', 'c2']);
    expect(collectionsOf(decide([narrow, wider], both))).toEqual(['c1', 'c2']);
    expect(decide([proxiesOnly], both)).toEqual({ allowed: false, reason: 'Your role does not allow writing endpoints.' });
  });
});
