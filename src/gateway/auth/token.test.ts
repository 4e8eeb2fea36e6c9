import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { CREDENTIAL_ACTIVE, CREDENTIAL_ROTATED, TokenIndexBuilder } from '../snapshot/token-index.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import { authenticateToken, TokenMemo } from './token.js';

const hex = (token: string) => createHash('sha256').update(token).digest('hex');
const profile = (id: string) => ({ profile: { id, authType: 'token' } }) as unknown as CompiledProfile;
const NEVER = Number.POSITIVE_INFINITY;

function snapshotWith(entries: [token: string, p: CompiledProfile, status: 0 | 1, expiresAt: number, graceUntil: number][]): Snapshot {
  const builder = new TokenIndexBuilder<CompiledProfile>();
  const byId = new Map(entries.map(([, p]) => [p.profile.id, p]));
  for (const [token, p, status, expiresAt, graceUntil] of entries) builder.add(hex(token), p.profile.id, 'cli', status, expiresAt, graceUntil);
  return { tokens: builder.build((id) => byId.get(id)) } as unknown as Snapshot;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof GatehouseError ? err.code : 'not a GatehouseError';
  }
  return undefined;
}

describe('token authentication with a connection memo', () => {
  const a = profile('prf_a');
  const b = profile('prf_b');

  it('resolves each token to its own profile as the connection switches between them', () => {
    const snap = snapshotWith([
      ['ghk_alpha', a, CREDENTIAL_ACTIVE, NEVER, NEVER],
      ['ghk_bravo', b, CREDENTIAL_ACTIVE, NEVER, NEVER],
    ]);
    const memo = new TokenMemo();
    expect(authenticateToken(snap, 'ghk_alpha', 0, memo)).toBe(a);
    expect(memo.token).toBe('ghk_alpha');
    expect(authenticateToken(snap, 'ghk_alpha', 0, memo)).toBe(a);
    expect(authenticateToken(snap, 'ghk_bravo', 0, memo)).toBe(b);
    // Same length as the memoised token, one character off.
    expect(codeOf(() => authenticateToken(snap, 'ghk_bravx', 0, memo))).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    expect(authenticateToken(snap, 'ghk_alpha', 0, memo)).toBe(a);
  });

  it('does not memoise a miss', () => {
    const snap = snapshotWith([['ghk_alpha', a, CREDENTIAL_ACTIVE, NEVER, NEVER]]);
    const memo = new TokenMemo();
    authenticateToken(snap, 'ghk_alpha', 0, memo);
    expect(codeOf(() => authenticateToken(snap, 'ghk_guess', 0, memo))).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    expect(memo.token).toBe('ghk_alpha');
  });

  it('still enforces expiry and the rotation grace period on a memoised token', () => {
    const snap = snapshotWith([
      ['ghk_rotated', a, CREDENTIAL_ROTATED, NEVER, 1_000],
      ['ghk_expiring', b, CREDENTIAL_ACTIVE, 2_000, NEVER],
    ]);
    const memo = new TokenMemo();
    expect(authenticateToken(snap, 'ghk_rotated', 500, memo)).toBe(a);
    expect(codeOf(() => authenticateToken(snap, 'ghk_rotated', 1_001, memo))).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
    expect(authenticateToken(snap, 'ghk_expiring', 1_500, memo)).toBe(b);
    expect(codeOf(() => authenticateToken(snap, 'ghk_expiring', 2_001, memo))).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
  });

  it('forgets the memo when a new snapshot no longer holds the token', () => {
    const memo = new TokenMemo();
    const before = snapshotWith([['ghk_alpha', a, CREDENTIAL_ACTIVE, NEVER, NEVER]]);
    expect(authenticateToken(before, 'ghk_alpha', 0, memo)).toBe(a);
    const revoked = snapshotWith([['ghk_other', b, CREDENTIAL_ACTIVE, NEVER, NEVER]]);
    expect(codeOf(() => authenticateToken(revoked, 'ghk_alpha', 0, memo))).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    // Re-issued at another index in a later snapshot: found there, not at the stale index.
    const moved = snapshotWith([
      ['ghk_other', b, CREDENTIAL_ACTIVE, NEVER, NEVER],
      ['ghk_alpha', a, CREDENTIAL_ROTATED, NEVER, 0],
    ]);
    expect(codeOf(() => authenticateToken(moved, 'ghk_alpha', 1, memo))).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
  });
});
