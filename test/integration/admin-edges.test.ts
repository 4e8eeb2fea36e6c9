import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let t: TestGatehouse;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
});
afterAll(async () => {
  await t?.close();
});

async function lastAudit(action: string): Promise<any> {
  const res = await call(t.api, t.adminToken, 'GET', `/audit-logs?action=${action}&limit=5`);
  return res.body.items[0];
}

describe('admin requests refused before the handler', () => {
  it('a malformed JSON body is answered 400 and audited as a failed write', async () => {
    const res = await call(t.api, t.adminToken, 'POST', '/policies', '{"name": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('GATEHOUSE_INVALID_JSON');
    expect(await lastAudit('policies.create')).toMatchObject({ outcome: 'failure', status: 400, errorCode: 'GATEHOUSE_INVALID_JSON', requestId: res.body.error.requestId });
  });

  it('a body over the limit is answered 413 and audited', async () => {
    const res = await call(t.api, t.adminToken, 'POST', '/clients', { name: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(await lastAudit('clients.create')).toMatchObject({ outcome: 'failure', status: 413, errorCode: 'GATEHOUSE_BODY_TOO_LARGE' });
  });

  it('publishing with content-type application/json and an empty body works', async () => {
    const created = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'empty-body', name: 'Empty body' });
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${created.body.id}/publish`, '');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.published).toBe(true);
  });

  it('a bare JSON array as an OpenAPI document gets a precise error', async () => {
    const col = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'arrays', name: 'Arrays' });
    for (const document of [[{ openapi: '3.1.0' }], '[{"openapi": "3.1.0"}]']) {
      const res = await call(t.api, t.adminToken, 'POST', `/collections/${col.body.id}/import-openapi`, { document, basePath: '/arrays', upstreams: ['http://127.0.0.1:9'] });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('the document is a JSON array (of 1 item); an OpenAPI document is one object with openapi (or swagger), info and paths');
    }
  });
});
