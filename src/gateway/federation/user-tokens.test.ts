import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { ChainRefused } from './upstream-id-jag.js';
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

describe('UserTokens chaining an enterprise sign-in (ID-JAG)', () => {
  const chained = (obtain: () => Promise<UpstreamTokens | null>) => {
    const saved: UpstreamTokens[] = [];
    let asked = 0;
    const chain = {
      obtain: async () => {
        asked++;
        return obtain();
      },
      save: async (_server: PerUserServer, _subject: string, t: UpstreamTokens) => void saved.push(t),
    };
    return { chain, saved, asked: () => asked };
  };

  it('obtains and saves a connection for a person with none, once for concurrent calls', async () => {
    const { store } = fakeStore(null);
    const c = chained(async () => tokens('chained', Date.now() + 3_600_000));
    const t = new UserTokens({ oauth: refreshing('x'), store, connectLink: () => 'http://gw/connect', chain: c.chain });
    expect(await Promise.all([t.token(server, 'ann'), t.token(server, 'ann')])).toEqual(['chained', 'chained']);
    expect(c.asked()).toBe(1);
    expect(c.saved.map((x) => x.accessToken)).toEqual(['chained']);
  });

  it('gives the connect link where the chain does not apply, with the refusal’s reason where it refused', async () => {
    const { store } = fakeStore(null);
    const none = new UserTokens({ oauth: refreshing('x'), store, connectLink: () => 'http://gw/connect', chain: chained(async () => null).chain });
    await expect(none.token(server, 'ann')).rejects.toMatchObject({ code: 'GATEHOUSE_MCP_CONNECT_REQUIRED', message: /not connected your account/ });
    const refusing = chained(async () => Promise.reject(new ChainRefused('acme did not grant an assertion for this server (invalid_grant).')));
    const refused = new UserTokens({ oauth: refreshing('x'), store, connectLink: () => 'http://gw/connect', chain: refusing.chain });
    await expect(refused.token(server, 'ann')).rejects.toMatchObject({
      code: 'GATEHOUSE_MCP_CONNECT_REQUIRED',
      message: /acme did not grant.*Open http:\/\/gw\/connect/,
    });
  });

  it('chains again once the upstream no longer refreshes the connection', async () => {
    const { store } = fakeStore(tokens('old', Date.now() - 1_000));
    const expired = {
      refresh: async () => Promise.reject(new GatehouseError('GATEHOUSE_MCP_CONNECT_REQUIRED', 'Your connection to Tracker expired; connect again.')),
    } as unknown as UpstreamOAuth;
    const c = chained(async () => tokens('again', Date.now() + 3_600_000));
    const t = new UserTokens({ oauth: expired, store, connectLink: () => 'http://gw/connect', chain: c.chain });
    expect(await t.token(server, 'ann')).toBe('again');
    expect(c.saved).toHaveLength(1);
  });
});
