import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { TokenCache } from './token-cache.js';
import type { GrantedToken, TokenEndpoint } from './token-endpoint.js';
import type { BackendAuth } from './types.js';

type OAuth2 = Extract<BackendAuth, { kind: 'oauth2' }>;

const auth = (version = 1): OAuth2 =>
  ({
    id: 'bcr_1',
    name: 'idp',
    version,
    kind: 'oauth2',
    token: { tokenUrl: 'https://idp.example/token', clientId: 'c', clientSecret: 's', clientAuth: 'client_secret_basic', params: [] },
  }) as unknown as OAuth2;

function endpoint(answer: () => Promise<GrantedToken>): { endpoint: TokenEndpoint; calls: () => number } {
  let n = 0;
  return {
    endpoint: {
      fetch: () => {
        n++;
        return answer();
      },
    } as unknown as TokenEndpoint,
    calls: () => n,
  };
}

describe('TokenCache', () => {
  it('fetches once for every concurrent caller, then serves the cached token synchronously', async () => {
    let issued = 0;
    const e = endpoint(async () => ({ accessToken: `t${++issued}`, expiresIn: 3600 }));
    const cache = new TokenCache(e.endpoint);
    expect(cache.peek(auth())).toBeNull();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get(auth())));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(e.calls()).toBe(1);
    expect(cache.peek(auth())).toBe('t1');
  });

  it('refreshes shortly before expiry, and starts afresh after a rotation', async () => {
    let now = 0;
    let issued = 0;
    const e = endpoint(async () => ({ accessToken: `t${++issued}`, expiresIn: 100 }));
    const cache = new TokenCache(e.endpoint, () => now);
    await cache.get(auth());
    now = 89_000;
    expect(cache.peek(auth())).toBe('t1');
    // A tenth of a 100 s lifetime early.
    now = 90_001;
    expect(cache.peek(auth())).toBeNull();
    expect(await cache.get(auth())).toBe('t2');
    expect(await cache.get(auth(2))).toBe('t3');
    expect(e.calls()).toBe(3);
  });

  it('forgets a refused token once, not a newer one; a failed fetch is not cached', async () => {
    let issued = 0;
    let fail = false;
    const e = endpoint(async () => {
      if (fail) throw new GatehouseError('GATEHOUSE_BACKEND_TOKEN_FAILED');
      return { accessToken: `t${++issued}`, expiresIn: null };
    });
    const cache = new TokenCache(e.endpoint);
    await cache.get(auth());
    cache.invalidate(auth(), 'other');
    expect(cache.peek(auth())).toBe('t1');
    cache.invalidate(auth(), 't1');
    fail = true;
    await expect(cache.get(auth())).rejects.toMatchObject({ code: 'GATEHOUSE_BACKEND_TOKEN_FAILED' });
    fail = false;
    expect(await cache.get(auth())).toBe('t2');
  });
});
