import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * Capability volume: what a caller of a virtual MCP server discovers and reads besides calling
 * tools, counted by MCP method in the request log and answered by `mcp-analytics` from its rollups.
 * The caller is the SDK v2 client; the upstream the reference server-everything.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let client: Client;

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  const curator = new Client({ name: 'curator', version: '1' });
  await curator.connect(new StreamableHTTPClientTransport(new URL(everything.url)));
  const [{ prompts }, { resources }] = await Promise.all([curator.listPrompts(), curator.listResources()]);
  await curator.close();
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const upstreamId = (server.body as { id: string }).id;
  const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'caps',
    name: 'Caps',
    upstreamIds: [upstreamId],
    tools: [{ upstreamId, name: 'echo' }],
    prompts: prompts.slice(0, 1).map((p) => ({ upstreamId, name: p.name })),
    resources: resources.slice(0, 2).map((r) => ({ upstreamId, uri: r.uri })),
    published: true,
  });
  expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  const url = `${t.gh.urls.proxy}/mcp/v/caps`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...(await t.serviceAccount('viewer')), resource: url });
  client = new Client({ name: 'capability-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
}, 120_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await t?.close();
  await everything?.close();
});

describe('capability volume of a virtual MCP server', () => {
  it('counts tools/list, prompts (list and get) and resources (list and read) apart from tool calls', async () => {
    await client.listTools();
    await client.listTools();
    await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    const { prompts } = await client.listPrompts();
    await client.getPrompt({ name: prompts[0]!.name, arguments: {} });
    const { resources } = await client.listResources();
    expect(resources.length).toBe(2);
    for (const r of resources) await client.readResource({ uri: r.uri });

    let answer: Record<string, any> = {};
    // Rows reach the analytics once their token counts do (counted off the event loop, tool lists and
    // results later than the rest): wait for the last of each kind.
    const arrived = (c: Record<string, number> | undefined) => c?.resourcesRead === 2 && c.toolsList === 2 && c.toolsCall === 1;
    for (let i = 0; i < 100 && !arrived(answer.capabilities); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await call(t.api, t.adminToken, 'GET', '/mcp-analytics?server=caps&groupBy=server');
      expect(res.status).toBe(200);
      answer = res.body as Record<string, any>;
    }
    expect(answer.capabilities).toMatchObject({ toolsList: 2, toolsCall: 1, promptsList: 1, promptsGet: 1, resourcesList: 1, resourcesRead: 2 });
    // The SDK client's connect (initialize or server/discover) counts as other.
    expect(answer.capabilities.other).toBeGreaterThanOrEqual(1);
    expect(answer.capabilities.servers).toEqual([expect.objectContaining({ server: 'caps', toolsList: 2, promptsGet: 1, resourcesRead: 2 })]);
    // Call statistics stay about tool calls alone.
    expect(answer.totals).toMatchObject({ calls: 1, succeeded: 1 });
    expect(answer.groups).toEqual([expect.objectContaining({ server: 'caps', calls: 1 })]);

    // The request log names each request's MCP method.
    const log = await call(t.api, t.adminToken, 'GET', '/request-logs?channel=federation&limit=50');
    expect(log.status).toBe(200);
    const methods = (log.body as { items: Array<{ mcpMethod: string | null }> }).items.map((e) => e.mcpMethod);
    expect(methods.filter((m) => m === 'tools/list')).toHaveLength(2);
    expect(methods).toEqual(expect.arrayContaining(['tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read']));
    const reads = await call(t.api, t.adminToken, 'GET', '/request-logs?channel=federation&mcpMethod=resources%2Fread');
    expect((reads.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ path: '/mcp/v/caps', mcpMethod: 'resources/read', status: 200 }),
      expect.objectContaining({ path: '/mcp/v/caps', mcpMethod: 'resources/read', status: 200 }),
    ]);
    expect((await call(t.api, t.adminToken, 'GET', `/request-logs?mcpMethod=${'x'.repeat(65)}`)).status).toBe(400);
  });
});
