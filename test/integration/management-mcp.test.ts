import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, RoleScope } from '../../src/core/index.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

const SCOPE = 'gatehouse:management';
let t: TestGatehouse;
let mcpUrl: string;

async function mcpToken(clientId: string, clientSecret: string, scope: string | null = SCOPE): Promise<string> {
  const { status, body } = await tokenRequest(
    t.gh.urls.issuer,
    { grant_type: 'client_credentials', resource: mcpUrl, ...(scope ? { scope } : {}) },
    { clientId, clientSecret },
  );
  expect(status, JSON.stringify(body)).toBe(200);
  return body.access_token as string;
}

async function identity(role: Role, scope: RoleScope = {}) {
  const sa = await t.serviceAccount(role, scope);
  return { ...sa, mcp: await mcpToken(sa.clientId, sa.clientSecret) };
}

async function connect(token: string, mode: 'legacy' | 'auto' = 'auto'): Promise<Client> {
  const client = new Client({ name: 'gatehouse-test-assistant', version: '1.2.3' }, { versionNegotiation: { mode } });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: { token: async () => token } }));
  return client;
}

async function tool(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; data: any }> {
  const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ type: string; text: string }> };
  return { isError: res.isError === true, data: JSON.parse(res.content[0]!.text) };
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  mcpUrl = `${t.gh.urls.admin}/management/mcp`;
});
afterAll(async () => t?.close());

describe('Management MCP: discovery and token checks', () => {
  it('answers a bare request with 401 and a challenge naming its metadata and scope', async () => {
    const res = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate')!;
    expect(challenge).toContain(`resource_metadata="${t.gh.urls.admin}/.well-known/oauth-protected-resource/management/mcp"`);
    expect(challenge).toContain(`scope="${SCOPE}"`);
    const meta = (await (await fetch(`${t.gh.urls.admin}/.well-known/oauth-protected-resource/management/mcp`)).json()) as any;
    expect(meta).toMatchObject({ resource: mcpUrl, authorization_servers: [t.gh.urls.issuer], scopes_supported: [SCOPE] });
  });

  it('refuses admin-API tokens, consumer credentials and tokens without the scope', async () => {
    const adminApi = await fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(adminApi.status).toBe(401);
    expect(adminApi.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const consumer = await fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer ghk_notatoken', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(consumer.status).toBe(401);
    const sa = await t.serviceAccount('admin');
    const unscoped = await mcpToken(sa.clientId, sa.clientSecret, null);
    const res = await fetch(mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${unscoped}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('refuses a browser request from a foreign origin (DNS rebinding)', async () => {
    const admin = await identity('admin');
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.mcp}`, 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});

describe('Management MCP: tools from the registry, under RBAC', () => {
  it('an admin sees every tool, in both protocol eras, and a write is audited with channel mcp, the identity and the clients', async () => {
    const admin = await identity('admin');
    for (const mode of ['auto', 'legacy'] as const) {
      const client = await connect(admin.mcp, mode);
      const names = (await client.listTools()).tools.map((x) => x.name).sort();
      expect(names).toEqual(
        expect.arrayContaining([
          'import_openapi',
          'manage_access',
          'manage_clients',
          'manage_collections',
          'manage_policies',
          'manage_profiles',
          'manage_proxies',
          'query_audit_logs',
          'query_metrics',
          'query_request_logs',
        ]),
      );
      await client.close();
    }
    const client = await connect(admin.mcp, 'auto');
    const created = await tool(client, 'manage_collections', { action: 'create', params: { slug: 'via-mcp', name: 'Made by an assistant' } });
    expect(created.isError).toBe(false);
    expect(created.data.slug).toBe('via-mcp');
    const audit = await tool(client, 'query_audit_logs', { action: 'list', params: { resourceId: created.data.id } });
    expect(audit.data.items[0]).toMatchObject({
      action: 'collections.create',
      channel: 'mcp',
      outcome: 'success',
      actor: { subject: admin.clientId, kind: 'service' },
    });
    expect(audit.data.items[0].clientApp).toContain(admin.clientId);
    expect(audit.data.items[0].clientApp).toContain('gatehouse-test-assistant 1.2.3');
    await client.close();
  });

  it('a viewer sees no write actions; a forced write is refused by the executor and audited', async () => {
    const viewer = await identity('viewer');
    const client = await connect(viewer.mcp);
    const tools = (await client.listTools()).tools;
    const collections = tools.find((x) => x.name === 'manage_collections')!;
    const actions = (collections.inputSchema as any).properties.action.enum;
    expect(actions.sort()).toEqual(['get', 'list']);
    expect(collections.annotations?.readOnlyHint).toBe(true);
    const forced = await tool(client, 'manage_collections', { action: 'create', params: { slug: 'sneaky', name: 'Sneaky' } });
    expect(forced.isError).toBe(true);
    expect(forced.data.error.code).toBe('GATEHOUSE_FORBIDDEN');
    const denied = (await call(t.api, t.adminToken, 'GET', `/audit-logs?actor=${viewer.clientId}&outcome=denied`)).body.items;
    expect(denied[0]).toMatchObject({ action: 'collections.create', channel: 'mcp', status: 403 });
    await client.close();
  });

  it('a modifier scoped to proxies can update a proxy upstream but not rotate a client credential', async () => {
    const col = (await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'scoped', name: 'Scoped' })).body;
    const proxy = (
      await call(t.api, t.adminToken, 'POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/scoped', upstreams: ['http://127.0.0.1:9'] })
    ).body;
    const cl = (await call(t.api, t.adminToken, 'POST', '/clients', { name: 'Scoped client' })).body;
    const prof = (await call(t.api, t.adminToken, 'POST', '/profiles', { clientId: cl.id, name: 'p', authType: 'token' })).body;
    const mod = await identity('modifier', { resourceTypes: ['proxies'] });
    const client = await connect(mod.mcp);
    const updated = await tool(client, 'manage_proxies', { action: 'update', params: { id: proxy.id, upstreams: ['http://127.0.0.1:10'] } });
    expect(updated.isError).toBe(false);
    expect(updated.data.upstreams).toEqual(['http://127.0.0.1:10']);
    const rotate = await tool(client, 'manage_profiles', { action: 'credentials.rotate', params: { profileId: prof.id } });
    expect(rotate.isError).toBe(true);
    expect(rotate.data.error.code).toBe('GATEHOUSE_FORBIDDEN');
    await client.close();
  });

  it('dry_run validates and returns the planned change without writing', async () => {
    const admin = await identity('admin');
    const client = await connect(admin.mcp);
    const plan = await tool(client, 'manage_policies', { action: 'create', params: { name: 'planned-only' }, dry_run: true });
    expect(plan.data).toMatchObject({ dryRun: true, planned: { after: { name: 'planned-only' } } });
    const listed = await tool(client, 'manage_policies', { action: 'list', params: { q: 'planned-only' } });
    expect(listed.data.items).toHaveLength(0);
    const bad = await tool(client, 'manage_policies', { action: 'create', params: { name: '' } });
    expect(bad.isError).toBe(true);
    expect(bad.data.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    await client.close();
  });
});

describe('Management MCP: onboarding a partner as an assistant would', () => {
  let upstream: SampleUpstream;
  beforeAll(async () => {
    upstream = await startUpstream();
  });
  afterAll(async () => upstream?.close());

  it('creates a client with two collections, a policy, a token profile and credentials; the REST call works; the audit shows each step under one identity', async () => {
    const admin = await identity('admin');
    const client = await connect(admin.mcp);
    const run = async (name: string, args: Record<string, unknown>) => {
      const r = await tool(client, name, args);
      expect(r.isError, JSON.stringify(r.data)).toBe(false);
      return r.data;
    };
    const orders = await run('manage_collections', { action: 'create', params: { slug: 'acme-orders', name: 'Orders', published: true } });
    const billing = await run('manage_collections', { action: 'create', params: { slug: 'acme-billing', name: 'Billing', published: true } });
    const proxy = await run('manage_proxies', {
      action: 'create',
      params: { collectionId: orders.id, name: 'Orders', basePath: '/acme/orders', upstreams: [upstream.url] },
    });
    await run('manage_proxies', { action: 'endpoints.create', params: { proxyId: proxy.id, method: 'GET', path: '/orders/{id}' } });

    // The trail from here on: by sequence, since the last setup step can share this millisecond.
    const since = new Date().toISOString();
    const setup = await run('query_audit_logs', { action: 'list', params: { actor: admin.clientId } });
    const lastSetup = Math.max(0, ...setup.items.map((e: any) => e.seq));
    const policy = await run('manage_policies', {
      action: 'create',
      params: { name: 'acme-1000-per-minute', rateLimits: [{ window: 'minute', limit: 1000 }] },
    });
    const acme = await run('manage_clients', { action: 'create', params: { name: 'Acme Corp', collectionIds: [orders.id, billing.id], policyId: policy.id } });
    const profile = await run('manage_profiles', { action: 'create', params: { clientId: acme.id, name: 'default', authType: 'token' } });
    const issued = await run('manage_profiles', { action: 'credentials.issue', params: { profileId: profile.id } });
    const publish = await run('manage_collections', { action: 'publish', params: { id: billing.id } });
    expect(publish.published).toBe(true);

    const res = await fetch(`${t.gh.urls.proxy}/acme/orders/orders/1`, { headers: { authorization: `Bearer ${issued.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('1000');

    const trail = await run('query_audit_logs', { action: 'list', params: { actor: admin.clientId, from: since } });
    trail.items = trail.items.filter((e: any) => e.seq > lastSetup);
    expect(trail.items.map((e: any) => e.action).reverse()).toEqual([
      'policies.create',
      'clients.create',
      'profiles.create',
      'credentials.issue',
      'collections.publish',
    ]);
    expect(trail.items.every((e: any) => e.channel === 'mcp' && e.actor.subject === admin.clientId)).toBe(true);
    expect(JSON.stringify(trail)).not.toContain(issued.token);
    await client.close();
  });
});
