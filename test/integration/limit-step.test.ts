import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ORDERS_OPENAPI } from '../../src/demo/orders-api.js';
import { awayFromWindowEdge } from '../support/clock.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { type SampleUpstream, start as startRestUpstream } from '../support/upstream.js';

// One suite over the three paths that charge a limit — a REST call, the Gateway MCP's
// `execute_call`, a virtual server's tool call — on both limiters (in memory, Redis): each allows
// LIMIT calls, then refuses the next in the same shape (code, message, RateLimit-* and Retry-After)
// without reaching the upstream. All three go through src/gateway/limits/limit-step.ts.

const LIMIT = 2;
const WINDOW = 'hour';
const REDIS_URL = 'redis://127.0.0.1:6379';

/** What a caller sees of one call, whatever the channel: success, or the refusal's code, message and headers. */
interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  headers?: Record<string, string>;
}

const LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'];

interface Paths {
  t: TestGatehouse;
  rest: SampleUpstream;
  mcp: TestUpstream;
  mcpCalls: { count: number };
  paths: Array<[string, () => Promise<Outcome>, () => number]>;
  close(): Promise<void>;
}

async function admin(t: TestGatehouse, method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A consumer whose own profile has the policy: its calls count under the profile. */
async function limitedToken(t: TestGatehouse, clientId: string, policyId: string): Promise<{ token: string; headers: Record<string, string> }> {
  const p = await admin(t, 'POST', '/profiles', { clientId, name: `p-${randomBytes(3).toString('hex')}`, authType: 'token', policyId });
  const issued = await admin(t, 'POST', `/profiles/${p.id}/credentials`, {});
  return { token: issued.token, headers: { authorization: `Bearer ${issued.token}`, 'x-client-id': clientId, 'x-profile-id': p.id } };
}

async function mcpClient(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'limit-step-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

async function startPaths(extra: Record<string, unknown>): Promise<Paths> {
  const t = await startTestGatehouse('sqlite', extra);
  const rest = await startRestUpstream();
  const mcpCalls = { count: 0 };
  const mcp = await startStatefulUpstream('tools', (s) => {
    s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => {
      mcpCalls.count++;
      return { content: [{ type: 'text', text: 'found' }] };
    });
  });
  const shop = await admin(t, 'POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
  await admin(t, 'POST', `/collections/${shop.id}/import-openapi`, { document: ORDERS_OPENAPI, basePath: '/shop/v1', upstreams: [rest.url] });
  const policy = await admin(t, 'POST', '/policies', { name: 'tight', rateLimits: [{ window: WINDOW, limit: LIMIT }] });
  const client = await admin(t, 'POST', '/clients', { name: 'partner', collectionIds: [shop.id] });
  const restCaller = await limitedToken(t, client.id, policy.id);
  const mcpCaller = await limitedToken(t, client.id, policy.id);
  const server = await admin(t, 'POST', '/mcp-servers', { name: 'tools', url: mcp.url });
  const agent = await t.serviceAccount('viewer');
  await admin(t, 'POST', '/virtual-mcps', {
    slug: 'governed',
    name: 'Governed',
    upstreamIds: [server.id],
    tools: [{ upstreamId: server.id, name: 'lookup', rateLimit: { window: WINDOW, limit: LIMIT } }],
    access: { serviceAccounts: [agent.clientId] },
    published: true,
  });
  const virtualUrl = `${t.gh.urls.proxy}/mcp/v/governed`;
  const gatewayMcp = await mcpClient(`${t.gh.urls.proxy}/mcp`, mcpCaller.headers);
  const agentToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: virtualUrl });
  const federated = await mcpClient(virtualUrl, { authorization: `Bearer ${agentToken}` });

  const viaRest = async (): Promise<Outcome> => {
    const res = await fetch(`${t.gh.urls.proxy}/shop/v1/orders`, { headers: { authorization: `Bearer ${restCaller.token}` } });
    const body = (await res.json()) as { error?: { code: string; message: string } };
    if (res.status === 200) return { ok: true };
    const headers: Record<string, string> = {};
    for (const name of LIMIT_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) headers[name] = v;
    }
    return { ok: false, code: body.error?.code, message: body.error?.message, headers };
  };
  const viaExecuteCall = async (): Promise<Outcome> => {
    const res = (await gatewayMcp.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /shop/v1/orders' } })) as any;
    if (!res.isError) return { ok: true };
    const { code, message, headers } = res.structuredContent.error;
    return { ok: false, code, message, headers: Object.fromEntries(LIMIT_HEADERS.filter((h) => h in headers).map((h) => [h, headers[h]])) };
  };
  const viaVirtualServer = async (): Promise<Outcome> => {
    const res = (await federated.callTool({ name: 'lookup', arguments: {} })) as any;
    if (!res.isError) return { ok: true };
    const error = res._meta['io.gatehouse/error'];
    // The model reads the same error in the text content.
    expect(JSON.parse(res.content[0].text).error).toEqual(error);
    return { ok: false, code: error.code, message: error.message, headers: error.headers };
  };
  return {
    t,
    rest,
    mcp,
    mcpCalls,
    paths: [
      ['a REST call', viaRest, () => rest.requests],
      ['the Gateway MCP’s execute_call', viaExecuteCall, () => rest.requests],
      ['a virtual server’s tool call', viaVirtualServer, () => mcpCalls.count],
    ],
    async close() {
      await gatewayMcp.close();
      await federated.close();
      await mcp.close();
      await rest.close();
      await t.close();
    },
  };
}

const limiters: Array<[string, () => Record<string, unknown>]> = [
  ['the memory limiter', () => ({})],
  ['the Redis limiter', () => ({ redisUrl: REDIS_URL, redisPrefix: `gh-limit-step-${randomBytes(4).toString('hex')}:` })],
];

describe.each(limiters)('one limit step, %s', (_label, config) => {
  let s: Paths;
  beforeAll(async () => {
    s = await startPaths(config());
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('allows the limit on every path, then refuses the next call in one shape without reaching the upstream', async () => {
    // The windows are hours on the real clock: their edge must not fall between a path's calls.
    await awayFromWindowEdge(3_600_000, 10_000);
    const refusals: Outcome[] = [];
    for (const [label, once, upstreamCalls] of s.paths) {
      for (let i = 0; i < LIMIT; i++) expect(await once(), `${label}, call ${i + 1}`).toEqual({ ok: true });
      const before = upstreamCalls();
      const refused = await once();
      expect(upstreamCalls(), `${label} reached its upstream past the limit`).toBe(before);
      refusals.push(refused);
      expect(refused, label).toMatchObject({ ok: false, code: 'GATEHOUSE_RATE_LIMITED' });
      expect(refused.message, label).toMatch(new RegExp(`^Rate limit of ${LIMIT} calls per ${WINDOW} reached; try again in \\d+ s\\.$`));
      const h = refused.headers!;
      expect(Object.keys(h).sort(), label).toEqual([...LIMIT_HEADERS].sort());
      expect([h['ratelimit-limit'], h['ratelimit-remaining']], label).toEqual([String(LIMIT), '0']);
      expect(h['retry-after'], label).toBe(h['ratelimit-reset']);
      expect(Number(h['retry-after']), label).toBeGreaterThan(0);
      expect(Number(h['retry-after']), label).toBeLessThanOrEqual(3_600);
      expect(refused.message, label).toContain(`try again in ${h['retry-after']} s.`);
    }
    // The same shape on every path: only the seconds to wait may differ by the time between the calls.
    const shapes = refusals.map((r) => ({ code: r.code, limit: r.headers!['ratelimit-limit'], remaining: r.headers!['ratelimit-remaining'] }));
    expect(shapes).toEqual([shapes[0], shapes[0], shapes[0]]);
  });
});
