import { Client, StreamableHTTPClientTransport, UrlElicitationRequiredError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * A call a tool policy holds for approval, answered as each caller's protocol revision asks, on
 * both of the virtual server's paths: the fast path (a tool every client is offered) and the SDK
 * path (a tool the upstream offers only to clients that answer elicitation, or one whose upstream
 * listing is not cached yet). SDK v2 clients per revision, against a real SDK v2 upstream.
 */

let t: TestGatehouse;
let upstream: TestUpstream;
let agent: { clientId: string; clientSecret: string };
const calls: string[] = [];
const opened: Client[] = [];
const MODERN = '2026-07-28';
let serial = 0;

/** Arguments the policy holds, new each time (an approval is bound to them). */
const vip = () => ({ id: `vip-${++serial}` });

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('held', (s) => {
    s.registerTool('whois', { description: 'Who a record belongs to', inputSchema: z.object({ id: z.string() }) }, async ({ id }) => {
      calls.push(`whois ${id}`);
      return { content: [{ type: 'text', text: `whois ${id}: ada` }] };
    });
    // Offered only to a client that declares elicitation (as tools that ask their caller are).
    const ask = s.registerTool('ask', { description: 'Asks about a record', inputSchema: z.object({ id: z.string() }) }, async ({ id }) => {
      calls.push(`ask ${id}`);
      return { content: [{ type: 'text', text: `ask ${id}: done` }] };
    });
    s.server.oninitialized = () => {
      if (!s.server.getClientCapabilities()?.elicitation) ask.disable();
    };
  });
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const { id: serverId } = await create('/mcp-servers', { name: 'held', url: upstream.url });
  agent = await t.serviceAccount('viewer');
  const { id: policy } = await create('/workflows', {
    name: 'held-policy',
    request: [
      {
        type: 'tool_policy',
        id: 'policy',
        rules: [{ when: 'arguments.id.startsWith("vip")', decision: 'approval', reason: 'VIP records are reviewed' }],
        approvalTtlSeconds: 120,
      },
    ],
    bodyLimitBytes: 65_536,
  });
  await create('/virtual-mcps', {
    slug: 'held',
    name: 'Held',
    upstreamIds: [serverId],
    tools: ['whois', 'ask'].map((name) => ({ upstreamId: serverId, name })),
    access: { serviceAccounts: [agent.clientId] },
    workflows: [{ workflowId: policy }],
    published: true,
  });
  // The same upstream again, once per revision: its listing is cached by nobody until a call or a listing reads it.
  for (const slug of ['cold', 'cold-legacy']) {
    const { id: coldId } = await create('/mcp-servers', { name: slug, url: upstream.url });
    await create('/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [coldId],
      tools: [{ upstreamId: coldId, name: 'whois' }],
      access: { serviceAccounts: [agent.clientId] },
      workflows: [{ workflowId: policy }],
      published: true,
    });
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  await upstream?.close();
  await t?.close();
});

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const tokenFor = (slug: string) => clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: urlOf(slug) });
const text = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');
const approvalIdOf = (url: string) => /\/console\/approvals\/(apr_[A-Za-z0-9_-]+)/.exec(url)?.[1];

async function approve(id: string): Promise<void> {
  const res = await call(t.api, t.adminToken, 'POST', `/approvals/${id}/approve`, { reason: 'ok' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** Links a 2026-07-28 client was asked to open, and approves each once (as the person the link reaches would). */
function approving(client: Client, seen: { url: string; message: string }[]): void {
  client.setRequestHandler('elicitation/create', async (request) => {
    const params = request.params as { mode?: string; url?: string; message: string };
    if (params.mode !== 'url' || params.url === undefined) return { action: 'decline' };
    const id = approvalIdOf(params.url);
    if (id !== undefined && !seen.some((s) => s.url === params.url)) await approve(id);
    seen.push({ url: params.url, message: params.message });
    // The decision reaches the data plane through the change feed; the client retries meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    return { action: 'accept' };
  });
}

async function connect(slug: string, options: ConstructorParameters<typeof Client>[1], setup?: (c: Client) => void): Promise<Client> {
  const client = new Client({ name: 'held-test', version: '1' }, options);
  setup?.(client);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(urlOf(slug)), { requestInit: { headers: { authorization: `Bearer ${await tokenFor(slug)}` } } }),
  );
  opened.push(client);
  return client;
}

/** One raw 2026-07-28 tools/call, as the client would send it, declaring `capabilities`. */
async function modernCall(slug: string, name: string, args: Record<string, unknown>, capabilities: Record<string, unknown>) {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  };
  const res = await fetch(urlOf(slug), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await tokenFor(slug)}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: meta } }),
  });
  const raw = await res.text();
  // A single JSON body, or the one message of an event stream.
  const json = raw.startsWith('{') ? raw : (/^data: (.*)$/m.exec(raw)?.[1] ?? raw);
  return JSON.parse(json) as { result?: Record<string, unknown>; error?: { code: number; message: string } };
}

const URL_CAPS = { elicitation: { form: {}, url: {} } };

describe('a held call on 2026-07-28', () => {
  it.each([
    ['whois', 'the fast path'],
    ['ask', 'the SDK path (a tool offered only to clients that answer elicitation)'],
  ])('asks a caller declaring URL elicitation to open the approval link (input_required) on %s — %s', async (tool) => {
    const before = calls.length;
    const args = vip();
    const { result, error } = await modernCall('held', tool, args, URL_CAPS);
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(result?.resultType).toBe('input_required');
    const requests = result?.inputRequests as Record<string, { method: string; params: { mode: string; url: string; message: string } }>;
    const [[key, request]] = Object.entries(requests) as [[string, { method: string; params: { mode: string; url: string; message: string } }]];
    expect(request).toMatchObject({ method: 'elicitation/create', params: { mode: 'url' } });
    expect(approvalIdOf(request.params.url)).toBe(key);
    expect(request.params.message).toContain('VIP records are reviewed');
    const shown = (await call(t.api, t.adminToken, 'GET', `/approvals/${key}`)).body;
    expect(shown).toMatchObject({ status: 'pending', target: `held/${tool}` });
    // The approver reads the tool's arguments as the client sent them, not wrapped in a REST call's query and body.
    expect(JSON.parse(shown.call)).toEqual(args);
    expect(calls.length).toBe(before);
  });

  it.each([
    ['held', 'whois', 'the fast path'],
    ['held', 'ask', 'the SDK path'],
    ['cold', 'whois', 'the SDK path (the upstream listing not cached yet)'],
  ])('the SDK client opens the link, the call is approved, and its retry passes once (%s/%s, %s)', async (slug, tool) => {
    const seen: { url: string; message: string }[] = [];
    const client = await connect(slug, { capabilities: URL_CAPS, versionNegotiation: { mode: { pin: MODERN } } }, (c) => approving(c, seen));
    const before = calls.length;
    const args = vip();
    const passed = await client.callTool({ name: tool, arguments: args });
    expect(passed.isError, JSON.stringify(passed)).toBeFalsy();
    expect(text(passed)).toBe(`${tool} ${args.id}: ${tool === 'ask' ? 'done' : 'ada'}`);
    expect(calls.slice(before)).toEqual([`${tool} ${args.id}`]);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.url)).size).toBe(1);
    expect(seen[0]?.message).toContain('VIP records are reviewed');
    // Spent: the same call is held again (a new approval), and a declined link leaves it a tool error carrying link and id.
    const declining = await connect(slug, { capabilities: URL_CAPS, versionNegotiation: { mode: { pin: MODERN } } }, (c) =>
      c.setRequestHandler('elicitation/create', async () => ({ action: 'decline' })),
    );
    const again = await declining.callTool({ name: tool, arguments: args });
    expect(again.isError).toBe(true);
    expect(again.structuredContent).toMatchObject({ error: { code: 'GATEHOUSE_APPROVAL_REQUIRED', approvalId: expect.stringMatching(/^apr_/) } });
    expect((again.structuredContent as { error: { approvalUrl: string } }).error.approvalUrl).not.toBe(seen[0]?.url);
    expect(calls.length).toBe(before + 1);
  });

  it.each([
    ['whois', 'the fast path'],
    ['ask', 'the SDK path'],
  ])('gives a caller without URL elicitation a tool error carrying the link and the approval id (%s, %s)', async (tool) => {
    const { result, error } = await modernCall('held', tool, vip(), { elicitation: { form: {} } });
    expect(error, JSON.stringify(error)).toBeUndefined();
    expect(result?.resultType).toBe('complete');
    expect(result?.isError).toBe(true);
    const held = (result as { structuredContent: { error: { code: string; approvalId: string; approvalUrl: string } } }).structuredContent.error;
    expect(held.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    expect(held.approvalId).toMatch(/^apr_/);
    expect(approvalIdOf(held.approvalUrl)).toBe(held.approvalId);
  });
});

describe('a held call on 2025-11-25', () => {
  it.each([
    ['held', 'whois', 'the fast path'],
    ['held', 'ask', 'the SDK path'],
    ['cold-legacy', 'whois', 'the SDK path (the upstream listing not cached yet)'],
  ])(
    'hands a client declaring URL elicitation the link as the URL elicitation error (-32042); approved, its retry passes once (%s/%s, %s)',
    async (slug, tool) => {
      const client = await connect(slug, { capabilities: URL_CAPS }, (c) => c.setRequestHandler('elicitation/create', async () => ({ action: 'accept' })));
      const before = calls.length;
      const args = vip();
      const held = (await client.callTool({ name: tool, arguments: args }).catch((err: unknown) => err)) as UrlElicitationRequiredError;
      expect(held, String(held)).toBeInstanceOf(UrlElicitationRequiredError);
      expect(held.code).toBe(-32042);
      const [elicitation] = held.elicitations;
      expect(elicitation).toMatchObject({ mode: 'url', message: expect.stringContaining('VIP records are reviewed') });
      expect(approvalIdOf(elicitation?.url ?? '')).toBe(elicitation?.elicitationId);
      expect(calls.length).toBe(before);
      await approve(elicitation?.elicitationId as string);
      const started = Date.now();
      let passed = await client.callTool({ name: tool, arguments: args }).catch((err: unknown) => err);
      while (passed instanceof UrlElicitationRequiredError && Date.now() - started < 3_000)
        passed = await client.callTool({ name: tool, arguments: args }).catch((err: unknown) => err);
      expect(text(passed as { content: unknown }), String(passed)).toContain(`${tool} ${args.id}:`);
      expect(calls.slice(before)).toEqual([`${tool} ${args.id}`]);
      await expect(client.callTool({ name: tool, arguments: args })).rejects.toBeInstanceOf(UrlElicitationRequiredError);
    },
  );

  it('gives a client without URL elicitation a tool error carrying the link and the approval id', async () => {
    const client = await connect('held', {});
    const result = await client.callTool({ name: 'whois', arguments: vip() });
    expect(result.isError).toBe(true);
    const held = (result.structuredContent as { error: { code: string; approvalId: string; approvalUrl: string } }).error;
    expect(held.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    expect(held.approvalId).toMatch(/^apr_/);
    expect(approvalIdOf(held.approvalUrl)).toBe(held.approvalId);
    expect(text(result)).toContain(held.approvalId);
  });
});
