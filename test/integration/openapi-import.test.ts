import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI } from '../../src/demo/orders-api.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let t: TestGatehouse;
let docs: Server;
let docsUrl: string;
const LOCAL = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };

const YAML_DOC = `
openapi: 3.1.0
info:
  title: Pets
  version: "1.0"
servers:
  - url: https://pets.example.com/api
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets
      tags: [pets]
      parameters:
        - { name: limit, in: query, schema: { type: integer, maximum: 100 } }
      responses:
        "200":
          description: Pets
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Pet" } }
  /pets/{petId}:
    delete:
      operationId: deletePet
      responses: { "204": { description: Deleted } }
components:
  schemas:
    Pet: { type: object, properties: { id: { type: integer }, name: { type: string } } }
`;

async function collection(slug: string, on: TestGatehouse = t): Promise<string> {
  const res = await call(on.api, on.adminToken, 'POST', '/collections', { slug, name: slug, published: true });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function endpointsOf(proxyId: string): Promise<any[]> {
  return (await call(t.api, t.adminToken, 'GET', `/proxies/${proxyId}/endpoints?limit=500`)).body.items;
}

/** Runs `fn` against a gateway of its own started with these OpenAPI import settings (settings are per node). */
async function withImportSettings(
  openapiImport: { allowUrls: boolean; allowPrivateNetworks: boolean },
  fn: (g: TestGatehouse) => Promise<void>,
): Promise<void> {
  const g = await startTestGatehouse('sqlite', { openapiImport });
  try {
    await fn(g);
  } finally {
    await g.close();
  }
}

// The slow document's latch: the test sets both before it asks for /slow.json.
const slowDocument: { requested: () => void; released: Promise<void> } = { requested: () => {}, released: Promise.resolve() };

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  docs = createServer((req, res) => {
    if (req.url === '/orders.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ORDERS_OPENAPI));
    } else if (req.url === '/slow.json') {
      // Sends half the document, then holds the rest until the test releases it: a slow server.
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify(ORDERS_OPENAPI);
      res.write(text.slice(0, text.length / 2));
      slowDocument.requested();
      void slowDocument.released.then(() => res.end(text.slice(text.length / 2)));
    } else if (req.url === '/pets.yaml') {
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end(YAML_DOC);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => docs.listen(0, '127.0.0.1', r));
  docsUrl = `http://127.0.0.1:${(docs.address() as AddressInfo).port}`;
});
afterAll(async () => {
  docs?.close();
  await t?.close();
});

describe('OpenAPI import through the admin API', () => {
  it('imports a document into a collection as a proxy with endpoints, then re-imports in place reporting what changed', async () => {
    const col = await collection('orders-import');
    const first = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, {
      document: ORDERS_OPENAPI,
      basePath: '/orders-import/v1',
      upstreams: ['http://127.0.0.1:9'],
      excludeFromMcp: ['getOrder'],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ proxyCreated: true, counts: { created: 3, updated: 0, unchanged: 0, removed: 0, skipped: 0 } });
    expect(first.body.proxy).toMatchObject({ name: 'Demo Orders API', basePath: '/orders-import/v1', collectionId: col });
    const eps = await endpointsOf(first.body.proxy.id);
    const byOp = Object.fromEntries(eps.map((e) => [e.operationId, e]));
    expect(byOp.getOrder.mcpExposed).toBe(false);
    // Stored pointing at the proxy's shared schemas, which hold each schema once.
    expect(byOp.createOrder).toMatchObject({ method: 'POST', path: '/orders', requestBodyRequired: true, requestBody: { $ref: '#/$defs/NewOrder' } });
    expect(first.body.proxy.schemaCount).toBeGreaterThan(0);
    const storedProxy = await call(t.api, t.adminToken, 'GET', `/proxies/${first.body.proxy.id}`);
    expect(storedProxy.body.schemas.NewOrder).toMatchObject({ type: 'object', required: ['item', 'quantity'] });

    // Same document again: nothing changes.
    const again = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, { document: ORDERS_OPENAPI, basePath: '/orders-import/v1' });
    expect(again.body).toMatchObject({ proxyCreated: false, counts: { created: 0, updated: 0, unchanged: 3, removed: 0 } });
    expect(again.body.proxy.upstreams).toEqual(['http://127.0.0.1:9']);

    // A changed document: one summary edited, one operation gone, one new; the operator's MCP choice survives.
    const changed = structuredClone(ORDERS_OPENAPI) as any;
    changed.paths['/orders'].get.summary = 'List all orders';
    delete changed.paths['/orders'].post;
    changed.paths['/orders/{id}'].delete = { operationId: 'cancelOrder', summary: 'Cancel an order', responses: { '204': { description: 'Cancelled' } } };
    const third = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, { document: changed, basePath: '/orders-import/v1' });
    expect(third.status).toBe(200);
    expect(third.body.counts).toEqual({ created: 1, updated: 1, unchanged: 1, removed: 1, skipped: 0 });
    expect(third.body.updated).toEqual([{ method: 'GET', path: '/orders', fields: ['summary'] }]);
    expect(third.body.removed).toEqual([{ method: 'POST', path: '/orders' }]);
    expect(third.body.created).toEqual([{ method: 'DELETE', path: '/orders/{id}' }]);
    const after = Object.fromEntries((await endpointsOf(first.body.proxy.id)).map((e) => [e.operationId, e]));
    expect(after.getOrder.mcpExposed).toBe(false);

    // The import is audited as one entry on the proxy.
    const audit = await call(t.api, t.adminToken, 'GET', `/audit-logs?action=proxies.import-openapi&resourceId=${first.body.proxy.id}`);
    expect(audit.body.items.length).toBe(3);
  });

  it('reads YAML text and takes the upstream from the document servers', async () => {
    const col = await collection('pets-yaml');
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, { document: YAML_DOC, basePath: '/pets/v1' });
    expect(res.status).toBe(200);
    expect(res.body.proxy.upstreams).toEqual(['https://pets.example.com/api']);
    const eps = await endpointsOf(res.body.proxy.id);
    expect(eps.find((e) => e.operationId === 'listPets')).toMatchObject({
      tags: ['pets'],
      responses: { '200': { type: 'array', items: { $ref: '#/$defs/Pet' } } },
    });
    expect(eps.find((e) => e.operationId === 'deletePet').parameters).toEqual([{ name: 'petId', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('refuses an invalid document with a 422 listing what is wrong, and writes nothing', async () => {
    const col = await collection('bad-doc');
    const before = (await call(t.api, t.adminToken, 'GET', '/proxies?limit=500')).body.items.length;
    const bad = {
      openapi: '3.0.3',
      info: { title: 'Bad', version: '1' },
      paths: {
        '/ok': { get: { responses: { '200': { description: 'fine' } } } },
        '/x': { get: { parameters: [{ name: 'q', in: 'somewhere' }], responses: {} } },
        '/y': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } }, responses: {} } },
      },
    };
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, {
      document: bad,
      basePath: '/bad/v1',
      upstreams: ['http://127.0.0.1:9'],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('GATEHOUSE_OPENAPI_INVALID');
    expect(res.body.error.details).toEqual([
      { path: 'paths./x.get.parameters.0.in', message: expect.stringContaining('path, query, header') },
      { path: 'paths./y.post.requestBody', message: expect.stringContaining('#/components/schemas/Nope') },
    ]);
    expect((await call(t.api, t.adminToken, 'GET', '/proxies?limit=500')).body.items.length).toBe(before);
    const syntax = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, { document: '{"openapi": "3.1.0",', basePath: '/bad/v1' });
    expect(syntax.status).toBe(422);
    const both = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, { basePath: '/bad/v1' });
    expect(both.status).toBe(400);
    const noServer = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, {
      document: { ...ORDERS_OPENAPI, servers: [{ url: '/relative' }] },
      basePath: '/bad/v1',
    });
    expect(noServer.status).toBe(400);
    expect(noServer.body.error.details[0].path).toBe('upstreams');
  });

  it('fetches by URL only when allowed, and never from private addresses unless that is allowed too', async () => {
    const col = await collection('by-url');
    const input = { url: `${docsUrl}/pets.yaml`, basePath: '/by-url/v1' };
    const off = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, input);
    expect(off.status).toBe(422);
    expect(off.body.error.code).toBe('GATEHOUSE_OPENAPI_FETCH_REFUSED');

    await withImportSettings({ allowUrls: true, allowPrivateNetworks: false }, async (g) => {
      const c = await collection('by-url', g);
      const loopback = await call(g.api, g.adminToken, 'POST', `/collections/${c}/import-openapi`, input);
      expect(loopback.status).toBe(422);
      expect(loopback.body.error.message).toContain('loopback');
      const metadata = await call(g.api, g.adminToken, 'POST', `/collections/${c}/import-openapi`, {
        ...input,
        url: 'http://169.254.169.254/latest/openapi.json',
      });
      expect(metadata.body.error.code).toBe('GATEHOUSE_OPENAPI_FETCH_REFUSED');
      const remoteRef = await call(g.api, g.adminToken, 'POST', `/collections/${c}/import-openapi`, {
        document: {
          ...ORDERS_OPENAPI,
          paths: {
            '/r': {
              get: {
                responses: {
                  '200': { description: 'x', content: { 'application/json': { schema: { $ref: `${docsUrl}/orders.json#/components/schemas/Order` } } } },
                },
              },
            },
          },
        },
        basePath: '/by-url/v1',
        upstreams: ['http://127.0.0.1:9'],
      });
      expect(remoteRef.status).toBe(422);
      expect(remoteRef.body.error.message).toMatch(/Remote \$ref .*loopback/);
    });

    await withImportSettings({ allowUrls: true, allowPrivateNetworks: true }, async (g) => {
      const c = await collection('by-url', g);
      const ok = await call(g.api, g.adminToken, 'POST', `/collections/${c}/import-openapi`, input);
      expect(ok.status).toBe(200);
      expect(ok.body.counts.created).toBe(2);
      const missing = await call(g.api, g.adminToken, 'POST', `/collections/${c}/import-openapi`, { ...input, url: `${docsUrl}/missing.json` });
      expect(missing.body.error.code).toBe('GATEHOUSE_OPENAPI_FETCH_FAILED');
    });
    // The settings of one node never leak into another in the same process.
    const stillOff = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, input);
    expect(stillOff.body.error.code).toBe('GATEHOUSE_OPENAPI_FETCH_REFUSED');
  });

  it("imports GitHub's published OpenAPI description (~1,000 operations) in bounded memory (its time is a bench figure: npm run bench -- --timing-bounds)", async () => {
    const col = await collection('github');
    const text = readFileSync(new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url), 'utf8');
    const heapBefore = process.memoryUsage().heapUsed;
    const out = (await t.gh.executor.execute(
      'proxies.import-openapi',
      { collectionId: col, document: text, basePath: '/github', excludeFromMcp: ['DELETE /repos/{owner}/{repo}'] },
      LOCAL,
    )) as any;
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
    expect(out.counts.created).toBeGreaterThan(1_000);
    // Every GitHub path routes, including the one with two parameters in a segment (`{base}...{head}`).
    expect(out.skipped).toEqual([]);
    expect(out.proxy.upstreams).toEqual(['https://api.github.com']);
    expect(heapGrowthMb).toBeLessThan(600);
    const stored = await t.gh.executor.execute('endpoints.list', { proxyId: out.proxy.id, limit: 500 }, LOCAL);
    expect((stored as any).items.length).toBe(500);
    // Re-importing the same document changes nothing.
    const again = (await t.gh.executor.execute('proxies.import-openapi', { collectionId: col, document: text, basePath: '/github' }, LOCAL)) as any;
    expect(again.counts).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: out.counts.created });
    expect(out.counts.created).toBe(1_223);
  }, 60_000);

  it('accepts a large description uploaded over the admin API, while other routes keep the 1 MiB limit', async () => {
    const col = await collection('github-upload');
    const text = readFileSync(new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url), 'utf8');
    expect(text.length).toBeGreaterThan(5_000_000);
    const res = await call(t.api, t.adminToken, 'POST', `/collections/${col}/import-openapi`, `{"basePath":"/github-upload","document":${text}}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.counts.created).toBe(1_223);
    const other = await call(t.api, t.adminToken, 'POST', '/policies', { name: 'x'.repeat(1_100_000) });
    expect(other.status).toBe(413);
  }, 60_000);

  it('fetches a document by URL without holding the store: other admin calls answer meanwhile', async () => {
    await withImportSettings({ allowUrls: true, allowPrivateNetworks: true }, async (g) => {
      const col = await collection('slow-url', g);
      const requested = new Promise<void>((resolve) => {
        slowDocument.requested = resolve;
      });
      let release!: () => void;
      slowDocument.released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let importFinished = false;
      const importing = call(g.api, g.adminToken, 'POST', `/collections/${col}/import-openapi`, {
        url: `${docsUrl}/slow.json`,
        basePath: '/slow-url/v1',
        upstreams: ['http://127.0.0.1:9'],
      }).finally(() => {
        importFinished = true;
      });
      await requested;
      // The import is now waiting on the document: a write must still go through.
      const write = await call(g.api, g.adminToken, 'POST', '/policies', { name: 'while-importing' });
      expect(write.status).toBe(201);
      expect(importFinished).toBe(false);
      release();
      const done = await importing;
      expect(done.status).toBe(200);
    });
  });
});
