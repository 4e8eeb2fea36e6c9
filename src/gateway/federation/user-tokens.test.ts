import { describe, expect, it } from 'vitest';
import type { PerUserServer, UpstreamOAuth, UpstreamTokens } from './upstream-oauth.js';
import { type ConnectionStore, UserTokens } from './user-tokens.js';

const server: PerUserServer = { id: 'srv', name: 'Tracker', url: 'http://127.0.0.1:1/mcp', oauth: {} as PerUserServer['oauth'] };
const tokens = (accessToken: string, expiresAt: number | null): UpstreamTokens => ({ accessToken, expiresAt, issuedAt: 0, scope: '' });

/** A store of one connection whose reads can be made to fail (a store outage). */
function fakeStore(initial: UpstreamTokens | null) {
  const state = { row: initial ? { tokens: initial, version: 'v1' } : null, reads: 0, down: false };
  const store: ConnectionStore = {
    async read() {
      state.reads++;
      if (state.down) throw new Error('connect ECONNREFUSED');
      return state.row;
    },
    async replace(_s, _u, version, next) {
      if (state.down) throw new Error('connect ECONNREFUSED');
      if (state.row?.version !== version) return false;
      state.row = { tokens: next, version: `${version}+` };
      return true;
    },
  };
  return { state, store };
}

const refreshing = (accessToken: string) =>
  ({ refresh: async () => tokens(accessToken, Date.now() + 3_600_000), withRegistrations: () => refreshing(accessToken) }) as unknown as UpstreamOAuth;

function userTokens(store: ConnectionStore, oauth = refreshing('refreshed')) {
  return new UserTokens({ oauth, store, connectLink: () => 'http://gw/connect', cacheMs: 30_000 });
}

describe('UserTokens kept per node', () => {
  it('reads the store once until forgotten, and keeps serving a connected person while the store is down', async () => {
    const { state, store } = fakeStore(tokens('a1', Date.now() + 3_600_000));
    const t = userTokens(store);
    expect(await t.token(server, 'ann')).toBe('a1');
    expect(await t.token(server, 'ann')).toBe('a1');
    expect(state.reads).toBe(1);
    state.down = true;
    t.forget();
    expect(await t.token(server, 'ann')).toBe('a1');
    // Someone never seen before cannot be served without the store.
    await expect(t.token(server, 'bob')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a revoked connection is refused once the change is heard', async () => {
    const { state, store } = fakeStore(tokens('a1', Date.now() + 3_600_000));
    const t = userTokens(store);
    expect(await t.token(server, 'ann')).toBe('a1');
    state.row = null;
    t.forget();
    await expect(t.token(server, 'ann')).rejects.toMatchObject({ code: 'GATEHOUSE_MCP_CONNECT_REQUIRED' });
  });

  it('asks the store before refreshing a kept token that is due, and uses what another node refreshed', async () => {
    let now = 0;
    const { state, store } = fakeStore(tokens('a1', 3_600_000));
    const noRefresh = { refresh: async () => Promise.reject(new Error('refreshed twice')) } as unknown as UpstreamOAuth;
    const t = new UserTokens({ oauth: noRefresh, store, connectLink: () => '', cacheMs: 10 * 3_600_000, now: () => now });
    expect(await t.token(server, 'ann')).toBe('a1');
    state.row = { tokens: tokens('theirs', 7_200_000), version: 'v2' };
    now = 3_590_000;
    expect(await t.token(server, 'ann')).toBe('theirs');
    expect(state.reads).toBe(2);
  });
});
