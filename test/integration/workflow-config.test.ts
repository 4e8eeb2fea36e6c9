import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** Workflows in declarative config: exported by name, proxies refer to them by name, applied in dependency order. */

let a: TestGatehouse;
let b: TestGatehouse;

async function admin(t: TestGatehouse, method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestGatehouse('sqlite'), startTestGatehouse('sqlite')]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

describe('workflows in declarative config', () => {
  it('exports a workflow and the proxy that uses it, and applies them to another gateway as the same file', async () => {
    const col = await admin(a, 'POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
    const wf = await admin(a, 'POST', '/workflows', {
      name: 'shop-rules',
      request: [{ type: 'condition', id: 'c', expression: 'request.method == "GET"', then: [{ type: 'set_headers', id: 's', headers: { 'X-Read': '1' } }] }],
    });
    await admin(a, 'POST', '/proxies', { collectionId: col.id, name: 'Shop', basePath: '/shop', upstreams: ['http://127.0.0.1:9'], workflowId: wf.id });
    const exported = await admin(a, 'GET', '/config/export');
    const text = JSON.stringify(exported);
    expect(text).toContain('shop-rules');
    expect(text).not.toContain(wf.id);

    const plan = await admin(b, 'POST', '/config/plan', { document: exported.document ?? exported });
    expect(JSON.stringify(plan)).toContain('shop-rules');
    await admin(b, 'POST', '/config/apply', { document: exported.document ?? exported });
    const again = await admin(b, 'GET', '/config/export');
    expect(again).toEqual(exported);
    const proxy = (await admin(b, 'GET', '/proxies?q=/shop')).items[0];
    const applied = (await admin(b, 'GET', '/workflows?q=shop-rules')).items[0];
    expect(proxy.workflowId).toBe(applied.id);
  });
});
