import { describe, expect, it } from 'vitest';
import { mergePatch, patchOf } from './patch.js';
import { ProxyInput, ProxyPatch } from './proxy.js';

describe('PATCH semantics', () => {
  const current = ProxyInput.parse({
    collectionId: 'col_1',
    name: 'Orders',
    basePath: '/orders',
    upstreams: ['http://127.0.0.1:9000'],
    timeouts: { connectMs: 1000, responseMs: 5000 },
    captureBodies: { enabled: false, maxBytes: 1000, redactFields: ['password'] },
  });

  it('leaves out what the caller left out, also inside nested objects', () => {
    const patch = ProxyPatch.parse({ captureBodies: { enabled: true }, timeouts: { connectMs: 2000 } });
    expect(patch).toEqual({ captureBodies: { enabled: true }, timeouts: { connectMs: 2000 } });
    const next = ProxyInput.parse(mergePatch(current, patch));
    expect(next.captureBodies).toEqual({ enabled: true, maxBytes: 1000, redactFields: ['password'] });
    expect(next.timeouts).toEqual({ connectMs: 2000, responseMs: 5000 });
    expect(next.name).toBe('Orders');
  });

  it('replaces arrays whole and still rejects unknown or wrongly typed fields', () => {
    const next = mergePatch(current, ProxyPatch.parse({ upstreams: ['http://127.0.0.1:9001'] }));
    expect(next.upstreams).toEqual(['http://127.0.0.1:9001']);
    expect(ProxyPatch.safeParse({ captureBodies: { enabled: 'yes' } }).success).toBe(false);
    expect(ProxyPatch.safeParse({ colour: 'red' }).success).toBe(false);
    expect(patchOf(ProxyInput.omit({ collectionId: true })).safeParse({ timeouts: { connectMs: 0 } }).success).toBe(false);
  });

  it('removes an object the patch sets to null, and leaves an absent one absent', () => {
    const withAccess = { name: 'x', access: { users: ['ann'], groups: [] } };
    expect(mergePatch(withAccess, { access: null })).toEqual({ name: 'x' });
    expect(mergePatch({ name: 'x' }, { access: null })).toEqual({ name: 'x' });
    // A scalar set to null is set to null (its schema decides whether it may be).
    expect(mergePatch({ name: 'x', policyId: 'pol_1' }, { policyId: null })).toEqual({ name: 'x', policyId: null });
  });
});
