import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Ajv } from 'ajv';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI, startOrdersApi } from '../../src/demo/orders-api.js';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

/**
 * REST operations of the demo orders API as named tools of a virtual server, beside
 * server-everything's `echo`, called with the official SDK v2 and v1 clients. Each call runs the
 * proxy's REST pipeline as the caller's profile: its policy's rate limit, its `detect_pii`
 * workflow and its request log apply to the tool call exactly as to the REST call.
 */

let t: TestGatehouse;
let orders: Awaited<ReturnType<typeof startOrdersApi>>;
let everything: EverythingUpstream;
/** The REST credential of the profile the service account acts as. */
let restToken: string;
/** Virtual-server tokens: of the service account the profile names, and of one it does not. */
let token: string;
let strangerToken: string;
/** The service account's token for the REST-only server. */
let opsToken: string;
/** The same for a profile whose policy allows 3 calls an hour. */
let limitedRestToken: string;
let limitedToken: string;
const EMAIL = 'ada.lovelace@example.org';
// Key-shaped, built at run time (AWS's documented AKIAIOSFODNN7EXAMPLE is a placeholder, not a secret).
const AWS_KEY = ['AKIA', 'Q7LM3XZ2P4RT6WNB'].join('');
const virtualUrl = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const opened: Array<{ close(): Promise<void> }> = [];
let shopId: string;

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function v2(bearer: string, slug = 'team'): Promise<Client> {
  return connectedClient(virtualUrl(slug), bearer, { name: 'rest-tools-test', keep: opened });
}

async function rest(method: string, path: string, body?: unknown, bearer = restToken): Promise<{ status: number; body: any; requestId: string | null }> {
  const res = await fetch(`${t.gh.urls.proxy}/shop/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, requestId: res.headers.get('x-request-id') };
}

/** A JSON-RPC answer as sent: the JSON body, or the `data:` event of a stream answering `id`. */
async function rpcAnswer(res: Response, id: number): Promise<any> {
  const body = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return JSON.parse(body);
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const message = JSON.parse(line.slice(5));
    if (message.id === id) return message;
  }
  throw new Error(`no answer to ${id} in ${body.slice(0, 200)}`);
}

/** The `tools/list` result exactly as a client receives it on the wire (no SDK parsing in between), as JSON text. */
async function listedOnTheWire(bearer: string, slug: string): Promise<string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  const post = (body: unknown, extra: Record<string, string> = {}) =>
    fetch(virtualUrl(slug), { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  const init = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'wire', version: '1' } },
  });
  const session = init.headers.get('mcp-session-id');
  const initialized = await rpcAnswer(init, 1);
  const extra: Record<string, string> = { 'mcp-protocol-version': initialized.result.protocolVersion, ...(session ? { 'mcp-session-id': session } : {}) };
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, extra)).text();
  const listed = await rpcAnswer(await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, extra), 2);
  return JSON.stringify(listed.result);
}

/** The request-log rows matching `where`, waiting for the asynchronous writer. */
async function logged(where: (row: any) => boolean, count = 1): Promise<any[]> {
  for (let i = 0; i < 100; i++) {
    const rows = (await admin('GET', '/request-logs?limit=200')).items.filter(where);
    if (rows.length >= count) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no such request-log rows');
}

beforeAll(async () => {
  [t, orders, everything] = await Promise.all([startTestGatehouse('sqlite'), startOrdersApi(), startEverything()]);
  const shop = await admin('POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
  shopId = shop.id;
  const imported = await admin('POST', `/collections/${shop.id}/import-openapi`, { document: ORDERS_OPENAPI, basePath: '/shop/v1', upstreams: [orders.url] });
  // The proxy's guardrails: a secret in a request is refused; an email in an answer is redacted.
  const pii = await admin('POST', '/workflows', {
    name: 'shop-pii',
    request: [
      { type: 'detect_pii', id: 'no-secrets', types: ['secret'], action: 'block' },
      // And big orders wait for a person's approval.
      {
        type: 'tool_policy',
        id: 'big',
        rules: [{ when: 'tool.method == "POST" && arguments.quantity > 50', decision: 'approval', reason: 'big orders are reviewed' }],
        approvalTtlSeconds: 60,
      },
    ],
    response: [{ type: 'detect_pii', id: 'no-mail', types: ['email'] }],
    bodyLimitBytes: 65_536,
  });
  await admin('PATCH', `/proxies/${imported.proxy.id}`, { workflowId: pii.id, workflowVersion: null });
  const [sa, stranger, limitedSa] = await Promise.all([t.serviceAccount('viewer'), t.serviceAccount('viewer'), t.serviceAccount('viewer')]);
  const agent = async (name: string, limit: number, who: string) => {
    const policy = await admin('POST', '/policies', { name, rateLimits: [{ window: 'hour', limit }] });
    const client = await admin('POST', '/clients', { name, collectionIds: [shop.id], policyId: policy.id });
    // The service account may act as this profile (as a person signs in to the Gateway MCP as one).
    const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'team', authType: 'token', signInUsers: [who] });
    return (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token as string;
  };
  restToken = await agent('roomy', 1_000, sa.clientId);
  limitedRestToken = await agent('tight', 3, limitedSa.clientId);
  const server = await admin('POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
  await admin('POST', '/virtual-mcps', {
    slug: 'team',
    name: 'Team',
    upstreamIds: [server.id],
    tools: [{ upstreamId: server.id, name: 'echo' }],
    restTools: [
      { operation: 'createOrder', name: 'create_order' },
      // By route as the catalog lists it, with the description overridden.
      { operation: 'GET /shop/v1/orders/{id}', name: 'get_order', description: 'Looks one order up by its id.' },
    ],
    published: true,
  });
  // A server of REST tools only, curated as upstream tools are: a tool policy of its own, and a per-caller limit on one tool.
  const policy = await admin('POST', '/workflows', {
    name: 'ops-policy',
    request: [
      {
        type: 'tool_policy',
        id: 'bulk',
        rules: [{ when: 'tool.name == "create_order" && arguments.body.quantity > 100', decision: 'deny', reason: 'bulk orders go through sales' }],
      },
    ],
    bodyLimitBytes: 65_536,
  });
  await admin('POST', '/virtual-mcps', {
    slug: 'ops',
    name: 'Ops',
    upstreamIds: [],
    restTools: [
      { operation: 'createOrder', name: 'create_order' },
      // By operationId within a collection.
      { operation: 'shop:listOrders', name: 'list_orders', rateLimit: { window: 'day', limit: 1 } },
    ],
    workflows: [{ workflowId: policy.id }],
    published: true,
  });
  opsToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: virtualUrl('ops') });
  token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: virtualUrl('team') });
  strangerToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...stranger, resource: virtualUrl('team') });
  limitedToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...limitedSa, resource: virtualUrl('team') });
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
  await t?.close();
  await orders?.close();
  await everything?.close();
});

describe('REST operations as tools of a virtual server', () => {
  it('lists them beside the upstream tool, with schemas from the contract and hints from the method', async () => {
    const { tools } = await (await v2(token)).listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['create_order', 'echo', 'get_order']);
    const create = tools.find((tool) => tool.name === 'create_order')!;
    expect(create.description).toContain('Create an order');
    expect(create.description).toContain('POST /shop/v1/orders');
    // The body's $ref to NewOrder is resolved in the input schema; the output schema is the 201 answer's Order.
    expect(create.inputSchema).toMatchObject({
      type: 'object',
      required: ['body'],
      properties: {
        body: { type: 'object', required: ['item', 'quantity'], properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } },
      },
    });
    expect(create.outputSchema).toMatchObject({ type: 'object', required: ['id', 'item', 'quantity', 'status'] });
    expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    const get = tools.find((tool) => tool.name === 'get_order')!;
    expect(get.description).toBe('Looks one order up by its id.');
    expect(get.inputSchema).toMatchObject({ required: ['path'], properties: { path: { properties: { id: { type: 'string' } }, required: ['id'] } } });
    expect(get.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  });

  it('counts them in the context view: its tool list and listing tokens are those of the listing clients receive', async () => {
    const team = (await admin('GET', '/virtual-mcps?limit=100')).items.find((v: { slug: string }) => v.slug === 'team');
    const view = (await admin('GET', `/virtual-mcps/${team.id}/context`)) as {
      tokenizer: string;
      listingTokens: number;
      tools: Array<{ name: string; tokens: number }>;
      notListed: number;
    };
    const wire = await listedOnTheWire(token, 'team');
    const listed = (JSON.parse(wire) as { tools: Array<Record<string, unknown>> }).tools;
    // The SDK client sees the same tools.
    expect((await (await v2(token)).listTools()).tools.map((tool) => tool.name)).toEqual(listed.map((tool) => tool.name));
    expect(view.tokenizer).toBe('o200k_base');
    expect(view.tools.map((tool) => tool.name).sort()).toEqual(['create_order', 'echo', 'get_order']);
    expect(view.listingTokens).toBe(countTokens(wire));
    for (const tool of listed) expect(view.tools.find((x) => x.name === tool.name)?.tokens, String(tool.name)).toBe(countTokens(JSON.stringify(tool)));
    expect(view.notListed).toBe(0);
  });

  it('calls them with a JSON body and a path parameter, answering structuredContent valid against the output schema (SDK v2)', async () => {
    const client = await v2(token);
    const { tools } = await client.listTools();
    const created = await client.callTool({ name: 'create_order', arguments: { body: { item: 'Kettle', quantity: 2 } } });
    expect(created.isError).toBeFalsy();
    const order = created.structuredContent as { id: string; item: string; quantity: number; status: string };
    expect(order).toMatchObject({ item: 'Kettle', quantity: 2, status: 'open' });
    const validate = new Ajv({ strict: false }).compile(tools.find((tool) => tool.name === 'create_order')!.outputSchema!);
    expect(validate(order), JSON.stringify(validate.errors)).toBe(true);
    const got = await client.callTool({ name: 'get_order', arguments: { path: { id: order.id } } });
    expect(got.structuredContent).toEqual(order);
    expect(JSON.parse((got.content as Array<{ text: string }>)[0]!.text)).toEqual(order);
    // The upstream MCP tool beside them still works.
    const echoed = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    expect(JSON.stringify(echoed.content)).toContain('hi');
  });

  it('serves a 2026-07-28 caller alike', async () => {
    const client = new Client({ name: 'modern', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new StreamableHTTPClientTransport(new URL(virtualUrl('team')), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    opened.push(client);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['create_order', 'echo', 'get_order']);
    const created = await client.callTool({ name: 'create_order', arguments: { body: { item: 'Teapot', quantity: 1 } } });
    const { id } = created.structuredContent as { id: string };
    expect((await client.callTool({ name: 'get_order', arguments: { path: { id } } })).structuredContent).toMatchObject({ id, item: 'Teapot' });
  });

  it('refuses a task-augmented call with -32601: an operation never runs as a task, and nothing is created', async () => {
    const client = await v2(token);
    const before = (await rest('GET', '/orders')).body;
    const refused = await client
      .request(
        { method: 'tools/call', params: { name: 'create_order', arguments: { body: { item: 'Lamp', quantity: 1 } }, task: { ttl: 60_000 } } } as never,
        specTypeSchemas.CreateTaskResult as never,
      )
      .then(
        (result) => ({ result }),
        (err: unknown) => ({ code: (err as { code?: number }).code }),
      );
    expect(refused).toEqual({ code: -32601 });
    expect((await rest('GET', '/orders')).body).toEqual(before);
  });

  it('answers arguments outside the contract and the API’s own 404 as tool errors with stable codes', async () => {
    const client = await v2(token);
    const bad = await client.callTool({ name: 'create_order', arguments: { body: { item: 'Kettle' } } });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('GATEHOUSE_MCP_INVALID_ARGUMENTS');
    expect(JSON.stringify(bad.content)).toContain('params.body.quantity');
    const missing = await client.callTool({ name: 'get_order', arguments: { path: { id: 'nope' } } });
    expect(missing.isError).toBe(true);
    const error = JSON.parse((missing.content as Array<{ text: string }>)[0]!.text);
    expect(error).toMatchObject({ error: { code: 'GATEHOUSE_MCP_UPSTREAM_ERROR', status: 404 }, body: { message: 'no such order' } });
  });

  it('runs the proxy’s detect_pii workflow on the tool call as on the REST call', async () => {
    const client = await v2(token);
    const viaRest = await rest('POST', '/orders', { item: `gift for ${EMAIL}`, quantity: 1 });
    expect(viaRest.status).toBe(201);
    expect(viaRest.body.item).toBe('gift for [EMAIL]');
    const viaTool = await client.callTool({ name: 'create_order', arguments: { body: { item: `gift for ${EMAIL}`, quantity: 1 } } });
    expect((viaTool.structuredContent as { item: string }).item).toBe('gift for [EMAIL]');
    expect(JSON.stringify(viaTool)).not.toContain(EMAIL);

    const blockedRest = await rest('POST', '/orders', { item: AWS_KEY, quantity: 1 });
    expect(blockedRest.status).toBe(422);
    expect(blockedRest.body.error.code).toBe('GATEHOUSE_GUARDRAIL_BLOCKED');
    const blockedTool = await client.callTool({ name: 'create_order', arguments: { body: { item: AWS_KEY, quantity: 1 } } });
    expect(blockedTool.isError).toBe(true);
    expect(blockedTool._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_GUARDRAIL_BLOCKED' });
    expect(JSON.stringify(blockedTool)).not.toContain(AWS_KEY);
  });

  it('holds a call the proxy’s workflow sends for approval, and passes it once approved', async () => {
    const client = await v2(token);
    const order = { name: 'create_order', arguments: { body: { item: 'Desks', quantity: 80 } } };
    const held = await client.callTool(order);
    expect(held.isError).toBe(true);
    const error = held._meta?.['io.gatehouse/error'] as { code: string; approvalId: string; approvalUrl: string };
    expect(error).toMatchObject({ code: 'GATEHOUSE_APPROVAL_REQUIRED', approvalId: expect.stringMatching(/^apr_/) });
    expect(error.approvalUrl).toContain(`/console/approvals/${error.approvalId}`);
    expect((await call(t.api, t.adminToken, 'POST', `/approvals/${error.approvalId}/approve`, { reason: 'quarterly restock' })).status).toBe(200);
    const passed = await client.callTool(order);
    expect(passed.isError).toBeFalsy();
    expect(passed.structuredContent).toMatchObject({ item: 'Desks', quantity: 80 });
  });

  it('records the tool call as one request-log row: the REST pipeline’s, as the caller’s profile, with the virtual server’s facts and tokens', async () => {
    const client = await v2(token);
    const got = await client.callTool({ name: 'get_order', arguments: { path: { id: '1001' } } });
    const requestId = (got._meta as Record<string, { requestId: string }>)['io.gatehouse/rest']!.requestId;
    const text = (got.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('');
    const rows = await logged((r) => r.requestId === requestId);
    // Both would have been handed to the writer in the same tick: a second row would be in the same batch.
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: 'federation',
      method: 'GET',
      path: '/shop/v1/orders/1001',
      status: 200,
      mcpServer: 'team',
      mcpMethod: 'tools/call',
      mcpTool: 'get_order → rest/GET /shop/v1/orders/{id}',
      mcpTokens: countTokens(text),
    });
    expect(rows[0].profileId).toMatch(/^prf_/);
    expect(rows[0].endpointId).toBeTruthy();
    expect(rows[0].subject).toMatch(/^service:/);
    // The MCP analytics count it once, with its tokens (its row is written, so every earlier one is: they go in order).
    const analytics = async () => (await admin('GET', '/mcp-analytics?server=team&tool=get_order')).totals as Record<string, number>;
    const before = await analytics();
    const again = await client.callTool({ name: 'get_order', arguments: { path: { id: '1002' } } });
    const againId = (again._meta as Record<string, { requestId: string }>)['io.gatehouse/rest']!.requestId;
    await logged((r) => r.requestId === againId);
    const after = await analytics();
    const againText = (again.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('');
    expect(after.calls! - before.calls!).toBe(1);
    expect(after.tokensReturned! - before.tokensReturned!).toBe(countTokens(againText));
  });

  it('refuses a caller no profile names, as the REST pipeline refuses a caller without access', async () => {
    const client = await v2(strangerToken);
    const refused = await client.callTool({ name: 'get_order', arguments: { path: { id: '1001' } } });
    expect(refused.isError).toBe(true);
    expect(refused._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_FORBIDDEN' });
  });

  it('calls them from an SDK v1 client, which checks structuredContent against the output schema itself', async () => {
    const client = new V1Client({ name: 'rest-tools-v1', version: '1' });
    await client.connect(new V1Transport(new URL(virtualUrl('team')), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    opened.push(client);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['create_order', 'echo', 'get_order']);
    const created = await client.callTool({ name: 'create_order', arguments: { body: { item: 'Mug', quantity: 3 } } });
    expect(created.structuredContent).toMatchObject({ item: 'Mug', quantity: 3, status: 'open' });
    // An error on a tool with an output schema carries no structuredContent, so the v1 client reports the gateway's error.
    const missing = await client.callTool({ name: 'get_order', arguments: { path: { id: 'nope' } } });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('GATEHOUSE_MCP_UPSTREAM_ERROR');
  });

  it('serves REST tools alone, under the virtual server’s own tool policy and per-tool rate limit', async () => {
    const client = await v2(opsToken, 'ops');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['create_order', 'list_orders']);
    const denied = await client.callTool({ name: 'create_order', arguments: { body: { item: 'Pallet', quantity: 500 } } });
    expect(denied.isError).toBe(true);
    expect(denied._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_POLICY_DENIED' });
    expect((await client.callTool({ name: 'create_order', arguments: { body: { item: 'Pallet', quantity: 5 } } })).isError).toBeFalsy();
    // An array answer has no output schema: it is text.
    const listed = await client.callTool({ name: 'list_orders', arguments: { query: { status: 'shipped' } } });
    expect(listed.structuredContent).toBeUndefined();
    expect(JSON.parse((listed.content as Array<{ text: string }>)[0]!.text)).toEqual([{ id: '1001', item: 'Coffee beans', quantity: 2, status: 'shipped' }]);
    const again = await client.callTool({ name: 'list_orders', arguments: {} });
    expect(again._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED' });
  });

  it('counts tool calls and REST calls against the same policy limit of the caller’s profile', async () => {
    const client = await v2(limitedToken);
    const get = () => client.callTool({ name: 'get_order', arguments: { path: { id: '1001' } } });
    expect((await get()).isError).toBeFalsy();
    expect((await rest('GET', '/orders/1001', undefined, limitedRestToken)).status).toBe(200);
    expect((await get()).isError).toBeFalsy();
    // Three calls an hour: the fourth, by either door, is refused.
    const limited = await get();
    expect(limited.isError).toBe(true);
    expect(limited._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED' });
    expect((await rest('GET', '/orders/1001', undefined, limitedRestToken)).status).toBe(429);
  });

  it('sends the headers a set_headers node of the virtual server’s workflow sets with the REST call, over the model’s, never a credential', async () => {
    // A real API that answers with the headers it received.
    const echo = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ headers: req.headers }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => echo.close(() => resolve())) });
    const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const collection = await admin('POST', '/collections', { slug: 'echo', name: 'Echo', published: true, allowAnonymous: true });
    const document = {
      openapi: '3.1.0',
      info: { title: 'Echo', version: '1' },
      paths: {
        '/headers': {
          get: {
            operationId: 'echoHeaders',
            summary: 'Echo the request headers',
            parameters: [{ name: 'X-Tenant', in: 'header', required: false, schema: { type: 'string' } }],
            responses: { '200': { description: 'The headers', content: { 'application/json': { schema: { type: 'object' } } } } },
          },
        },
      },
    };
    await admin('POST', `/collections/${collection.id}/import-openapi`, { document, basePath: '/echo/v1', upstreams: [echoUrl] });
    const workflow = await admin('POST', '/workflows', {
      name: 'rest-headers',
      request: [
        {
          type: 'set_headers',
          id: 'tenant',
          headers: { 'X-Tenant': 'acme', 'X-Region': 'eu', Authorization: 'Bearer forged', Cookie: 'session=forged', Connection: 'close' },
        },
      ],
    });
    await admin('POST', '/virtual-mcps', {
      slug: 'hdrs',
      name: 'Headers',
      upstreamIds: [],
      restTools: [{ operation: 'echo:echoHeaders', name: 'echo_headers' }],
      workflows: [{ workflowId: workflow.id }],
      published: true,
    });
    const sa = await t.serviceAccount('viewer');
    const bearer = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: virtualUrl('hdrs') });
    const client = await v2(bearer, 'hdrs');
    const answered = await client.callTool({ name: 'echo_headers', arguments: { headers: { 'x-tenant': 'from-the-model' } } });
    expect(answered.isError, JSON.stringify(answered)).toBeFalsy();
    const seen = (answered.structuredContent as { headers: Record<string, string> }).headers;
    expect(seen['x-tenant']).toBe('acme');
    expect(seen['x-region']).toBe('eu');
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen.connection).not.toBe('close');
    // Without the workflow's node, the model's own header argument goes as the contract allows.
    await admin('PATCH', `/virtual-mcps/${(await admin('GET', '/virtual-mcps?limit=100')).items.find((v: { slug: string }) => v.slug === 'hdrs').id}`, {
      workflows: [],
    });
    const plain = await client.callTool({ name: 'echo_headers', arguments: { headers: { 'x-tenant': 'from-the-model' } } });
    const plainSeen = (plain.structuredContent as { headers: Record<string, string> }).headers;
    expect(plainSeen['x-tenant']).toBe('from-the-model');
    expect(plainSeen['x-region']).toBeUndefined();
  });

  // Last: it changes the orders contract under the `team` server.
  it('withholds a REST tool whose contract a re-import changed until an admin approves the new contract', async () => {
    const team = (await admin('GET', '/virtual-mcps?limit=100')).items.find((v: { slug: string }) => v.slug === 'team');
    const before = await admin('GET', `/virtual-mcps/${team.id}/tool-status`);
    expect(before.restTools.map((r: { name: string; state: string }) => [r.name, r.state])).toEqual([
      ['create_order', 'approved'],
      ['get_order', 'approved'],
    ]);
    // The API's owner re-imports its description: getOrder gains a query parameter and a new summary.
    const changed = structuredClone(ORDERS_OPENAPI) as any;
    changed.paths['/orders/{id}'].get.summary = 'Get one order, with its lines';
    changed.paths['/orders/{id}'].get.parameters.push({ name: 'expand', in: 'query', required: false, schema: { type: 'string' } });
    await admin('POST', `/collections/${shopId}/import-openapi`, { document: changed, basePath: '/shop/v1', upstreams: [orders.url] });

    const client = await v2(token);
    const names = async () => (await client.listTools()).tools.map((tool) => tool.name);
    for (let i = 0; i < 50 && (await names()).includes('get_order'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await names()).toEqual(['create_order', 'echo']);
    const refused = await client.callTool({ name: 'get_order', arguments: { path: { id: '1001' }, query: { expand: 'lines' } } });
    expect(refused.isError).toBe(true);
    expect(refused._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_MCP_TOOL_CHANGED' });
    // The REST call itself is the API's own business: it answers.
    expect((await rest('GET', '/orders/1001')).status).toBe(200);
    // The context view counts what clients are listed: the withheld tool is not.
    const view = await admin('GET', `/virtual-mcps/${team.id}/context`);
    expect(view.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(['create_order', 'echo']);
    expect(view.notListed).toBe(1);

    // The admin sees the change beside what was approved, then approves it.
    const status = (await admin('GET', `/virtual-mcps/${team.id}/tool-status`)).restTools.find((r: { name: string }) => r.name === 'get_order');
    expect(status).toMatchObject({ state: 'changed', findings: null });
    expect(status.approved.title).toBe('Get one order');
    expect(status.current.title).toBe('Get one order, with its lines');
    expect(Object.keys(status.current.inputSchema.properties)).toEqual(['path', 'query']);
    await admin('POST', `/virtual-mcps/${team.id}/approve-tools`, { restTools: ['get_order'] });
    for (let i = 0; i < 50 && !(await names()).includes('get_order'); i++) await new Promise((r) => setTimeout(r, 100));
    const listed = (await client.listTools()).tools.find((tool) => tool.name === 'get_order');
    expect(listed?.title).toBe('Get one order, with its lines');
    const got = await client.callTool({ name: 'get_order', arguments: { path: { id: '1001' }, query: { expand: 'lines' } } });
    expect(got.isError).toBeFalsy();
    expect(got.structuredContent).toMatchObject({ id: '1001' });
  });
});
