import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { clientCredentialsToken, loginWithPassword } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

const SECRET = 'upstream-key-7f3a9c1e5b';

/** An upstream MCP server built with the official SDK, over Streamable HTTP on loopback; it records the key header it receives. */
async function startUpstream(
  name: string,
  register: (server: McpServer) => void,
): Promise<{ url: string; keys: (string | undefined)[]; close(): Promise<void> }> {
  const keys: (string | undefined)[] = [];
  const mcp = createMcpHandler(() => {
    const server = new McpServer({ name, version: '1' });
    register(server);
    return server;
  });
  const node = toNodeHandler(mcp);
  const http: HttpServer = createServer((req, res) => {
    keys.push(req.headers['x-upstream-key'] as string | undefined);
    void node(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    keys,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

let t: TestGatehouse;
let alpha: Awaited<ReturnType<typeof startUpstream>>;
let beta: Awaited<ReturnType<typeof startUpstream>>;
let sa: { clientId: string; clientSecret: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  alpha = await startUpstream('alpha', (s) => {
    s.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text: `echo: ${text}` }],
    }));
    s.registerTool('big', { description: 'A large result' }, async () => ({ content: [{ type: 'text', text: 'x'.repeat(5_000) }] }));
    s.registerTool('drop_tables', { description: 'Not for the model' }, async () => ({ content: [{ type: 'text', text: 'dropped' }] }));
    s.registerTool('leaky', { description: 'Echoes the key it was sent' }, async () => ({
      content: [{ type: 'text', text: `you sent ${alpha.keys.at(-1)}` }],
    }));
    s.registerTool('slow', { description: 'Answers late' }, async () => {
      await new Promise((r) => setTimeout(r, 3_000));
      return { content: [{ type: 'text', text: 'late' }] };
    });
    s.registerTool('fails', { description: 'A tool error' }, async () => ({ content: [{ type: 'text', text: 'nope' }], isError: true }));
  });
  beta = await startUpstream('beta', (s) => {
    s.registerTool('add', { description: 'Adds', inputSchema: z.object({ a: z.number(), b: z.number() }) }, async ({ a, b }) => ({
      content: [{ type: 'text', text: String(a + b) }],
    }));
  });
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string } & Record<string, unknown>;
  };
  ids.alpha = (
    await create('/mcp-servers', {
      name: 'alpha',
      url: alpha.url,
      auth: 'static',
      headers: { 'X-Upstream-Key': SECRET },
      maxResultChars: 1_000,
      timeoutMs: 5_000,
    })
  ).id;
  ids.beta = (await create('/mcp-servers', { name: 'beta', url: beta.url })).id;
  // A port nothing listens on: the upstream is down.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const downPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  ids.down = (await create('/mcp-servers', { name: 'down', url: `http://127.0.0.1:${downPort}/mcp`, timeoutMs: 2_000 })).id;

  await create('/virtual-mcps', {
    slug: 'solo',
    name: 'Solo',
    upstreamIds: [ids.alpha],
    tools: [
      { upstreamId: ids.alpha, name: 'echo', rename: 'say', description: 'Says the text back' },
      { upstreamId: ids.alpha, name: 'big' },
      { upstreamId: ids.alpha, name: 'fails' },
      { upstreamId: ids.alpha, name: 'leaky' },
    ],
    published: true,
  });
  ids.slow = (await create('/mcp-servers', { name: 'alpha-slow', url: alpha.url, timeoutMs: 500 })).id;
  await create('/virtual-mcps', {
    slug: 'slowpoke',
    name: 'Slowpoke',
    upstreamIds: [ids.slow],
    tools: [{ upstreamId: ids.slow, name: 'slow' }],
    published: true,
  });
  await create('/virtual-mcps', {
    slug: 'duo',
    name: 'Duo',
    upstreamIds: [ids.beta, ids.alpha],
    tools: [
      { upstreamId: ids.beta, name: 'add' },
      { upstreamId: ids.alpha, name: 'echo' },
    ],
    published: true,
  });
  await create('/virtual-mcps', {
    slug: 'outage',
    name: 'Outage',
    upstreamIds: [ids.down],
    tools: [{ upstreamId: ids.down, name: 'anything' }],
    published: true,
  });
  await create('/virtual-mcps', { slug: 'draft', name: 'Draft', upstreamIds: [ids.alpha], tools: [{ upstreamId: ids.alpha, name: 'echo' }] });
  sa = await t.serviceAccount('viewer');
}, 60_000);

afterAll(async () => {
  await Promise.all([alpha?.close(), beta?.close()]);
  await t?.close();
});

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const tokenFor = (slug: string) => clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: urlOf(slug) });

async function connect(slug: string, token?: string): Promise<Client> {
  const bearer = token ?? (await tokenFor(slug));
  return connectedClient(urlOf(slug), bearer, { name: 'federation-test' });
}

const text = (r: { content: unknown }) => (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

describe('registry: upstream MCP servers and virtual MCP servers', () => {
  it('never returns sealed header values in reads or the audit trail', async () => {
    const got = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${ids.alpha}`);
    expect(got.status).toBe(200);
    expect(got.body.headerNames).toEqual(['X-Upstream-Key']);
    const listed = await call(t.api, t.adminToken, 'GET', '/mcp-servers');
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?limit=500');
    expect(audit.status).toBe(200);
    for (const body of [got.body, listed.body, audit.body]) expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('refuses a virtual server naming an unknown upstream, or a tool of an upstream it does not compose', async () => {
    const unknown = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', { slug: 'bad', name: 'Bad', upstreamIds: ['mcs_missing'] });
    expect(unknown.body.error.code).toBe('GATEHOUSE_REFERENCE_NOT_FOUND');
    const foreign = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'bad',
      name: 'Bad',
      upstreamIds: [ids.alpha],
      tools: [{ upstreamId: ids.beta, name: 'add' }],
    });
    expect(foreign.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
  });

  it('refuses to delete an upstream a virtual server composes', async () => {
    const res = await call(t.api, t.adminToken, 'DELETE', `/mcp-servers/${ids.beta}`);
    expect(res.body.error.code).toBe('GATEHOUSE_IN_USE');
  });
});

describe('/mcp/v/{slug}', () => {
  it('lists only the curated tools, renamed and described as curated, in name order', async () => {
    const client = await connect('solo');
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name)).toEqual(['big', 'fails', 'leaky', 'say']);
    expect(tools.find((x) => x.name === 'say')?.description).toBe('Says the text back');
    expect(tools.find((x) => x.name === 'say')?.inputSchema.properties).toHaveProperty('text');
    await client.close();
  });

  it('forwards a call under its upstream name, with the sealed header reaching the upstream only', async () => {
    const client = await connect('solo');
    alpha.keys.length = 0;
    const result = await client.callTool({ name: 'say', arguments: { text: 'hi' } });
    expect(text(result)).toBe('echo: hi');
    expect(alpha.keys.length).toBeGreaterThan(0);
    expect(alpha.keys.every((k) => k === SECRET)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    await client.close();
  });

  it('neither lists nor calls a curated-out tool, nor the upstream name of a renamed one', async () => {
    const client = await connect('solo');
    for (const name of ['drop_tables', 'echo']) {
      const refused = await client.callTool({ name, arguments: {} }).then(
        (r) => r,
        (e: unknown) => e,
      );
      expect(refused instanceof Error ? refused.message : JSON.stringify(refused)).toMatch(/Unknown tool|GATEHOUSE_NOT_FOUND/);
    }
    await client.close();
  });

  it('caps a large result and marks the cut; passes an upstream tool error through', async () => {
    const client = await connect('solo');
    const big = await client.callTool({ name: 'big', arguments: {} });
    expect(text(big)).toContain('[truncated by Gatehouse: 5000 characters of text in all, 1000 kept]');
    expect(text(big).startsWith('x'.repeat(1_000))).toBe(true);
    const failed = await client.callTool({ name: 'fails', arguments: {} });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe('nope');
    await client.close();
  });

  it('cuts the sealed header value out of what an upstream echoes back', async () => {
    const client = await connect('solo');
    const result = await client.callTool({ name: 'leaky', arguments: {} });
    expect(text(result)).toBe('you sent [redacted]');
    await client.close();
  });

  it('turns a slow upstream into GATEHOUSE_UPSTREAM_TIMEOUT within its timeout', async () => {
    const client = await connect('slowpoke');
    // Nothing hangs: the gateway's timeout answers before this explicit abort would end the call.
    const result = await client.callTool({ name: 'slow', arguments: {} }, { signal: AbortSignal.timeout(30_000) });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('GATEHOUSE_UPSTREAM_TIMEOUT');
    await client.close();
  });

  it('composes two upstreams with a prefix per upstream', async () => {
    const client = await connect('duo');
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name)).toEqual(['alpha__echo', 'beta__add']);
    expect(text(await client.callTool({ name: 'beta__add', arguments: { a: 2, b: 3 } }))).toBe('5');
    expect(text(await client.callTool({ name: 'alpha__echo', arguments: { text: 'x' } }))).toBe('echo: x');
    await client.close();
  });

  it('turns an unreachable upstream into a GATEHOUSE_ error, for a call and for the list', async () => {
    const client = await connect('outage');
    const result = await client.callTool({ name: 'anything', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('GATEHOUSE_UPSTREAM_UNREACHABLE');
    const listed = await client.listTools().then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((listed as Error)?.message)).toContain('GATEHOUSE_UPSTREAM_UNREACHABLE');
    await client.close();
  });

  it('wants a bearer token issued for this virtual server, and hides unpublished ones', async () => {
    const none = await fetch(urlOf('solo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(none.headers.get('www-authenticate') ?? '')?.[1];
    expect(metadataUrl).toBe(`${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp/v/solo`);
    const metadata = await fetch(metadataUrl!);
    expect(await metadata.json()).toMatchObject({ resource: urlOf('solo'), authorization_servers: [t.gh.urls.issuer] });
    expect((await fetch(`${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp/v/draft`)).status).toBe(404);
    const otherAudience = await tokenFor('duo');
    // A token for another server is refused by the pipeline's admit step; the adapter says why in its challenge.
    const refused = await fetch(urlOf('solo'), {
      method: 'POST',
      headers: { authorization: `Bearer ${otherAudience}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_INVALID_TOKEN');
    const wrong = await connect('solo', otherAudience).then(
      () => null,
      (e: unknown) => e,
    );
    expect(wrong).toBeInstanceOf(Error);
    const draft = await connect('draft').then(
      () => null,
      (e: unknown) => e,
    );
    // An unpublished server gets no token (the same refusal as a server that does not exist).
    expect(String((draft as Error)?.message)).toMatch(/invalid_target/);
  });

  it('refuses a person who holds no role on the gateway: the authorization server issues no token for the server', async () => {
    const username = 'consumer-only';
    const password = 'a-consumer-password-1';
    await t.gh.executor.execute('users.create', { username, password }, { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'test', localAdmin: true });
    // A token the virtual server would refuse at its first call is not issued at all (a role taken
    // away after sign-in is refused at the call: see mcp-federation-per-user-access).
    await expect(loginWithPassword({ issuer: t.gh.urls.issuer, username, password, resource: urlOf('solo') })).rejects.toThrow(/invalid_target/);
  });

  it('records each upstream call in the request log, channel federation, without the sealed header', async () => {
    const deadline = Date.now() + 10_000;
    let items: any[] = [];
    do {
      items = (await call(t.api, t.adminToken, 'GET', '/request-logs?limit=500&channel=federation')).body.items;
      if (items.some((l) => l.errorCode === 'GATEHOUSE_UPSTREAM_UNREACHABLE') && items.some((l) => l.mcpTool?.startsWith('beta__add'))) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    const add = items.find((l) => l.mcpTool === 'beta__add → beta/add');
    expect(add).toMatchObject({ channel: 'federation', path: '/mcp/v/duo', status: 200, errorCode: null });
    const down = items.find((l) => l.errorCode === 'GATEHOUSE_UPSTREAM_UNREACHABLE');
    expect(down).toMatchObject({ path: '/mcp/v/outage', status: 502 });
    expect(JSON.stringify(items)).not.toContain(SECRET);
  });
});
