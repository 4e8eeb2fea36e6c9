import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI } from '../../src/demo/orders-api.js';
import { awayFromWindowEdge } from '../support/clock.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

let t: TestGatehouse;
let upstream: SampleUpstream;
let mcpUrl: string;

interface Consumer {
  clientId: string;
  profileId: string;
  token: string;
}
const ids: Record<string, string> = {};
let full: Consumer;
let readOnly: Consumer;
let limited: Consumer;

/** The orders document plus endpoints the sample upstream also serves. */
const SHOP_DOC = structuredClone(ORDERS_OPENAPI) as any;
SHOP_DOC.paths['/download'] = {
  get: {
    operationId: 'download',
    summary: 'Download bytes',
    parameters: [{ name: 'bytes', in: 'query', required: true, schema: { type: 'integer', minimum: 1, maximum: 10_000_000 } }],
    responses: { '200': { description: 'Bytes' } },
  },
};
SHOP_DOC.paths['/echo-headers'] = {
  get: {
    operationId: 'echoHeaders',
    summary: 'Echo request headers',
    parameters: [{ name: 'X-Trace', in: 'header', schema: { type: 'string' } }],
    responses: { '200': { description: 'The headers' } },
  },
};
SHOP_DOC.paths['/orders/{id}'].delete = {
  operationId: 'cancelOrder',
  summary: 'Cancel an order',
  parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
  responses: { '204': { description: 'Cancelled' } },
};

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function consumer(clientId: string, profile: Record<string, unknown>): Promise<Consumer> {
  const p = await admin('POST', '/profiles', { clientId, name: `p-${Math.random().toString(36).slice(2, 8)}`, authType: 'token', ...profile });
  const issued = await admin('POST', `/profiles/${p.id}/credentials`, {});
  return { clientId, profileId: p.id, token: issued.token };
}

function headersOf(c: Consumer): Record<string, string> {
  return { authorization: `Bearer ${c.token}`, 'x-client-id': c.clientId, 'x-profile-id': c.profileId };
}

async function v2(c: Consumer, mode: 'auto' | 'legacy'): Promise<Client> {
  const client = new Client({ name: `v2-${mode}`, version: '2.4.0' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: headersOf(c) } }));
  return client;
}

async function v1(c: Consumer): Promise<V1Client> {
  const client = new V1Client({ name: 'v1-sdk', version: '1.32.2' });
  await client.connect(new V1Transport(new URL(mcpUrl), { requestInit: { headers: headersOf(c) } }));
  return client;
}

type AnyClient = { callTool(p: { name: string; arguments?: Record<string, unknown> }): Promise<any>; listTools(): Promise<any>; close(): Promise<void> };

async function tool(client: AnyClient, name: string, args: Record<string, unknown> = {}): Promise<any> {
  return client.callTool({ name, arguments: args });
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startUpstream();
  mcpUrl = `${t.gh.urls.proxy}/mcp`;
  const shop = await admin('POST', '/collections', { slug: 'shop', name: 'Shop', description: 'Orders and downloads', published: true });
  const internal = await admin('POST', '/collections', { slug: 'internal', name: 'Internal', description: 'Back office', published: true });
  ids.shop = shop.id;
  ids.internal = internal.id;
  const imported = await admin('POST', `/collections/${shop.id}/import-openapi`, {
    document: SHOP_DOC,
    basePath: '/shop/v1',
    upstreams: [upstream.url],
    excludeFromMcp: ['cancelOrder'],
  });
  ids.shopProxy = imported.proxy.id;
  const back = await admin('POST', '/proxies', { collectionId: internal.id, name: 'Back office', basePath: '/internal/v1', upstreams: [upstream.url] });
  await admin('POST', `/proxies/${back.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'List back-office orders' });
  await admin('POST', `/proxies/${back.id}/endpoints`, {
    method: 'POST',
    path: '/orders',
    summary: 'Create a back-office order',
    requestBody: { type: 'object' },
  });
  const policy = await admin('POST', '/policies', { name: 'tight', rateLimits: [{ window: 'minute', limit: 3 }] });
  const client = await admin('POST', '/clients', { name: 'AI partner', collectionIds: [shop.id, internal.id] });
  full = await consumer(client.id, {});
  readOnly = await consumer(client.id, { collectionIds: [internal.id], allowedMethods: ['GET'] });
  limited = await consumer(client.id, { policyId: policy.id });
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

const EXPECTED_TOOLS = ['list_collections', 'list_endpoints', 'search_endpoints', 'inspect_contract', 'execute_call'];

describe('Gateway MCP with the official SDK clients', () => {
  const clients: Array<[string, (c: Consumer) => Promise<AnyClient>]> = [
    ['v2 client, 2026-07-28 (auto negotiation)', (c) => v2(c, 'auto')],
    ['v2 client, 2025 legacy handshake', (c) => v2(c, 'legacy')],
    ['v1 @modelcontextprotocol/sdk client', (c) => v1(c)],
  ];
  for (const [label, connect] of clients) {
    it(`${label}: lists tools, discovers, inspects and executes`, async () => {
      const client = await connect(full);
      try {
        if (client instanceof Client) expect(client.getNegotiatedProtocolVersion()).toBe(label.includes('2026') ? '2026-07-28' : '2025-11-25');
        const { tools } = await client.listTools();
        expect(tools.map((x: any) => x.name)).toEqual(EXPECTED_TOOLS);
        const annotations = Object.fromEntries(tools.map((x: any) => [x.name, x.annotations.readOnlyHint]));
        expect(annotations).toEqual({ list_collections: true, list_endpoints: true, search_endpoints: true, inspect_contract: true, execute_call: false });

        const cols = await tool(client, 'list_collections');
        expect(cols.structuredContent.collections).toEqual([
          { slug: 'shop', name: 'Shop', description: 'Orders and downloads', endpointCount: 5 },
          { slug: 'internal', name: 'Internal', description: 'Back office', endpointCount: 2 },
        ]);
        const eps = await tool(client, 'list_endpoints', { collection: 'shop' });
        expect(eps.structuredContent.endpoints.map((e: any) => `${e.method} ${e.path}`)).toEqual([
          'GET /shop/v1/download',
          'GET /shop/v1/echo-headers',
          'GET /shop/v1/orders',
          'POST /shop/v1/orders',
          'GET /shop/v1/orders/{id}',
        ]);
        const found = await tool(client, 'search_endpoints', { query: 'create an order' });
        expect(found.structuredContent.results[0]).toMatchObject({ method: 'POST', path: '/shop/v1/orders', collection: 'shop' });

        const contract = await tool(client, 'inspect_contract', { endpoint: 'POST /shop/v1/orders' });
        expect(contract.isError).toBeFalsy();
        expect(contract.structuredContent).toMatchObject({
          method: 'POST',
          path: '/shop/v1/orders',
          requestBody: { contentType: 'application/json', required: true, schema: { required: ['item', 'quantity'] } },
          responses: { '201': { type: 'object' } },
          auth: { type: 'token' },
          limits: { limited: false },
          executeCall: { params: { required: ['body'] } },
        });

        const one = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '2' } } });
        expect(one.isError).toBeFalsy();
        expect(one.structuredContent).toMatchObject({ status: 200, body: { id: '2', item: 'pen' }, headers: { 'content-type': 'application/json' } });
        expect(JSON.parse(one.content[0].text).body).toEqual({ id: '2', item: 'pen', qty: 3 });

        const created = await tool(client, 'execute_call', { endpoint: 'POST /shop/v1/orders', params: { body: { item: 'lamp', quantity: 2 } } });
        expect(created.structuredContent).toMatchObject({ status: 201, body: { item: 'lamp', quantity: 2 } });
      } finally {
        await client.close();
      }
    });
  }

  it('answers the hot path (well-formed tools/list and tools/call) exactly as the SDK path does, in both eras', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const post = async (body: unknown, headers: Record<string, string>) => {
      const res = await fetch(mcpUrl, {
        method: 'POST',
        headers: { ...headersOf(full), 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      // The SDK's 2025 stateless path answers over SSE; the hot path with plain JSON (the client accepts both).
      return JSON.parse(text.startsWith('event:') ? text.slice(text.indexOf('data: ') + 6) : text);
    };
    const args = { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } };
    for (const [method, params, name] of [
      ['tools/list', {}, undefined],
      ['tools/call', { name: 'execute_call', arguments: args }, 'execute_call'],
      ['tools/call', { name: 'search_endpoints', arguments: { query: 'orders' } }, 'search_endpoints'],
    ] as const) {
      const modernHeaders = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) };
      const fast = await post({ jsonrpc: '2.0', id: 7, method, params: { ...params, _meta: meta } }, modernHeaders);
      // An extra (valid) envelope field sends the same request down the SDK's own path.
      const sdk = await post(
        { jsonrpc: '2.0', id: 7, method, params: { ...params, _meta: { ...meta, 'io.modelcontextprotocol/logLevel': 'error' } } },
        modernHeaders,
      );
      // Request ids differ per call; everything else must be identical.
      const strip = (r: any) => JSON.parse(JSON.stringify(r).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'x'));
      expect(strip(fast)).toEqual(strip(sdk));
      const legacyFast = await post({ jsonrpc: '2.0', id: 8, method, params }, {});
      const legacySdk = await post({ jsonrpc: '2.0', id: 8, method, params: { ...params, _meta: {} } }, {});
      expect(strip(legacyFast)).toEqual(strip(legacySdk));
    }
  });

  it('refuses a missing or bad credential with a 401 JSON error before any MCP processing', async () => {
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const post = (headers: Record<string, string>) =>
      fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: init });
    const none = await post({});
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.code).toBe('GATEHOUSE_CREDENTIAL_MISSING');
    const bad = await post({ authorization: 'Bearer ghk_not-a-real-token' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as any).error.code).toBe('GATEHOUSE_CREDENTIAL_INVALID');
    const mismatch = await post({ ...headersOf(full), 'x-profile-id': readOnly.profileId });
    expect(mismatch.status).toBe(401);
    expect(((await mismatch.json()) as any).error.code).toBe('GATEHOUSE_CLIENT_MISMATCH');
    const evil = await post({ ...headersOf(full), origin: 'https://evil.example.com' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as any).error.code).toBe('GATEHOUSE_MCP_ORIGIN_DENIED');
    const notJson = await fetch(mcpUrl, {
      method: 'POST',
      headers: { ...headersOf(full), 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe(-32700);
  });

  it('scopes everything to the profile: another profile sees another catalog, and the rest is refused without names', async () => {
    const client = await v2(readOnly, 'auto');
    try {
      const cols = await tool(client, 'list_collections');
      expect(cols.structuredContent.collections).toEqual([{ slug: 'internal', name: 'Internal', description: 'Back office', endpointCount: 1 }]);
      const search = await tool(client, 'search_endpoints', { query: 'orders' });
      expect(search.structuredContent.results.map((r: any) => `${r.method} ${r.path}`)).toEqual(['GET /internal/v1/orders']);
      const shop = await tool(client, 'list_endpoints', { collection: 'shop' });
      expect(shop.isError).toBe(true);
      expect(shop.structuredContent.error.code).toBe('GATEHOUSE_MCP_UNKNOWN_COLLECTION');
      for (const endpoint of ['GET /shop/v1/orders/{id}', 'POST /internal/v1/orders', 'GET /nowhere']) {
        const res = await tool(client, 'execute_call', { endpoint, params: { path: { id: '1' } } });
        expect(res.isError).toBe(true);
        expect(res.structuredContent.error.code).toBe('GATEHOUSE_MCP_UNKNOWN_ENDPOINT');
        const inspect = await tool(client, 'inspect_contract', { endpoint });
        expect(inspect.structuredContent.error.code).toBe('GATEHOUSE_MCP_UNKNOWN_ENDPOINT');
      }
      // An endpoint excluded from MCP is not listed or callable, even for a profile that reaches its collection.
      const fullClient = await v2(full, 'legacy');
      const hidden = await tool(fullClient, 'execute_call', { endpoint: 'DELETE /shop/v1/orders/{id}', params: { path: { id: '1' } } });
      expect(hidden.structuredContent.error.code).toBe('GATEHOUSE_MCP_UNKNOWN_ENDPOINT');
      await fullClient.close();
    } finally {
      await client.close();
    }
  });

  it('validates params against the contract first: bad params never reach the upstream, and the error names the field', async () => {
    const client = await v2(full, 'auto');
    try {
      const before = upstream.requests;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ endpoint: 'GET /shop/v1/orders/{id}', params: {} }, 'params.path'],
        [{ endpoint: 'POST /shop/v1/orders', params: { body: { item: 'x', quantity: 0 } } }, 'params.body.quantity'],
        [{ endpoint: 'POST /shop/v1/orders', params: { body: { item: 'x' } } }, 'params.body.quantity'],
        [{ endpoint: 'GET /shop/v1/orders', params: { query: { status: 'lost' } } }, 'params.query.status'],
        [{ endpoint: 'GET /shop/v1/orders', params: { query: { color: 'red' } } }, 'params.query.color'],
        [{ endpoint: 'GET /shop/v1/download', params: { query: { bytes: 'many' } } }, 'params.query.bytes'],
        [{ endpoint: 'GET /shop/v1/echo-headers', params: { headers: { authorization: 'Bearer stolen' } } }, 'params.headers.authorization'],
        [{ endpoint: 'GET /shop/v1/echo-headers', params: { headers: { 'x-other': '1' } } }, 'params.headers.x-other'],
      ];
      for (const [args, field] of cases) {
        const res = await tool(client, 'execute_call', args);
        expect(res.isError, field).toBe(true);
        expect(res.structuredContent.error.code, field).toBe('GATEHOUSE_MCP_INVALID_ARGUMENTS');
        expect(
          res.structuredContent.error.details.map((d: any) => d.path),
          field,
        ).toContain(field);
      }
      expect(upstream.requests).toBe(before);
      // Declared headers and coerced query values do go through.
      const echoed = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/echo-headers', params: { headers: { 'X-Trace': 'abc' } } });
      expect(echoed.structuredContent.body.headers['x-trace']).toBe('abc');
      expect(echoed.structuredContent.body.headers.authorization).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('returns upstream errors as isError results with the upstream body, and truncates long bodies with a marker', async () => {
    const client = await v2(full, 'auto');
    try {
      const missing = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '999' } } });
      expect(missing.isError).toBe(true);
      expect(missing.structuredContent).toMatchObject({ error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR' }, status: 404, body: { message: 'no such order' } });
      const big = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/download', params: { query: { bytes: 200_000 } } });
      expect(big.isError).toBeFalsy();
      expect(big.structuredContent.truncated).toEqual({
        shownBytes: 65_536,
        totalBytes: 200_000,
        marker: '[truncated: showing the first 65536 of 200000 bytes]',
      });
      expect(big.structuredContent.body).toHaveLength(65_536);
    } finally {
      await client.close();
    }
  });

  it('shares rate limits with REST: REST calls use up the window and the MCP call gets the 429 as a tool error', async () => {
    // The policy's window is a minute on the real clock: its edge must not fall between the calls.
    await awayFromWindowEdge(60_000, 5_000);
    const client = await v2(limited, 'auto');
    try {
      const contract = await tool(client, 'inspect_contract', { endpoint: 'GET /shop/v1/orders' });
      expect(contract.structuredContent.limits).toMatchObject({
        limited: true,
        rateLimits: [{ window: 'minute', limit: 3 }],
        remaining: [{ kind: 'rate', window: 'minute', limit: 3, remaining: 3 }],
      });
      for (let i = 0; i < 3; i++) {
        const rest = await fetch(`${t.gh.urls.proxy}/shop/v1/orders`, { headers: { authorization: `Bearer ${limited.token}` } });
        expect(rest.status).toBe(200);
      }
      const after = await tool(client, 'inspect_contract', { endpoint: 'GET /shop/v1/orders' });
      expect(after.structuredContent.limits.remaining).toMatchObject([{ remaining: 0 }]);
      const before = upstream.requests;
      const res = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders' });
      expect(res.isError).toBe(true);
      expect(res.structuredContent.error).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED', status: 429 });
      expect(res.structuredContent.error.headers['retry-after']).toBeDefined();
      expect(upstream.requests).toBe(before);
    } finally {
      await client.close();
    }
  });

  it('says a client with a broken policy is refused, in inspect_contract and in execute_call', async () => {
    const policy = await admin('POST', '/policies', { name: 'soon broken', rateLimits: [{ window: 'minute', limit: 100 }] });
    const client = await admin('POST', '/clients', { name: 'Broken policy partner', collectionIds: [ids.shop], policyId: policy.id });
    const broken = await consumer(client.id, {});
    // A row broken behind the executor's back, stamped as a write would stamp it: the next sync reads it.
    await t.db.db
      .updateTable('resources')
      .set((eb) => ({ data: '{"name":"soon broken","rateLimits":"not a list"}', version: eb('version', '+', 1), updated_at: new Date().toISOString() }))
      .where('id', '=', policy.id)
      .execute();
    await admin('POST', '/collections', { slug: 'nudge', name: 'Nudge' });
    const mcp = await v2(broken, 'auto');
    try {
      const contract = await tool(mcp, 'inspect_contract', { endpoint: 'GET /shop/v1/orders' });
      expect(contract.structuredContent.limits).toMatchObject({ limited: true, unavailable: true });
      expect(contract.structuredContent.limits.note).toContain('GATEHOUSE_LIMITER_UNAVAILABLE');
      const before = upstream.requests;
      const res = await tool(mcp, 'execute_call', { endpoint: 'GET /shop/v1/orders' });
      expect(res.isError).toBe(true);
      expect(res.structuredContent.error).toMatchObject({ code: 'GATEHOUSE_LIMITER_UNAVAILABLE', status: 503 });
      expect(upstream.requests).toBe(before);
    } finally {
      await mcp.close();
    }
  });

  it('logs each execute_call in the request log with channel mcp, the MCP client, the tool and the endpoint', async () => {
    const client = await v1(full);
    const legacy = await v2(full, 'legacy');
    try {
      await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
      await tool(legacy, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    } finally {
      await client.close();
      await legacy.close();
    }
    const endpoints = await admin('GET', `/proxies/${ids.shopProxy}/endpoints`);
    const getOrder = endpoints.items.find((e: any) => e.operationId === 'getOrder');
    let items: any[] = [];
    for (let i = 0; i < 50; i++) {
      items = (await admin('GET', `/request-logs?path=/shop/v1/orders/1&limit=100`)).items.filter((r: any) => r.channel === 'mcp');
      if (items.some((r: any) => r.mcpClient === 'v1-sdk/1.32.2') && items.some((r: any) => r.mcpClient === 'v2-legacy/2.4.0')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const entry = items.find((r: any) => r.mcpClient === 'v1-sdk/1.32.2');
    expect(entry).toMatchObject({
      channel: 'mcp',
      mcpTool: 'execute_call',
      endpointId: getOrder.id,
      collectionId: ids.shop,
      clientId: full.clientId,
      profileId: full.profileId,
      method: 'GET',
      status: 200,
    });
    expect(items.some((r: any) => r.mcpClient === 'v2-legacy/2.4.0')).toBe(true);
    const modern = (await admin('GET', '/request-logs?limit=200')).items.filter((r: any) => r.mcpClient === 'v2-auto/2.4.0');
    expect(modern.length).toBeGreaterThan(0);
  });
});
