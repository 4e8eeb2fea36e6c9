import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awayFromWindowEdge } from '../support/clock.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

let t: TestGatehouse;
let upstream: SampleUpstream;
const ids: Record<string, string> = {};
let token = '';

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

beforeAll(async () => {
  upstream = await startUpstream();
  t = await startTestGatehouse('sqlite');
  ids.collection = (await admin('POST', '/collections', { slug: 'shop', name: 'Shop', published: true })).id;
  ids.proxy = (await admin('POST', '/proxies', { collectionId: ids.collection, name: 'Orders', basePath: '/shop/v1', upstreams: [upstream.url] })).id;
  ids.list = (await admin('POST', `/proxies/${ids.proxy}/endpoints`, { method: 'GET', path: '/orders', summary: 'List orders' })).id;
  ids.one = (await admin('POST', `/proxies/${ids.proxy}/endpoints`, { method: 'GET', path: '/orders/{id}', summary: 'Get an order' })).id;
  ids.policy = (await admin('POST', '/policies', { name: 'three-per-minute', rateLimits: [{ window: 'minute', limit: 3 }] })).id;
  ids.client = (await admin('POST', '/clients', { name: 'Acme', collectionIds: [ids.collection], policyId: ids.policy })).id;
  ids.profile = (await admin('POST', '/profiles', { clientId: ids.client, name: 'default', authType: 'token' })).id;
  token = (await admin('POST', `/profiles/${ids.profile}/credentials`, {})).token;
  // The three-per-minute window runs on the real clock across the tests below (~2 s in all).
  await awayFromWindowEdge(60_000, 10_000);
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

/** Polls a query until its answer satisfies `done` (the request-log writer is asynchronous), for at most 10 s. */
async function eventually<T>(query: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await query();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function proxied(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`${t.gh.urls.proxy}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers } });
}

describe('management plane → data plane → telemetry, through one running gateway', () => {
  it('a partner calls the upstream with the token the admin API issued', async () => {
    const res = await proxied('/shop/v1/orders/2');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '2', item: 'pen', qty: 3 });
    expect(res.headers.get('ratelimit-limit')).toBe('3');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses what the configuration does not allow, each with its own code', async () => {
    const noToken = await fetch(`${t.gh.urls.proxy}/shop/v1/orders`);
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as any).error.code).toBe('GATEHOUSE_CREDENTIAL_MISSING');
    const wrongMethod = await proxied('/shop/v1/orders', {}, 'DELETE');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    expect((await proxied('/shop/v1/nothing')).status).toBe(404);
  });

  it('logs every call under its own id, even when callers reuse an X-Request-Id, and finds calls by request id', async () => {
    const other = (await admin('POST', '/clients', { name: 'Reuser', collectionIds: [ids.collection] })).id;
    const prof = (await admin('POST', '/profiles', { clientId: other, name: 'p', authType: 'token' })).id;
    const otherToken = (await admin('POST', `/profiles/${prof}/credentials`, {})).token;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${t.gh.urls.proxy}/shop/v1/orders/1`, { headers: { authorization: `Bearer ${otherToken}`, 'x-request-id': 'evade-1' } });
      expect(res.headers.get('x-request-id')).toBe('evade-1');
    }
    const logged = await eventually(
      () => admin('GET', `/request-logs?requestId=evade-1&clientId=${other}`),
      (l) => l.items.length >= 3,
    );
    expect(logged.items).toHaveLength(3);
    expect(new Set(logged.items.map((l: any) => l.id)).size).toBe(3);
  });

  it('applies admin changes to the next request without a restart', async () => {
    await admin('PATCH', `/clients/${ids.client}`, { status: 'suspended' });
    const suspended = await proxied('/shop/v1/orders');
    expect(suspended.status).toBe(403);
    expect(((await suspended.json()) as any).error.code).toBe('GATEHOUSE_CLIENT_SUSPENDED');
    await admin('PATCH', `/clients/${ids.client}`, { status: 'active' });
    const back = await proxied('/shop/v1/orders');
    expect(back.status, await back.clone().text()).toBe(200);
  });

  it('rate-limits by the client policy and stops the credential once revoked', async () => {
    expect((await proxied('/shop/v1/orders')).status).toBe(200);
    const third = await proxied('/shop/v1/orders');
    expect(third.status).toBe(429);
    expect(((await third.json()) as any).error.code).toBe('GATEHOUSE_RATE_LIMITED');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    const creds = (await admin('GET', `/profiles/${ids.profile}/credentials`)).items;
    await admin('POST', `/credentials/${creds[0].id}/revoke`);
    const revoked = await proxied('/shop/v1/orders');
    expect(revoked.status).toBe(401);
  });

  it('request logs and metrics queries return what was sent', async () => {
    // The writer flushes on a timer, from a worker thread.
    const logs = await eventually(
      () => admin('GET', `/request-logs?clientId=${ids.client}&limit=100`),
      (l) => l.items.length >= 5,
    );
    const statuses = logs.items.map((l: any) => l.status).sort();
    expect(statuses).toEqual([200, 200, 200, 403, 429]);
    const first = logs.items.find((l: any) => l.path === '/shop/v1/orders/2');
    expect(first).toMatchObject({
      channel: 'rest',
      method: 'GET',
      collectionId: ids.collection,
      proxyId: ids.proxy,
      endpointId: ids.one,
      profileId: ids.profile,
      status: 200,
    });
    expect(await admin('GET', `/request-logs/${first.id}`)).toEqual(first);

    const overview = await admin('GET', `/metrics/overview?clientId=${ids.client}`);
    expect(overview).toMatchObject({ totalRequests: 5, errors: 2, clientErrors: 2, serverErrors: 0, errorRate: 0.4 });
    expect(overview.p50LatencyMs).toBeGreaterThan(0);
    // Every call of this client came over REST: the REST view holds them all, the MCP view none.
    expect(await admin('GET', `/metrics/overview?clientId=${ids.client}&channel=rest`)).toMatchObject({ totalRequests: 5, errors: 2 });
    expect(await admin('GET', `/metrics/overview?clientId=${ids.client}&channel=mcp`)).toMatchObject({ totalRequests: 0 });
    const badChannel = await call(t.api, t.adminToken, 'GET', '/metrics/overview?channel=smtp');
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    const codes = await admin('GET', `/metrics/status-codes?clientId=${ids.client}`);
    expect(JSON.stringify(codes)).toContain('429');
    const methods = await admin('GET', `/metrics/methods?clientId=${ids.client}`);
    expect(JSON.stringify(methods)).toContain('GET');
    const erroring = await admin('GET', `/metrics/error-endpoints?collectionId=${ids.collection}&minErrorRate=0.1`);
    expect(JSON.stringify(erroring)).toContain(ids.list);
    const top = await admin('GET', `/metrics/top-endpoints?collectionId=${ids.collection}`);
    expect(JSON.stringify(top)).toContain(ids.list);
    const series = await admin('GET', `/metrics/timeseries?bucket=minute&clientId=${ids.client}`);
    expect(JSON.stringify(series)).toContain('"count"');
    const prom = await fetch(`${t.gh.urls.admin}/metrics`);
    expect(await prom.text()).toContain('gatehouse_requests_total');
  });
});
