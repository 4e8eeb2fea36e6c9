import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_ACTIVE, CREDENTIAL_ROTATED, TokenIndexBuilder } from './token-index.js';
import type { CompiledProfile } from './types.js';

const hex = (token: string) => createHash('sha256').update(token).digest('hex');
const digest = (token: string) => createHash('sha256').update(token).digest().toString('latin1');
const registry = new Map<string, CompiledProfile>();
const profile = (id: string) => {
  const p = { profile: { id } } as unknown as CompiledProfile;
  registry.set(id, p);
  return p;
};
const resolve = (id: string) => registry.get(id);
const entry = (p: CompiledProfile, e: { status: 0 | 1; expiresAt: number; graceUntil: number }) => ({ profileId: p.profile.id, clientId: 'cli', ...e });

describe('token index', () => {
  it('finds every credential after growing past its expected size, and misses others', () => {
    const a = profile('prf_a');
    const b = profile('prf_b');
    const builder = new TokenIndexBuilder<CompiledProfile>(2);
    for (let i = 0; i < 5000; i++)
      builder.add(hex(`t${i}`), (i % 2 ? a : b).profile.id, 'cli', CREDENTIAL_ACTIVE, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    builder.add(hex('rotated'), a.profile.id, 'cli', CREDENTIAL_ROTATED, 10, 20);
    const index = builder.build(resolve);
    expect(index.size).toBe(5001);
    for (let i = 0; i < 5000; i++) expect(index.profile(index.find(digest(`t${i}`)))).toBe(i % 2 ? a : b);
    const r = index.find(digest('rotated'));
    expect([index.status(r), index.expiresAt(r), index.graceUntil(r)]).toEqual([CREDENTIAL_ROTATED, 10, 20]);
    expect(index.find(digest('nope'))).toBe(-1);
    expect(index.find('short')).toBe(-1);
  });

  it('holds no expiry arrays while no credential expires, and the others still never expire once one does', () => {
    const a = profile('prf_a');
    const never = new TokenIndexBuilder<CompiledProfile>(1000);
    for (let i = 0; i < 1000; i++) never.add(hex(`n${i}`), a.profile.id, 'cli', CREDENTIAL_ACTIVE, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    const plain = never.build(resolve);
    const n = plain.find(digest('n7'));
    expect([plain.expiresAt(n), plain.graceUntil(n)]).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    const mixed = new TokenIndexBuilder<CompiledProfile>(1000);
    for (let i = 0; i < 999; i++) mixed.add(hex(`n${i}`), a.profile.id, 'cli', CREDENTIAL_ACTIVE, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    mixed.add(hex('expiring'), a.profile.id, 'cli', CREDENTIAL_ACTIVE, 1_000, Number.POSITIVE_INFINITY);
    const index = mixed.build(resolve);
    // 8 bytes a credential for the expiry times only, none for grace ends.
    expect(index.byteLength - plain.byteLength).toBe(8 * 1000);
    expect(index.expiresAt(index.find(digest('expiring')))).toBe(1_000);
    for (const t of ['n0', 'n500', 'n998']) expect(index.expiresAt(index.find(digest(t)))).toBe(Number.POSITIVE_INFINITY);
    expect(index.graceUntil(index.find(digest('expiring')))).toBe(Number.POSITIVE_INFINITY);
  });

  it('misses a digest that matches a stored one in all but one byte', () => {
    const builder = new TokenIndexBuilder<CompiledProfile>();
    builder.add(hex('stored'), profile('prf_a').profile.id, 'cli', CREDENTIAL_ACTIVE, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    const index = builder.build(resolve);
    for (const at of [4, 17, 31]) {
      const stored = digest('stored');
      const near = stored.slice(0, at) + String.fromCharCode(stored.charCodeAt(at) ^ 1) + stored.slice(at + 1);
      expect(index.find(near)).toBe(-1);
    }
    expect(index.find(digest('stored'))).toBe(0);
  });

  it('keeps the later of two credentials with the same hash and skips malformed hashes', () => {
    const builder = new TokenIndexBuilder<CompiledProfile>();
    builder.add(hex('x'), profile('first').profile.id, 'cli', CREDENTIAL_ACTIVE, 1, 1);
    builder.add(hex('x'), profile('second').profile.id, 'cli', CREDENTIAL_ACTIVE, 2, 2);
    builder.add('zz'.repeat(32), profile('bad').profile.id, 'cli', CREDENTIAL_ACTIVE, 3, 3);
    builder.add('abc', profile('short').profile.id, 'cli', CREDENTIAL_ACTIVE, 3, 3);
    const index = builder.build(resolve);
    expect(index.profile(index.find(digest('x')))?.profile.id).toBe('second');
    expect(index.expiresAt(index.find(digest('x')))).toBe(2);
  });

  it('applies additions, replacements and removals on top of the packed arrays, leaving the original as it was', () => {
    const a = profile('prf_a');
    const b = profile('prf_b');
    const builder = new TokenIndexBuilder<CompiledProfile>();
    for (const t of ['keep', 'revoke', 'rotate'])
      builder.add(hex(t), a.profile.id, 'cli', CREDENTIAL_ACTIVE, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    const base = builder.build(resolve);
    const once = base.withChanges(
      new Map([
        [digest('revoke'), null],
        [digest('rotate'), entry(a, { status: CREDENTIAL_ROTATED, expiresAt: Number.POSITIVE_INFINITY, graceUntil: 50 })],
        [digest('new'), entry(b, { status: CREDENTIAL_ACTIVE, expiresAt: 99, graceUntil: Number.POSITIVE_INFINITY })],
      ]),
      resolve,
    );
    expect(once.find(digest('revoke'))).toBe(-1);
    expect(once.profile(once.find(digest('keep')))).toBe(a);
    const rotated = once.find(digest('rotate'));
    expect([once.status(rotated), once.graceUntil(rotated)]).toEqual([CREDENTIAL_ROTATED, 50]);
    const added = once.find(digest('new'));
    expect([once.profile(added), once.expiresAt(added)]).toEqual([b, 99]);
    expect(once.changed).toBe(3);
    expect(once.generation).not.toBe(base.generation);
    // Changes stack, and a removed token can come back; the base never sees any of it.
    const twice = once.withChanges(
      new Map([
        [digest('new'), null],
        [digest('revoke'), entry(b, { status: CREDENTIAL_ACTIVE, expiresAt: 1, graceUntil: 1 })],
      ]),
      resolve,
    );
    expect(twice.find(digest('new'))).toBe(-1);
    expect(twice.profile(twice.find(digest('revoke')))).toBe(b);
    expect(twice.status(twice.find(digest('rotate')))).toBe(CREDENTIAL_ROTATED);
    expect(base.find(digest('new'))).toBe(-1);
    expect(base.status(base.find(digest('rotate')))).toBe(CREDENTIAL_ACTIVE);
    expect(base.profile(base.find(digest('revoke')))).toBe(a);
  });
});
