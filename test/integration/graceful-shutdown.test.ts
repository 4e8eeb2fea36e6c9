import { afterAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse, call } from '../support/gatehouse.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// What Kubernetes relies on at SIGTERM: the node reports not-ready first, keeps serving while load
// balancers take it out, then lets in-flight calls finish before it closes.
describe('graceful shutdown', () => {
  let t: TestGatehouse;
  let upstream: SampleUpstream;
  afterAll(async () => {
    await upstream?.close();
    await t?.db.drop();
  });

  it('answers /readyz 503 during the drain delay, still serves, and lets an in-flight call finish', async () => {
    upstream = await startUpstream();
    t = await startTestGatehouse('sqlite', { shutdownDelayMs: 600, shutdownTimeoutMs: 5_000 });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await call(t.api, t.adminToken, method, path, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    const col = await admin('POST', '/collections', { slug: 'drain', name: 'Drain', published: true });
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/drain', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/slow' });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders' });
    const client = await admin('POST', '/clients', { name: 'Drain client', collectionIds: [col.id] });
    const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    const { token } = await admin('POST', `/profiles/${profile.id}/credentials`, {});
    const base = t.gh.urls.proxy;
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // In flight when shutdown starts, and longer than the drain delay.
    const inFlight = fetch(`${base}/drain/slow?ms=1200`, { headers: auth });
    await new Promise((r) => setTimeout(r, 100));
    const closing = t.gh.close();
    await new Promise((r) => setTimeout(r, 100));
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'stopping' });
    // Not ready, but still serving new calls until the delay is over.
    expect((await fetch(`${base}/drain/orders`, { headers: auth })).status).toBe(200);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ waited: 1200 });
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
