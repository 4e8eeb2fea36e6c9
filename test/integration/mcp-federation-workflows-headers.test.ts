import { Client, StreamableHTTPClientTransport, specTypeSchemas } from '@modelcontextprotocol/client';
import type { ServerContext } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFailingTaskUpstream } from '../support/failing-task-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import type { InteropUpstream } from '../support/interop.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * A workflow's set_headers reach the MCP upstream on every leg of a call through a virtual server:
 * the lean and SDK paths, a relayed call (progress; a tool that asks its caller), a task-augmented
 * call, prompts/get and resources/read. SDK v2 clients, and real upstreams recording the headers of
 * each request they serve: SDK v2, and SDK v1 for the task (the SDK v2 server runs no tasks).
 */

let t: TestGatehouse;
let upstream: TestUpstream;
/** An SDK v1 server that runs a tool as a task (the SDK v2 server runs none). */
let tasks: InteropUpstream;
let agent: { clientId: string; clientSecret: string };
const opened: Client[] = [];
/** What each leg's request carried: X-Tenant (set by the workflow only), X-Team (also configured: the configured one wins), Connection. */
const seen: { leg: string; tenant: string | null; team: string | null; forged: string | null }[] = [];

function record(leg: string, ctx: ServerContext | undefined): void {
  const h = ctx?.http?.req?.headers;
  seen.push({ leg, tenant: h?.get('x-tenant') ?? null, team: h?.get('x-team') ?? null, forged: h?.get('mcp-session-id') === 'forged' ? 'forged' : null });
}

/** The same record from an SDK v1 server's request headers. */
function recordV1(leg: string, h: Record<string, string | string[] | undefined>): void {
  const one = (name: string) => (typeof h[name] === 'string' ? (h[name] as string) : null);
  seen.push({ leg, tenant: one('x-tenant'), team: one('x-team'), forged: one('mcp-session-id') === 'forged' ? 'forged' : null });
}

const legOf = (leg: string) => seen.filter((s) => s.leg === leg);

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('headers', (s) => {
    s.registerTool('plain', { description: 'Plain', inputSchema: z.object({ q: z.string() }) }, async ({ q }, ctx) => {
      record(`plain ${q}`, ctx);
      return { content: [{ type: 'text', text: 'ok' }] };
    });
    s.registerTool('slow', { description: 'Reports progress', inputSchema: z.object({ q: z.string() }) }, async ({ q }, ctx) => {
      record(`slow ${q}`, ctx);
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: ctx.mcpReq._meta?.progressToken ?? 0, progress: 1, total: 1 },
      } as never);
      return { content: [{ type: 'text', text: 'slow done' }] };
    });
    // Offered only to a client that declares elicitation: its calls are relayed in a session of their own.
    const ask = s.registerTool('ask', { description: 'Asks', inputSchema: z.object({ q: z.string() }) }, async ({ q }, ctx) => {
      record(`ask ${q}`, ctx);
      return { content: [{ type: 'text', text: 'asked' }] };
    });
    s.server.oninitialized = () => {
      if (!s.server.getClientCapabilities()?.elicitation) ask.disable();
    };
    s.registerPrompt('brief', { description: 'A brief', argsSchema: z.object({ id: z.string() }) }, ({ id }, ctx) => {
      record(`prompt ${id}`, ctx);
      return { messages: [{ role: 'user', content: { type: 'text', text: `Brief on ${id}` } }] };
    });
    s.registerResource('doc', 'doc://readme', { description: 'A document' }, async (uri, ctx) => {
      record('resource', ctx);
      return { contents: [{ uri: uri.href, text: 'read me' }] };
    });
  });
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  tasks = await startFailingTaskUpstream((tool, headers) => recordV1(`${tool} task`, headers));
  const { id: serverId } = await create('/mcp-servers', { name: 'headers', url: upstream.url, auth: 'static', headers: { 'X-Team': 'configured' } });
  const { id: tasksId } = await create('/mcp-servers', { name: 'task-headers', url: tasks.url, auth: 'static', headers: { 'X-Team': 'configured' } });
  agent = await t.serviceAccount('viewer');
  const { id: workflowId } = await create('/workflows', {
    name: 'upstream-headers',
    request: [
      {
        type: 'set_headers',
        id: 'tenant',
        headers: { 'X-Tenant': 'acme', 'X-Team': 'workflow', 'Mcp-Session-Id': 'forged', Connection: 'close' },
      },
    ],
  });
  await create('/virtual-mcps', {
    slug: 'hdr',
    name: 'Headers',
    upstreamIds: [serverId],
    tools: ['plain', 'slow', 'ask'].map((name) => ({ upstreamId: serverId, name })),
    prompts: [{ upstreamId: serverId, name: 'brief' }],
    resources: [{ upstreamId: serverId, uri: 'doc://readme' }],
    access: { serviceAccounts: [agent.clientId] },
    workflows: [{ workflowId }],
    published: true,
  });
  await create('/virtual-mcps', {
    slug: 'hdr-tasks',
    name: 'Headers on tasks',
    upstreamIds: [tasksId],
    tools: [{ upstreamId: tasksId, name: 'compile-report' }],
    access: { serviceAccounts: [agent.clientId] },
    workflows: [{ workflowId }],
    published: true,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  await upstream?.close();
  await tasks?.close();
  await t?.close();
});

async function connect(options: ConstructorParameters<typeof Client>[1] = {}, setup?: (c: Client) => void, slug = 'hdr'): Promise<Client> {
  const url = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: url });
  const client = new Client({ name: 'headers-test', version: '1' }, options);
  setup?.(client);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  opened.push(client);
  return client;
}

/** The workflow's header where the upstream has none of its own; the configured one where it has; never a forged session. */
function expectHeaders(leg: string): void {
  const legs = legOf(leg);
  expect(legs.length, `${leg}: ${JSON.stringify(seen)}`).toBeGreaterThan(0);
  for (const s of legs) expect(s).toEqual({ leg, tenant: 'acme', team: 'configured', forged: null });
}

describe("a workflow's set_headers reach the upstream", () => {
  it('on a plain tools/call', async () => {
    const client = await connect();
    expect((await client.callTool({ name: 'plain', arguments: { q: '1' } })).isError).toBeFalsy();
    expectHeaders('plain 1');
  });

  it('on a relayed call that reports progress', async () => {
    const client = await connect();
    await client.listTools();
    const initialized = upstream.methods.filter((m) => m === 'initialize').length;
    const result = await client.callTool({ name: 'slow', arguments: { q: '1' } }, { onprogress: () => undefined });
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    // Relayed: in a session of its own, opened for the call.
    expect(upstream.methods.filter((m) => m === 'initialize').length).toBe(initialized + 1);
    expectHeaders('slow 1');
  });

  it('on a relayed call of a tool offered only to callers that answer elicitation, on 2025-11-25 and 2026-07-28', async () => {
    const answer = (c: Client) => c.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: {} }));
    const legacy = await connect({ capabilities: { elicitation: { form: {} } } }, answer);
    expect((await legacy.callTool({ name: 'ask', arguments: { q: 'legacy' } })).isError).toBeFalsy();
    expectHeaders('ask legacy');
    const modern = await connect({ capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } }, answer);
    expect((await modern.callTool({ name: 'ask', arguments: { q: 'modern' } })).isError).toBeFalsy();
    expectHeaders('ask modern');
  });

  it('on a task-augmented tools/call', async () => {
    const client = await connect({}, undefined, 'hdr-tasks');
    const { task } = (await client.request(
      { method: 'tools/call', params: { name: 'compile-report', arguments: { topic: 'headers' }, task: { ttl: 60_000 } } } as never,
      specTypeSchemas.CreateTaskResult as never,
    )) as { task: { taskId: string } };
    expect(task.taskId).toEqual(expect.any(String));
    expectHeaders('compile-report task');
  });

  it('on prompts/get and resources/read', async () => {
    const client = await connect();
    const prompt = await client.getPrompt({ name: 'brief', arguments: { id: '9' } });
    expect(prompt.messages[0]?.content).toMatchObject({ text: 'Brief on 9' });
    expectHeaders('prompt 9');
    const read = await client.readResource({ uri: 'doc://readme' });
    expect(read.contents[0]).toMatchObject({ text: 'read me' });
    expectHeaders('resource');
  });
});
