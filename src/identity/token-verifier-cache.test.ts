import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachingVerifier } from './token-verifier-cache.js';
import { createLocalVerifier } from './token-verifier.js';

const ISSUER = 'https://gw.example/admin/oauth';
const RESOURCE = 'https://gw.example/mcp/v/tools';
const START = Date.UTC(2026, 0, 1);

let key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwks: JSONWebKeySet;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  key = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
});

/** A built-in access token issued at `START`, valid for `seconds`. */
function token(sub: string, seconds = 300): Promise<string> {
  const iat = Math.floor(START / 1000);
  return new SignJWT({ iss: ISSUER, aud: RESOURCE, sub, iat, exp: iat + seconds, groups: ['dev'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .sign(key);
}

/** A cached local verifier on a clock the test moves, over a key set it may swap. */
function setup(opts: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: START };
  let keys = jwks;
  const verifier = cachingVerifier(createLocalVerifier({ issuer: ISSUER, jwks: () => keys, now: () => clock.now }), { ...opts, now: () => clock.now });
  return { verifier, clock, retire: (next: JSONWebKeySet) => (keys = next) };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: { code?: string; message: string }) => `${err.code}: ${err.message}`,
  );

describe('the verified-token cache', () => {
  it('answers a token it verified from memory, frozen, for the same resource only', async () => {
    const { verifier } = setup();
    const t = await token('alice');
    const first = await verifier.verify(t, RESOURCE);
    expect(first).toMatchObject({ subject: 'alice', groups: ['dev'] });
    expect(await verifier.verify(t, RESOURCE)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.groups)).toBe(true);
    // Cached for one resource is not good for another: the audience is checked afresh.
    expect(await codeOf(verifier.verify(t, 'https://gw.example/mcp/v/other'))).toBe('GATEHOUSE_INVALID_TOKEN: The bearer token is not for this resource.');
  });

  it('refuses an expired token even when it was cached, and keeps no answer beyond its TTL', async () => {
    const { verifier, clock } = setup({ ttlMs: 10 * 60_000 });
    const t = await token('bob', 60);
    expect(await verifier.verify(t, RESOURCE)).toBe(await verifier.verify(t, RESOURCE));
    // Past `exp` (and the 30 s clock tolerance): refused, though the TTL would have kept it.
    clock.now = START + 91_000;
    expect(await codeOf(verifier.verify(t, RESOURCE))).toBe('GATEHOUSE_INVALID_TOKEN: The bearer token has expired.');
    const { verifier: short, clock: shortClock } = setup({ ttlMs: 1_000 });
    const long = await token('carol');
    const answer = await short.verify(long, RESOURCE);
    expect(await short.verify(long, RESOURCE)).toBe(answer);
    shortClock.now += 1_001;
    const again = await short.verify(long, RESOURCE);
    expect(again).not.toBe(answer);
    expect(again).toEqual(answer);
  });

  it('refuses a cached token once its signing key is retired from the key set', async () => {
    const { verifier, retire } = setup();
    const t = await token('dave');
    await verifier.verify(t, RESOURCE);
    const other = await generateKeyPair('ES256', { extractable: true });
    retire({ keys: [{ ...(await exportJWK(other.publicKey)), kid: 'k2', alg: 'ES256', use: 'sig' }] });
    expect(await codeOf(verifier.verify(t, RESOURCE))).toMatch(/^GATEHOUSE_INVALID_TOKEN/);
  });

  it('keeps at most maxEntries answers, forgetting the oldest; refusals are never kept', async () => {
    const { verifier } = setup({ maxEntries: 2 });
    const [a, b, c] = await Promise.all([token('a'), token('b'), token('c')]);
    const first = await verifier.verify(a, RESOURCE);
    await verifier.verify(b, RESOURCE);
    await verifier.verify(c, RESOURCE);
    // `a` was forgotten: verified afresh (a new answer), `c` still served from memory.
    expect(await verifier.verify(a, RESOURCE)).not.toBe(first);
    const tampered = `${c.slice(0, -4)}AAAA`;
    expect(await codeOf(verifier.verify(tampered, RESOURCE))).toBe('GATEHOUSE_INVALID_TOKEN: The bearer token signature is not valid.');
    expect(await codeOf(verifier.verify(tampered, RESOURCE))).toBe('GATEHOUSE_INVALID_TOKEN: The bearer token signature is not valid.');
  });
});
