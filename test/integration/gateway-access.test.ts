import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type SampleUpstream, start } from '../support/upstream.js';
import { Fixtures, type RunningGateway, startGateway } from './gateway-fixtures.js';

let db: TestDatabase;
let upstream: SampleUpstream;
let gw: RunningGateway;
let fx: Fixtures;
let api: { collectionId: string; proxyId: string };
let clientId: string;
let profileId: string;
let token: string;

async function call(path: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD' = 'GET') {
  const res = await request(gw.url + path, { method, headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

function bearer(t: string): Record<string, string> {
  return { authorization: `Bearer ${t}` };
}

beforeAll(async () => {
  db = await freshDatabase('sqlite');
  upstream = await start();
  fx = new Fixtures(db.db);
  api = await fx.ordersApi([upstream.url]);
  clientId = await fx.client({ collectionIds: [api.collectionId] });
  profileId = await fx.profile({ clientId, authType: 'token' });
  ({ token } = await fx.credential(profileId, clientId));
  gw = await startGateway(db.db);
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
  await db.drop();
});

describe('routing', () => {
  it('forwards a matched call and records it', async () => {
    const res = await call('/shop/v1/orders/2', bearer(token));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ id: '2', item: 'pen', qty: 3 });
    const rec = await gw.recorder.find(String(res.headers['x-request-id']));
    expect(rec).toMatchObject({
      status: 200,
      clientId,
      profileId,
      proxyId: api.proxyId,
      collectionId: api.collectionId,
      method: 'GET',
      path: '/shop/v1/orders/2',
      errorCode: null,
      channel: 'rest',
    });
    expect(rec.endpointId).toMatch(/^ep_/);
    expect(rec.bytesOut).toBe(Buffer.byteLength(res.text));
    expect(rec.upstreamLatencyMs).toBeGreaterThan(0);
    expect(rec.latencyMs).toBeGreaterThanOrEqual(rec.upstreamLatencyMs!);
  });

  it('404s unknown paths and 405s other methods with Allow', async () => {
    const missing = await call('/shop/v1/nothing', bearer(token));
    expect(missing.status).toBe(404);
    expect(missing.json().error.code).toBe('GATEHOUSE_ROUTE_NOT_FOUND');
    expect(missing.json().error.requestId).toBe(missing.headers['x-request-id']);
    expect((await call('/elsewhere/orders', bearer(token))).status).toBe(404);
    const wrong = await call('/shop/v1/orders', bearer(token), 'DELETE');
    expect(wrong.status).toBe(405);
    expect(wrong.json().error.code).toBe('GATEHOUSE_METHOD_NOT_ALLOWED');
    expect(wrong.headers.allow).toBe('GET, HEAD, POST');
  });

  it('answers HEAD through the GET endpoint', async () => {
    const res = await call('/shop/v1/orders/1', bearer(token), 'HEAD');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('refuses dot segments rather than letting the upstream resolve them', async () => {
    expect((await call('/shop/v1/orders/%2e%2e', bearer(token))).status).toBe(404);
  });

  it('hides proxies of unpublished collections', async () => {
    const colId = await fx.collection({ published: false });
    const prx = await fx.proxy({ collectionId: colId, basePath: '/hidden', upstreams: [upstream.url] });
    await fx.endpoint(prx, 'GET', '/orders');
    await gw.holder.refresh();
    const res = await call('/hidden/orders');
    expect(res.status).toBe(404);
    expect(res.json().error.code).toBe('GATEHOUSE_ROUTE_NOT_FOUND');
  });
});

describe('token auth', () => {
  it('accepts Bearer and X-API-Key, refuses missing and unknown', async () => {
    expect((await call('/shop/v1/orders', bearer(token))).status).toBe(200);
    expect((await call('/shop/v1/orders', { 'x-api-key': token })).status).toBe(200);
    const none = await call('/shop/v1/orders');
    expect([none.status, none.json().error.code]).toEqual([401, 'GATEHOUSE_CREDENTIAL_MISSING']);
    const bad = await call('/shop/v1/orders', bearer('ghk_nope'));
    expect([bad.status, bad.json().error.code]).toEqual([401, 'GATEHOUSE_CREDENTIAL_INVALID']);
  });

  it('checks X-Client-ID and X-Profile-ID when sent', async () => {
    expect((await call('/shop/v1/orders', { ...bearer(token), 'x-client-id': clientId, 'x-profile-id': profileId })).status).toBe(200);
    const other = await call('/shop/v1/orders', { ...bearer(token), 'x-client-id': 'cli_other' });
    expect([other.status, other.json().error.code]).toEqual([401, 'GATEHOUSE_CLIENT_MISMATCH']);
    const otherProfile = await call('/shop/v1/orders', { ...bearer(token), 'x-profile-id': 'prf_other' });
    expect(otherProfile.json().error.code).toBe('GATEHOUSE_CLIENT_MISMATCH');
  });

  it('handles expiry, rotation grace and revocation', async () => {
    const past = new Date(Date.now() - 60_000).toISOString();
    const future = new Date(Date.now() + 60_000).toISOString();
    const expired = await fx.credential(profileId, clientId, { expiresAt: past });
    const inGrace = await fx.credential(profileId, clientId, { status: 'rotated', graceUntil: future });
    const afterGrace = await fx.credential(profileId, clientId, { status: 'rotated', graceUntil: past });
    const revoked = await fx.credential(profileId, clientId, { status: 'revoked' });
    await gw.holder.refresh();
    expect((await call('/shop/v1/orders', bearer(expired.token))).json().error.code).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
    expect((await call('/shop/v1/orders', bearer(inGrace.token))).status).toBe(200);
    expect((await call('/shop/v1/orders', bearer(afterGrace.token))).json().error.code).toBe('GATEHOUSE_CREDENTIAL_EXPIRED');
    expect((await call('/shop/v1/orders', bearer(revoked.token))).json().error.code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });
});

describe('token auth on one keep-alive connection', () => {
  it("checks every request, not just the connection's first", async () => {
    const other = await fx.credential(profileId, clientId);
    await gw.holder.refresh();
    const client = new Client(gw.url);
    let connects = 0;
    client.on('connect', () => connects++);
    const on = async (t: string) => {
      const res = await client.request({ path: '/shop/v1/orders', method: 'GET', headers: bearer(t) });
      const text = await res.body.text();
      return res.statusCode === 200 ? 200 : (JSON.parse(text).error.code as string);
    };
    try {
      expect(await on(other.token)).toBe(200);
      expect(await on(token)).toBe(200);
      const tampered = other.token.slice(0, -1) + (other.token.endsWith('a') ? 'b' : 'a');
      expect(await on(tampered)).toBe('GATEHOUSE_CREDENTIAL_INVALID');
      expect(await on(other.token)).toBe(200);
      await db.db.updateTable('credentials').set({ status: 'revoked' }).where('id', '=', other.id).execute();
      await gw.holder.refresh();
      expect(await on(other.token)).toBe('GATEHOUSE_CREDENTIAL_INVALID');
      expect(await on(token)).toBe(200);
      expect(connects).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('anonymous access', () => {
  it('lets anyone into allowAnonymous collections and names a none profile when sent', async () => {
    const colId = await fx.collection({ allowAnonymous: true });
    const prx = await fx.proxy({ collectionId: colId, basePath: '/open', upstreams: [upstream.url] });
    await fx.endpoint(prx, 'GET', '/orders');
    const anonClient = await fx.client({ collectionIds: [colId] });
    const policyId = await fx.policy({ rateLimits: [{ window: 'minute', limit: 2 }] });
    const noneProfile = await fx.profile({ clientId: anonClient, authType: 'none', policyId });
    await gw.holder.refresh();

    const anon = await call('/open/orders');
    expect(anon.status).toBe(200);
    const rec = await gw.recorder.find(String(anon.headers['x-request-id']));
    expect([rec.clientId, rec.profileId]).toEqual([null, null]);

    const named = await call('/open/orders', { 'x-profile-id': noneProfile });
    expect(named.status).toBe(200);
    expect(named.headers['ratelimit-limit']).toBe('2');
    expect((await gw.recorder.find(String(named.headers['x-request-id']))).profileId).toBe(noneProfile);
    expect((await call('/open/orders', { 'x-profile-id': noneProfile, 'x-client-id': 'cli_x' })).json().error.code).toBe('GATEHOUSE_CLIENT_MISMATCH');
    // A none profile gives no access to collections that require credentials.
    expect((await call('/shop/v1/orders', { 'x-profile-id': noneProfile })).json().error.code).toBe('GATEHOUSE_CREDENTIAL_MISSING');
  });
});

describe('access checks', () => {
  it('refuses a suspended client', async () => {
    const c = await fx.client({ collectionIds: [api.collectionId], status: 'suspended' });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token: t } = await fx.credential(p, c);
    await gw.holder.refresh();
    const res = await call('/shop/v1/orders', bearer(t));
    expect([res.status, res.json().error.code]).toEqual([403, 'GATEHOUSE_CLIENT_SUSPENDED']);
  });

  it('refuses collections not granted to the client or outside the profile’s narrower set', async () => {
    const c = await fx.client({ collectionIds: [] });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token: t } = await fx.credential(p, c);
    const other = await fx.collection();
    const c2 = await fx.client({ collectionIds: [api.collectionId, other] });
    const narrow = await fx.profile({ clientId: c2, authType: 'token', collectionIds: [other] });
    const { token: t2 } = await fx.credential(narrow, c2);
    await gw.holder.refresh();
    const res = await call('/shop/v1/orders', bearer(t));
    expect([res.status, res.json().error.code]).toEqual([403, 'GATEHOUSE_COLLECTION_NOT_GRANTED']);
    expect((await call('/shop/v1/orders', bearer(t2))).json().error.code).toBe('GATEHOUSE_COLLECTION_NOT_GRANTED');
  });

  it('refuses methods the profile does not allow', async () => {
    const c = await fx.client({ collectionIds: [api.collectionId] });
    const p = await fx.profile({ clientId: c, authType: 'token', allowedMethods: ['GET'] });
    const { token: t } = await fx.credential(p, c);
    await gw.holder.refresh();
    expect((await call('/shop/v1/orders', bearer(t))).status).toBe(200);
    const res = await call('/shop/v1/orders', { ...bearer(t), 'content-type': 'application/json' }, 'POST');
    expect([res.status, res.json().error.code]).toEqual([403, 'GATEHOUSE_METHOD_DENIED']);
  });

  it('enforces the IP allowlist, trusting X-Forwarded-For only from trusted proxies', async () => {
    const c = await fx.client({ collectionIds: [api.collectionId] });
    const inList = await fx.profile({ clientId: c, authType: 'token', ipAllowlist: ['127.0.0.0/8'] });
    const outList = await fx.profile({ clientId: c, authType: 'token', ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });
    const { token: ok } = await fx.credential(inList, c);
    const { token: denied } = await fx.credential(outList, c);
    await gw.holder.refresh();
    expect((await call('/shop/v1/orders', bearer(ok))).status).toBe(200);
    const res = await call('/shop/v1/orders', { ...bearer(denied), 'x-forwarded-for': '10.1.2.3' });
    expect([res.status, res.json().error.code]).toEqual([403, 'GATEHOUSE_IP_DENIED']);

    const trusting = await startGateway(db.db, { trustProxy: ['127.0.0.1'] });
    try {
      const via = await request(`${trusting.url}/shop/v1/orders`, { headers: { ...bearer(denied), 'x-forwarded-for': '10.1.2.3' } });
      await via.body.dump();
      expect(via.statusCode).toBe(200);
      expect((await trusting.recorder.find(String(via.headers['x-request-id']))).ip).toBe('10.1.2.3');
    } finally {
      await trusting.close();
    }
  });
});

describe('limits', () => {
  it('allows exactly N per window, refuses N+1 with headers, and refused calls do not consume', async () => {
    const policyId = await fx.policy({ rateLimits: [{ window: 'hour', limit: 3 }] });
    const c = await fx.client({ collectionIds: [api.collectionId], policyId });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token: t } = await fx.credential(p, c);
    await gw.holder.refresh();
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call('/shop/v1/orders', bearer(t));
      expect(r.status).toBe(200);
      expect(r.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(r.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    for (let i = 0; i < 3; i++) {
      const r = await call('/shop/v1/orders', bearer(t));
      expect([r.status, r.json().error.code]).toEqual([429, 'GATEHOUSE_RATE_LIMITED']);
      expect(r.headers['ratelimit-remaining']).toBe('0');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(r.headers['ratelimit-reset'])).toBeLessThanOrEqual(3600);
    }
  });

  it('refuses an oversized body before it counts against the window, on REST and through execute()', async () => {
    const tiny = await fx.ordersApi([upstream.url], '/tiny/v1', { maxRequestBodyBytes: 100 });
    const policyId = await fx.policy({ rateLimits: [{ window: 'hour', limit: 1 }] });
    const c = await fx.client({ collectionIds: [tiny.collectionId], policyId });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token: t } = await fx.credential(p, c);
    await gw.holder.refresh();
    for (let i = 0; i < 2; i++) {
      const res = await request(`${gw.url}/tiny/v1/orders`, { method: 'POST', headers: bearer(t), body: Buffer.alloc(101) });
      expect([res.statusCode, ((await res.body.json()) as { error: { code: string } }).error.code]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    }
    const viaMcp = await gw.gateway.execute({
      channel: 'mcp',
      method: 'POST',
      path: '/tiny/v1/orders',
      body: Buffer.alloc(101),
      caller: { clientId: c, profileId: p },
    });
    expect([viaMcp.status, viaMcp.errorCode]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    const fits = await call('/tiny/v1/orders', bearer(t));
    expect([fits.status, fits.headers['ratelimit-remaining']]).toEqual([200, '0']);
  });

  it('counts a profile policy per profile and reports quota exhaustion', async () => {
    const quota = await fx.policy({ quotas: [{ period: 'day', limit: 2 }], rateLimits: [{ window: 'second', limit: 100 }] });
    const c = await fx.client({ collectionIds: [api.collectionId] });
    const p1 = await fx.profile({ clientId: c, authType: 'token', policyId: quota });
    const p2 = await fx.profile({ clientId: c, authType: 'token', policyId: quota });
    const { token: t1 } = await fx.credential(p1, c);
    const { token: t2 } = await fx.credential(p2, c);
    await gw.holder.refresh();
    expect((await call('/shop/v1/orders', bearer(t1))).status).toBe(200);
    expect((await call('/shop/v1/orders', bearer(t1))).status).toBe(200);
    const refused = await call('/shop/v1/orders', bearer(t1));
    expect([refused.status, refused.json().error.code]).toEqual([429, 'GATEHOUSE_QUOTA_EXCEEDED']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call('/shop/v1/orders', bearer(t2))).status).toBe(200);
  });

  it('refuses a client whose policy row no longer parses with 503, instead of letting it through uncounted', async () => {
    const policyId = await fx.policy({ rateLimits: [{ window: 'hour', limit: 1 }] });
    const c = await fx.client({ collectionIds: [api.collectionId], policyId });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token: t } = await fx.credential(p, c);
    await db.db.updateTable('resources').set({ data: '{"name":"broken","rateLimits":"not a list"}' }).where('id', '=', policyId).execute();
    await gw.holder.refresh();
    const refused = await call('/shop/v1/orders', bearer(t));
    expect([refused.status, refused.json().error.code]).toEqual([503, 'GATEHOUSE_LIMITER_UNAVAILABLE']);
  });
});

describe('config changes', () => {
  // The feed applies it within the next few calls (a reconcile poll would take seconds of them).
  it('applies a change published on the feed to the next requests', async () => {
    expect((await call('/shop/v1/orders/1/items', bearer(token))).status).toBe(404);
    const endpointId = await fx.endpoint(api.proxyId, 'GET', '/orders/{id}/items', api.collectionId);
    gw.feed.publish({ resourceType: 'endpoints', resourceId: endpointId, action: 'create', at: new Date().toISOString() });
    let status = 0;
    for (let i = 0; i < 20; i++) {
      status = (await call('/shop/v1/orders/1/items', bearer(token))).status;
      if (status !== 404) break;
    }
    // The upstream has no such path, so the upstream's own 404 body proves the gateway routed it.
    const res = await call('/shop/v1/orders/1/items', bearer(token));
    expect(res.json()).toEqual({ message: 'not found' });
    expect(status).toBe(404);
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('stops a revoked credential on the next request after the change', async () => {
    const cred = await fx.credential(profileId, clientId);
    await gw.holder.refresh();
    expect((await call('/shop/v1/orders', bearer(cred.token))).status).toBe(200);
    await db.db.updateTable('credentials').set({ status: 'revoked' }).where('id', '=', cred.id).execute();
    gw.feed.publish({ resourceType: 'credentials', resourceId: cred.id, action: 'revoke', at: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 100));
    expect((await call('/shop/v1/orders', bearer(cred.token))).json().error.code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });
});

describe('execute()', () => {
  it('returns what handle returns for the same call', async () => {
    const rest = await call('/shop/v1/orders/1?x=1', bearer(token));
    const exec = await gw.gateway.execute({ channel: 'rest', method: 'GET', path: '/shop/v1/orders/1?x=1', headers: bearer(token), ip: '127.0.0.1' });
    expect(exec.status).toBe(rest.status);
    expect(exec.body.toString()).toBe(rest.text);
    expect(exec.headers['content-type']).toBe(rest.headers['content-type']);

    const restErr = await call('/shop/v1/orders', bearer('ghk_wrong'));
    const execErr = await gw.gateway.execute({ channel: 'rest', method: 'GET', path: '/shop/v1/orders', headers: bearer('ghk_wrong') });
    expect(execErr.status).toBe(restErr.status);
    expect(JSON.parse(execErr.body.toString()).error.code).toBe(restErr.json().error.code);
    expect(execErr.errorCode).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });

  it('refuses a call pinned to one endpoint whose path routes to another', async () => {
    const rows = await db.db.selectFrom('resources').select(['id', 'data']).where('type', '=', 'endpoints').execute();
    const byPath = (p: string) => rows.find((r) => JSON.parse(r.data).path === p && JSON.parse(r.data).method === 'GET')!.id;
    const pinned = await gw.gateway.execute({
      channel: 'mcp',
      method: 'GET',
      path: '/shop/v1/orders/1',
      caller: { clientId, profileId },
      endpointId: byPath('/orders/{id}'),
    });
    expect(pinned.status).toBe(200);
    const elsewhere = await gw.gateway.execute({
      channel: 'mcp',
      method: 'GET',
      path: '/shop/v1/orders/1',
      caller: { clientId, profileId },
      endpointId: byPath('/orders'),
    });
    expect([elsewhere.status, elsewhere.errorCode]).toEqual([404, 'GATEHOUSE_ROUTE_NOT_FOUND']);
  });

  it('takes a pre-authenticated MCP caller, records channel and tool, and caps sizes', async () => {
    const res = await gw.gateway.execute({
      channel: 'mcp',
      method: 'POST',
      path: '/shop/v1/orders',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"item":"cup"}'),
      caller: { clientId, profileId },
      mcpClient: 'claude/1.0',
      mcpTool: 'execute_call',
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body.toString())).toEqual({ item: 'cup' });
    const rec = await gw.recorder.find(res.requestId);
    expect(rec).toMatchObject({ channel: 'mcp', mcpClient: 'claude/1.0', mcpTool: 'execute_call', clientId, bytesIn: 14, status: 201 });

    const big = await gw.gateway.execute({ channel: 'mcp', method: 'GET', path: '/shop/v1/download?bytes=3000000', caller: { clientId, profileId } });
    expect([big.status, big.truncated, big.body.length]).toEqual([200, true, 1_048_576]);
    const tooLarge = await gw.gateway.execute({
      channel: 'mcp',
      method: 'POST',
      path: '/shop/v1/orders',
      body: Buffer.alloc(2_000_000),
      caller: { clientId, profileId },
    });
    expect([tooLarge.status, tooLarge.errorCode]).toEqual([413, 'GATEHOUSE_BODY_TOO_LARGE']);
    const wrongCaller = await gw.gateway.execute({ channel: 'mcp', method: 'GET', path: '/shop/v1/orders', caller: { clientId: 'cli_x', profileId } });
    expect(wrongCaller.errorCode).toBe('GATEHOUSE_CREDENTIAL_INVALID');
  });
});
