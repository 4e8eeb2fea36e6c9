import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { type Curated, curateWhole } from '../support/interop.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

/**
 * A virtual server's context budget (#53), with the SDK v2 client and server-everything: over its
 * budget it lists search_tools, describe_tool and call_tool; search finds the right tool first; a
 * call through call_tool is the listed tool's own call (same answer, per-tool limit, request log);
 * the admin API counts the listing. And a 200+-tool server (server-everything beside 200 generated
 * tools of a second upstream) whose full listing and search-mode listing are printed.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let crm: TestUpstream;
let whole: Curated;
const clients: Client[] = [];

const ENTITIES = [
  'account',
  'contact',
  'lead',
  'deal',
  'invoice',
  'ticket',
  'campaign',
  'product',
  'quote',
  'order',
  'shipment',
  'refund',
  'task',
  'meeting',
  'note',
  'report',
  'webhook',
  'team',
  'territory',
  'forecast',
];
const VERBS = ['create', 'get', 'list', 'update', 'delete', 'archive', 'restore', 'export', 'merge', 'assign'];

async function connect(slug: string): Promise<Client> {
  const resource = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const sa = await t.serviceAccount('viewer');
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
  return connectedClient(resource, token, { name: 'budget-test', keep: clients });
}

const text = (r: unknown) => (r as { content: Array<{ type: string; text?: string }> }).content.find((c) => c.type === 'text')?.text ?? '';
const json = (r: unknown) => JSON.parse(text(r)) as Record<string, unknown>;

async function createVirtual(body: Record<string, unknown>): Promise<string> {
  const res = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', { published: true, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

let everythingTools: string[];
let budgetedId: string;

beforeAll(async () => {
  [t, everything, crm] = await Promise.all([
    startTestGatehouse('sqlite'),
    startEverything(),
    startStatefulUpstream('crm', (s) => {
      for (const entity of ENTITIES)
        for (const verb of VERBS)
          s.registerTool(
            `${verb}_${entity}`,
            {
              description: `${verb[0]!.toUpperCase()}${verb.slice(1)} a CRM ${entity}: the ${entity} record with its owner, status, custom fields and history, as the CRM API returns it.`,
              inputSchema: z.object({
                id: z.string().optional().describe(`The ${entity} id`),
                fields: z.array(z.string()).optional().describe('Fields to return'),
              }),
            },
            async () => ({ content: [{ type: 'text', text: `${verb} ${entity} done` }] }),
          );
    }),
  ]);
  // The whole of server-everything, no budget: the listing as it always was.
  whole = await curateWhole(t, { name: 'everything', url: everything.url }, 'everything');
  everythingTools = (await whole.direct.listTools()).tools.map((x) => x.name);
  budgetedId = await createVirtual({
    slug: 'budgeted',
    name: 'Budgeted',
    upstreamIds: [whole.serverId],
    tools: everythingTools.map((name) => ({ upstreamId: whole.serverId, name, ...(name === 'get-sum' ? { rateLimit: { window: 'day', limit: 1 } } : {}) })),
    contextBudget: 500,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await whole?.close();
  await t?.close();
  await Promise.all([everything?.close(), crm?.close()]);
});

describe('a virtual server over its context budget', () => {
  it('lists the three search-mode tools instead of its tools; without a budget the listing is unchanged', async () => {
    const budgeted = await connect('budgeted');
    expect((await budgeted.listTools()).tools.map((x) => x.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
    const plain = (await whole.virtual.listTools()).tools.map((x) => x.name);
    expect(plain).toContain('echo');
    expect(plain).not.toContain('search_tools');
    expect(plain.length).toBeGreaterThan(10);
  });

  it('serves search mode to an SDK v1 client alike', async () => {
    const resource = `${t.gh.urls.proxy}/mcp/v/budgeted`;
    const sa = await t.serviceAccount('viewer');
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
    const v1 = new V1Client({ name: 'budget-test-v1', version: '1' });
    await v1.connect(new V1Transport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      expect((await v1.listTools()).tools.map((x) => x.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
      const found = json(await v1.callTool({ name: 'search_tools', arguments: { query: 'echo back a message' } }));
      expect((found.tools as Array<{ name: string }>)[0]?.name).toBe('echo');
      const echoed = await v1.callTool({ name: 'call_tool', arguments: { name: 'echo', arguments: { message: 'from v1' } } });
      expect(text(echoed)).toContain('from v1');
    } finally {
      await v1.close();
    }
  });

  it('relays the requests of a tool called through call_tool to a caller that answers them (2025 stream and 2026-07-28 retry)', async () => {
    await createVirtual({
      slug: 'asking',
      name: 'Asking',
      upstreamIds: [whole.serverId],
      tools: [
        { upstreamId: whole.serverId, name: 'echo' },
        { upstreamId: whole.serverId, name: 'trigger-elicitation-request' },
      ],
      contextBudget: 100,
    });
    const resource = `${t.gh.urls.proxy}/mcp/v/asking`;
    const sa = await t.serviceAccount('viewer');
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
    const caps = { elicitation: { form: {} } };
    for (const options of [{ capabilities: caps }, { capabilities: caps, versionNegotiation: { mode: { pin: '2026-07-28' as const } } }]) {
      const client = new Client({ name: 'budget-test-asked', version: '1' }, options);
      client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada Lovelace' } }));
      await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      clients.push(client);
      expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
      const found = json(await client.callTool({ name: 'search_tools', arguments: { query: 'elicitation request' } }));
      expect((found.tools as Array<{ name: string }>)[0]?.name).toBe('trigger-elicitation-request');
      const elicited = await client.callTool({ name: 'call_tool', arguments: { name: 'trigger-elicitation-request', arguments: {} } });
      const all = (elicited.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
      expect(all, JSON.stringify(options)).toContain('Ada Lovelace');
    }
  });

  it('finds the right tool first for intents a model would write', async () => {
    const client = await connect('budgeted');
    const intents: Record<string, string> = {
      'add two numbers': 'get-sum',
      'echo back a message': 'echo',
      'show the environment variables': 'get-env',
      'a tiny image of the logo': 'get-tiny-image',
      'long running operation with progress updates': 'trigger-long-running-operation',
      'structured content with an output schema': 'get-structured-content',
    };
    for (const [query, expected] of Object.entries(intents)) {
      const found = json(await client.callTool({ name: 'search_tools', arguments: { query, limit: 3 } }));
      expect((found.tools as Array<{ name: string }>)[0]?.name, query).toBe(expected);
    }
  });

  it('describes one tool as the full listing defines it', async () => {
    const client = await connect('budgeted');
    const described = json(await client.callTool({ name: 'describe_tool', arguments: { name: 'echo' } }));
    const listed = (await whole.virtual.listTools()).tools.find((x) => x.name === 'echo');
    expect(described).toMatchObject({ name: 'echo', description: listed?.description, inputSchema: listed?.inputSchema });
    const unknown = await client.callTool({ name: 'describe_tool', arguments: { name: 'no-such-tool' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('GATEHOUSE_NOT_FOUND');
  });

  it('answers call_tool of echo as a direct call does, and logs it as a call of echo', async () => {
    const client = await connect('budgeted');
    const through = await client.callTool({ name: 'call_tool', arguments: { name: 'echo', arguments: { message: 'through search mode' } } });
    const direct = await whole.direct.callTool({ name: 'echo', arguments: { message: 'through search mode' } });
    expect(through.content).toEqual(direct.content);
    expect(through.isError ?? false).toBe(false);
    const deadline = Date.now() + 10_000;
    let logged: Array<{ mcpTool: string | null; mcpServer?: string | null }> = [];
    do {
      logged = (await call(t.api, t.adminToken, 'GET', '/request-logs?limit=500&channel=federation')).body.items;
      if (logged.some((l) => (l.mcpTool ?? '').includes('echo'))) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    const echo = logged.filter((l) => (l.mcpTool ?? '').includes('echo'));
    expect(echo.length, JSON.stringify(logged.slice(0, 3))).toBeGreaterThan(0);
    // Logged as the tool it called, never as call_tool.
    expect(logged.some((l) => (l.mcpTool ?? '').includes('call_tool'))).toBe(false);
  });

  it('applies the per-tool limit through call_tool as to a listed tool', async () => {
    const client = await connect('budgeted');
    const first = await client.callTool({ name: 'call_tool', arguments: { name: 'get-sum', arguments: { a: 2, b: 3 } } });
    expect(text(first)).toContain('5');
    const second = await client.callTool({ name: 'call_tool', arguments: { name: 'get-sum', arguments: { a: 2, b: 3 } } });
    expect(second.isError).toBe(true);
    expect(text(second)).toContain('GATEHOUSE_RATE_LIMITED');
  });

  it('applies the server’s workflow through call_tool: a tool policy’s denial, and a hold released by approval', async () => {
    const guard = await call(t.api, t.adminToken, 'POST', '/workflows', {
      name: 'budget-guard',
      request: [
        {
          type: 'tool_policy',
          id: 'policy',
          rules: [
            { when: 'tool.name == "get-env"', decision: 'deny', reason: 'the environment stays inside' },
            { when: 'tool.name == "echo" && arguments.message == "vip"', decision: 'approval', reason: 'VIP echoes are reviewed' },
          ],
          approvalTtlSeconds: 60,
        },
      ],
      bodyLimitBytes: 65_536,
    });
    expect(guard.status, JSON.stringify(guard.body)).toBe(201);
    await createVirtual({
      slug: 'guarded',
      name: 'Guarded',
      upstreamIds: [whole.serverId],
      tools: everythingTools.map((name) => ({ upstreamId: whole.serverId, name })),
      workflows: [{ workflowId: guard.body.id }],
      contextBudget: 500,
    });
    const client = await connect('guarded');
    const denied = await client.callTool({ name: 'call_tool', arguments: { name: 'get-env', arguments: {} } });
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain('GATEHOUSE_POLICY_DENIED');
    expect(text(denied)).toContain('the environment stays inside');
    const vip = { name: 'call_tool', arguments: { name: 'echo', arguments: { message: 'vip' } } };
    const held = await client.callTool(vip);
    expect(held.isError, JSON.stringify(held)).toBe(true);
    expect(text(held)).toContain('GATEHOUSE_APPROVAL_REQUIRED');
    const approvalId = /(apr_[A-Za-z0-9_-]+)/.exec(text(held))?.[1];
    expect(approvalId, text(held)).toBeDefined();
    // Held as the tool it calls, on this server.
    // Bound to the real tool at its upstream, not to call_tool.
    expect((await call(t.api, t.adminToken, 'GET', `/approvals/${approvalId}`)).body).toMatchObject({
      status: 'pending',
      target: 'guarded/echo',
      mcp: { server: 'guarded', tool: 'echo' },
      upstream: expect.stringMatching(/\/echo$/),
    });
    expect((await call(t.api, t.adminToken, 'POST', `/approvals/${approvalId}/approve`, { reason: 'ok' })).status).toBe(200);
    const started = Date.now();
    let passed = await client.callTool(vip);
    while (passed.isError && Date.now() - started < 2_000) passed = await client.callTool(vip);
    expect(text(passed)).toContain('vip');
    expect(passed.isError ?? false).toBe(false);
  });

  it('withholds a tool whose definition is not the approved one from search, describe and call_tool until approved', async () => {
    const id = await createVirtual({
      slug: 'pinned',
      name: 'Pinned',
      upstreamIds: [whole.serverId],
      tools: [
        { upstreamId: whole.serverId, name: 'echo' },
        { upstreamId: whole.serverId, name: 'get-sum' },
        // Pinned to a definition the upstream does not have: withheld as changed.
        { upstreamId: whole.serverId, name: 'get-env', pin: `sha256:${'0'.repeat(64)}` },
      ],
      contextBudget: 100,
    });
    const client = await connect('pinned');
    const search = async () =>
      (json(await client.callTool({ name: 'search_tools', arguments: { query: 'environment variables' } })).tools as Array<{ name: string }>).map(
        (x) => x.name,
      );
    expect(await search()).not.toContain('get-env');
    expect((await client.callTool({ name: 'describe_tool', arguments: { name: 'get-env' } })).isError).toBe(true);
    const refused = await client.callTool({ name: 'call_tool', arguments: { name: 'get-env', arguments: {} } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('GATEHOUSE_MCP_TOOL_CHANGED');
    expect((await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${id}/context`)).body).toMatchObject({ notListed: 1 });
    const approved = await call(t.api, t.adminToken, 'POST', `/virtual-mcps/${id}/approve-tools`, { tools: [{ upstreamId: whole.serverId, name: 'get-env' }] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const after = await connect('pinned');
    const found = json(await after.callTool({ name: 'search_tools', arguments: { query: 'environment variables' } }));
    expect((found.tools as Array<{ name: string }>)[0]?.name).toBe('get-env');
    expect((await after.callTool({ name: 'call_tool', arguments: { name: 'get-env', arguments: {} } })).isError ?? false).toBe(false);
  });

  it('refuses call_tool of a tool the server does not curate, and of search mode itself', async () => {
    const client = await connect('budgeted');
    const unknown = await client.callTool({ name: 'call_tool', arguments: { name: 'not-curated', arguments: {} } });
    expect(unknown.isError).toBe(true);
    const nested = await client.callTool({ name: 'call_tool', arguments: { name: 'call_tool', arguments: {} } });
    expect(nested.isError).toBe(true);
    expect(text(nested)).toContain('GATEHOUSE_VALIDATION_FAILED');
  });

  it('shows the listing tokens and each tool’s on the admin API', async () => {
    const res = await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${budgetedId}/context`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const view = res.body as {
      tokenizer: string;
      listingTokens: number;
      searchMode: boolean;
      searchModeListingTokens: number;
      contextBudget: number;
      tools: Array<{ name: string; tokens: number }>;
    };
    console.log(
      `[context budget] server-everything: ${view.tools.length} tools, full listing ${view.listingTokens} tokens, search mode ${view.searchModeListingTokens}`,
    );
    expect(view.tokenizer).toBe('o200k_base');
    expect(view.contextBudget).toBe(500);
    expect(view.searchMode).toBe(true);
    expect(view.listingTokens).toBeGreaterThan(500);
    expect(view.searchModeListingTokens).toBeLessThan(500);
    const listed = (await whole.virtual.listTools()).tools.map((x) => x.name);
    expect(view.tools.map((x) => x.name).sort()).toEqual([...listed].sort());
    expect(view.tools.every((x) => x.tokens > 10)).toBe(true);
    // The listing is its definitions and a little JSON around them.
    const sum = view.tools.reduce((n, x) => n + x.tokens, 0);
    expect(view.listingTokens).toBeGreaterThanOrEqual(sum);
    expect(view.listingTokens).toBeLessThan(sum + view.tools.length * 2 + 10);
  });

  it('cuts a result past maxResultTokens with a note the model can act on', async () => {
    const patched = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${budgetedId}`, { maxResultTokens: 100 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const client = await connect('budgeted');
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const cut = await client.callTool({ name: 'call_tool', arguments: { name: 'echo', arguments: { message: long } } });
    const parts = (cut.content as Array<{ type: string; text: string }>).map((p) => p.text);
    expect(parts.at(-1)).toMatch(/result cut at 100 tokens .*narrow the request/);
    expect(parts[0]!.length).toBeLessThan(long.length);
    const short = await client.callTool({ name: 'call_tool', arguments: { name: 'echo', arguments: { message: 'short' } } });
    expect(text(short)).toContain('short');
    expect((short.content as unknown[]).length).toBe(1);
    // null removes both settings: the full listing again.
    const cleared = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${budgetedId}`, { maxResultTokens: null, contextBudget: null });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect((await (await connect('budgeted')).listTools()).tools.map((x) => x.name)).toContain('echo');
  });
});

describe('search mode on 200+ tools', () => {
  it('lists a few hundred tokens instead of the full listing, and finds tools across both upstreams', async () => {
    const crmServer = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'crm', url: crm.url });
    expect(crmServer.status).toBe(201);
    const crmTools = ENTITIES.flatMap((e) => VERBS.map((v) => `${v}_${e}`));
    const id = await createVirtual({
      slug: 'estate',
      name: 'Estate',
      upstreamIds: [whole.serverId, crmServer.body.id],
      tools: [...everythingTools.map((name) => ({ upstreamId: whole.serverId, name })), ...crmTools.map((name) => ({ upstreamId: crmServer.body.id, name }))],
      contextBudget: 5_000,
    });
    const view = (await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${id}/context`)).body as {
      listingTokens: number;
      searchModeListingTokens: number;
      searchMode: boolean;
      tools: unknown[];
    };
    expect(view.tools.length).toBeGreaterThanOrEqual(200);
    expect(view.searchMode).toBe(true);
    console.log(
      `[context budget] ${view.tools.length} tools: full listing ${view.listingTokens} o200k_base tokens, search mode ${view.searchModeListingTokens} (${(view.listingTokens / view.searchModeListingTokens).toFixed(0)}× smaller)`,
    );
    const client = await connect('estate');
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
    const intents: Record<string, string> = {
      'add two numbers': 'everything__get-sum',
      'echo back a message': 'everything__echo',
      'archive an invoice': 'crm__archive_invoice',
      'merge two contacts': 'crm__merge_contact',
      'export the sales forecast': 'crm__export_forecast',
    };
    for (const [query, expected] of Object.entries(intents)) {
      const found = json(await client.callTool({ name: 'search_tools', arguments: { query } }));
      expect((found.tools as Array<{ name: string }>)[0]?.name, query).toBe(expected);
    }
    const called = await client.callTool({ name: 'call_tool', arguments: { name: 'crm__assign_ticket', arguments: { id: 't1' } } });
    expect(text(called)).toBe('assign ticket done');
  }, 60_000);
});

describe('search mode with GATEHOUSE_FAST_PATHS=off (the SDK’s server answers tools/list and tools/call)', () => {
  it('lists the three tools, searches and calls alike', async () => {
    const lib = await startTestGatehouse('sqlite', { fastPaths: false });
    try {
      const curated = await curateWhole(lib, { name: 'everything', url: everything.url }, 'everything-lib');
      try {
        const created = await call(lib.api, lib.adminToken, 'POST', '/virtual-mcps', {
          slug: 'budgeted-lib',
          name: 'Budgeted',
          upstreamIds: [curated.serverId],
          tools: everythingTools.map((name) => ({ upstreamId: curated.serverId, name })),
          contextBudget: 500,
          published: true,
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const resource = `${lib.gh.urls.proxy}/mcp/v/budgeted-lib`;
        const sa = await lib.serviceAccount('viewer');
        const token = await clientCredentialsToken({ issuer: lib.gh.urls.issuer, ...sa, resource });
        const client = new Client({ name: 'budget-test-lib', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
        clients.push(client);
        expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
        const found = json(await client.callTool({ name: 'search_tools', arguments: { query: 'add two numbers' } }));
        expect((found.tools as Array<{ name: string }>)[0]?.name).toBe('get-sum');
        const through = await client.callTool({ name: 'call_tool', arguments: { name: 'echo', arguments: { message: 'library path' } } });
        expect(through.content).toEqual((await curated.direct.callTool({ name: 'echo', arguments: { message: 'library path' } })).content);
      } finally {
        await curated.close();
      }
    } finally {
      await lib.close();
    }
  }, 60_000);
});
