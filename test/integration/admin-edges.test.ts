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
    expect(await lastAudit('policies.create')).toMatchObject({
      outcome: 'failure',
      status: 400,
      errorCode: 'GATEHOUSE_INVALID_JSON',
      requestId: res.body.error.requestId,
    });
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
      const res = await call(t.api, t.adminToken, 'POST', `/collections/${col.body.id}/import-openapi`, {
        document,
        basePath: '/arrays',
        upstreams: ['http://127.0.0.1:9'],
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain(
        'the document is a JSON array (of 1 item); an OpenAPI document is one object with openapi (or swagger), info and paths',
      );
    }
  });
});

describe('OpenAPI import limits are settings, stated alike in the OpenAPI document and the errors', () => {
  it('names the operation limit once, and the document size limit, and documents both', async () => {
    const g = await startTestGatehouse('sqlite', { openapiImport: { maxOperations: 3, maxDocumentBytes: 4_096 } });
    try {
      const col = await call(g.api, g.adminToken, 'POST', '/collections', { slug: 'limits', name: 'Limits' });
      const paths = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`/r${i}`, { get: { responses: {} } }]));
      const document = { openapi: '3.1.0', info: { title: 'Big', version: '1' }, paths };
      const many = await call(g.api, g.adminToken, 'POST', `/collections/${col.body.id}/import-openapi`, {
        document,
        basePath: '/big',
        upstreams: ['http://127.0.0.1:9'],
      });
      expect(many.status).toBe(422);
      expect(many.body.error.details).toEqual([
        { path: 'paths', message: 'the document has 40 operations, more than the 3 allowed (openapiImport.maxOperations)' },
      ]);
      const large = await call(g.api, g.adminToken, 'POST', `/collections/${col.body.id}/import-openapi`, { document: 'x'.repeat(5_000), basePath: '/big' });
      expect(large.status).toBe(400);
      expect(JSON.stringify(large.body.error.details)).toContain('larger than the 4096-byte limit (openapiImport.maxDocumentBytes)');
      const doc = (await call(g.api, null, 'GET', '/openapi.json')).body;
      const op = doc.paths['/collections/{collectionId}/import-openapi'].post;
      expect(JSON.stringify(op.requestBody.content['application/json'].schema)).toContain('"maxLength":4096');
      const limit = op['x-gatehouse-body-limit-bytes'];
      expect(op.requestBody.description).toBe(`At most ${limit} bytes; a larger body is refused with 413.`);
      const tooBig = await call(g.api, g.adminToken, 'POST', `/collections/${col.body.id}/import-openapi`, {
        document: { padding: 'y'.repeat(limit) },
        basePath: '/big',
      });
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error.message).toBe(`The request body is larger than this route accepts (${limit} bytes).`);
    } finally {
      await g.close();
    }
  });
});
