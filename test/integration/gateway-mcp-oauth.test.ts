import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI } from '../../src/demo/orders-api.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { browse } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

const PASSWORD = 'consumer-password-1';
let t: TestGatehouse;
let upstream: SampleUpstream;
let mcpUrl: URL;
const ids: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(t.api, t.adminToken, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Connects an app with nothing but the URL, signing `username` in on the login page as the profile picked there. */
async function signIn(username: string, port: number, profile?: string): Promise<{ app: MemoryOAuthProvider; client: Client; consentPage: string }> {
  const app = new MemoryOAuthProvider(`http://127.0.0.1:${port}/callback`, { client_name: 'Connector' });
  const first = new Client({ name: 'connector', version: '3.1.0' }, { versionNegotiation: { mode: 'auto' } });
  const refused = await first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app })).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(UnauthorizedError);
  expect(app.authorizationUrl!.searchParams.get('resource')).toBe(mcpUrl.href);
  const outcome = await browse(app.authorizationUrl!.href, app.redirectUrl, {
    username,
    password: PASSWORD,
    consent: 'allow',
    ...(profile ? { profile } : {}),
  });
  expect(outcome.code, JSON.stringify({ ...outcome, consentPage: undefined })).toBeTruthy();
  await new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }).finishAuth(new URL(outcome.landedAt!).searchParams);
  const client = new Client({ name: 'connector', version: '3.1.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }));
  return { app, client, consentPage: outcome.consentPage ?? '' };
}

async function tool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ isError: boolean; data: any }> {
  const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ text: string }> };
  return { isError: res.isError === true, data: JSON.parse(res.content[0]!.text) };
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startUpstream();
  mcpUrl = new URL(`${t.gh.urls.proxy}/mcp`);
  const shop = await admin('POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
  const internal = await admin('POST', '/collections', { slug: 'internal', name: 'Internal', published: true });
  await admin('POST', `/collections/${shop.id}/import-openapi`, { document: ORDERS_OPENAPI, basePath: '/shop/v1', upstreams: [upstream.url] });
  const back = await admin('POST', '/proxies', { collectionId: internal.id, name: 'Back office', basePath: '/internal/v1', upstreams: [upstream.url] });
  await admin('POST', `/proxies/${back.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'Back-office orders' });
  const policy = await admin('POST', '/policies', { name: 'two-an-hour', rateLimits: [{ window: 'hour', limit: 2 }] });
  const partner = await admin('POST', '/clients', { name: 'Partner', collectionIds: [shop.id, internal.id] });
  // Carol may act as the shop-only profile (two calls an hour) or the internal one; Dave as nothing.
  const shopOnly = await admin('POST', '/profiles', {
    clientId: partner.id,
    name: 'shop',
    authType: 'token',
    collectionIds: [shop.id],
    policyId: policy.id,
    signInUsers: ['carol'],
  });
  const internalOnly = await admin('POST', '/profiles', {
    clientId: partner.id,
    name: 'internal',
    authType: 'token',
    collectionIds: [internal.id],
    signInUsers: ['carol'],
  });
  Object.assign(ids, { shop: shop.id, internal: internal.id, partner: partner.id, shopOnly: shopOnly.id, internalOnly: internalOnly.id });
  // Consumers: no role on the gateway at all.
  ids.carol = (await admin('POST', '/users', { username: 'carol', password: PASSWORD })).id;
  await admin('POST', '/users', { username: 'dave', password: PASSWORD });
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe('the Gateway MCP as an OAuth protected resource', () => {
  it('answers a bare request with 401 naming its metadata, which names the authorization server', async () => {
    const bare = await fetch(mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{}',
    });
    expect(bare.status).toBe(401);
    const www = bare.headers.get('www-authenticate')!;
    expect(www).toContain(`resource_metadata="${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp"`);
    const doc = (await (await fetch(`${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp`)).json()) as any;
    expect(doc).toMatchObject({ resource: mcpUrl.href, authorization_servers: [t.gh.urls.issuer], scopes_supported: ['gatehouse:mcp'] });
  });

  it('signs a person in as the profile they pick; the app sees and calls exactly that profile’s catalog, under its limits, logged as its calls', async () => {
    const { client, consentPage } = await signIn('carol', 41_001, ids.shopOnly);
    expect(consentPage).toContain('Partner — shop');
    expect(consentPage).toContain('Partner — internal');
    const names = (await client.listTools()).tools.map((x) => x.name);
    expect(names).toContain('execute_call');
    const cols = await tool(client, 'list_collections');
    expect(JSON.stringify(cols.data)).toContain('shop');
    expect(JSON.stringify(cols.data)).not.toContain('internal');
    const first = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    expect(first.isError, JSON.stringify(first.data)).toBe(false);
    expect(first.data.status).toBe(200);
    await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    const third = await tool(client, 'execute_call', { endpoint: 'GET /shop/v1/orders/{id}', params: { path: { id: '1' } } });
    expect(third.isError).toBe(true);
    expect(JSON.stringify(third.data)).toContain('GATEHOUSE_RATE_LIMITED');
    const outside = await tool(client, 'execute_call', { endpoint: 'GET /internal/v1/orders', params: {} });
    expect(outside.isError).toBe(true);
    let logged: any[] = [];
    for (let i = 0; i < 50 && logged.length < 3; i++) {
      logged = (await admin('GET', '/request-logs?path=/shop/v1/orders/1')).items.filter((r: any) => r.channel === 'mcp');
      if (logged.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    const statuses = logged.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    for (const r of logged) expect(r).toMatchObject({ clientId: ids.partner, profileId: ids.shopOnly, mcpClient: 'connector/3.1.0', actor: null });
    // The person behind the profile is named too.
    for (const r of logged) expect(r.subject).toBe(`user:${ids.carol}`);
    await client.close();
  });

  it('lets an admin list and revoke the sign-in; the app is cut off within a second', async () => {
    const { client, app } = await signIn('carol', 41_002, ids.internalOnly);
    expect((await tool(client, 'list_collections')).isError).toBe(false);
    const grants = (await admin('GET', `/mcp-grants?profileId=${ids.internalOnly}`)).items;
    const mine = grants.find((g: any) => g.appClientId === app.information.client_id);
    expect(mine).toMatchObject({ username: 'carol', clientId: ids.partner, profileId: ids.internalOnly, appName: 'Connector' });
    await admin('DELETE', `/mcp-grants/${mine.id}`);
    const started = Date.now();
    let status = 200;
    while (Date.now() - started < 1000) {
      const res = await fetch(mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.stored.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      status = res.status;
      if (status === 401) break;
    }
    expect(status).toBe(401);
    // Its refresh token went with it: the app cannot quietly get back in.
    const refreshed = await fetch(`${t.gh.urls.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: app.stored.refresh_token, client_id: app.information.client_id }).toString(),
    });
    expect(refreshed.status).toBe(400);
    await client.close().catch(() => undefined);
  });

  it('a person taken off the profile loses the sign-in at once', async () => {
    const extra = await admin('POST', '/profiles', {
      clientId: ids.partner,
      name: 'temp',
      authType: 'token',
      collectionIds: [ids.shop],
      signInUsers: ['carol'],
    });
    const { client } = await signIn('carol', 41_005, extra.id);
    expect((await tool(client, 'list_collections')).isError).toBe(false);
    await admin('PATCH', `/profiles/${extra.id}`, { signInUsers: [] });
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = await client.listTools().then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    await client.close().catch(() => undefined);
  });

  it('a consumer sign-in token is refused by the admin API and the Management MCP', async () => {
    const { client, app } = await signIn('carol', 41_003, ids.shopOnly);
    const token = app.stored.access_token as string;
    expect((await call(t.api, token, 'GET', '/collections')).status).toBe(401);
    const mgmt = await fetch(`${t.gh.urls.admin}/management/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(mgmt.status).toBe(401);
    await client.close();
  });

  it('a person no profile names is told so and gets no token', async () => {
    const app = new MemoryOAuthProvider('http://127.0.0.1:41004/callback', { client_name: 'Connector' });
    const first = new Client({ name: 'connector', version: '3.1.0' });
    await first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app })).catch(() => undefined);
    const outcome = await browse(app.authorizationUrl!.href, app.redirectUrl, { username: 'dave', password: PASSWORD, consent: 'allow' });
    expect(outcome.code).toBeUndefined();
    expect(outcome.status).toBe(403);
    expect(outcome.page).toContain('No consumer profile');
  });
});

describe('a sign-in is the person’s own change, through the executor', () => {
  it('is audited with the person as actor, channel mcp and the app named, in the same transaction as the grant', async () => {
    const { client, app } = await signIn('carol', 41_006, ids.shopOnly);
    const appId = app.information.client_id as string;
    const grant = (await admin('GET', `/mcp-grants?profileId=${ids.shopOnly}`)).items.find((g: any) => g.appClientId === appId);
    expect(grant).toBeTruthy();
    const entries = (await admin('GET', `/audit-logs?action=mcp-grants.sign-in&resourceId=${grant.id}`)).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { subject: ids.carol, name: 'carol', kind: 'user' },
      channel: 'mcp',
      clientApp: `${appId} (Connector)`,
      outcome: 'success',
      status: 201,
      resourceType: 'mcp-grants',
      diff: { after: { profileId: ids.shopOnly, username: 'carol', appName: 'Connector' } },
    });
    await client.close();
  });

  it('no surface serves it, and a forged sign-in is refused and audited as denied', async () => {
    const openapi = (await call(t.api, null, 'GET', '/openapi.json')).body;
    expect(JSON.stringify(openapi)).not.toContain('mcp-grants.sign-in');
    expect(
      (await call(t.api, t.adminToken, 'POST', '/mcp-grants', { oidcGrantId: 'x', profileId: ids.shopOnly, appClientId: 'x', appName: 'x' })).status,
    ).toBeGreaterThanOrEqual(404);
    const { client, app } = await signIn('carol', 41_007, ids.shopOnly);
    const appId = app.information.client_id as string;
    const grant = (await admin('GET', `/mcp-grants?profileId=${ids.shopOnly}`)).items.find((g: any) => g.appClientId === appId);
    const forged = { oidcGrantId: grant.oidcGrantId, profileId: ids.internalOnly, appClientId: appId, appName: 'Connector' };
    const call_ = (subject: string, name: string) => ({
      principal: { subject, name, kind: 'user' as const, groups: [] },
      channel: 'mcp' as const,
      requestId: 'forged',
    });
    // Dave is on no profile; an admin is not the person the grant belongs to; Carol cannot claim a grant that is not hers.
    await expect(t.gh.executor.dispatch('mcp-grants.sign-in', forged, call_('usr_nobody', 'dave'))).rejects.toMatchObject({ code: 'GATEHOUSE_FORBIDDEN' });
    await expect(
      t.gh.executor.dispatch('mcp-grants.sign-in', forged, { ...call_(SYSTEM_PRINCIPAL.subject, 'system'), localAdmin: true }),
    ).rejects.toMatchObject({
      code: 'GATEHOUSE_FORBIDDEN',
    });
    await expect(
      t.gh.executor.dispatch('mcp-grants.sign-in', { ...forged, oidcGrantId: 'someone-elses-grant' }, call_(ids.carol!, 'carol')),
    ).rejects.toMatchObject({ code: 'GATEHOUSE_FORBIDDEN' });
    const denied = (await admin('GET', '/audit-logs?action=mcp-grants.sign-in&outcome=denied')).items;
    expect(denied.length).toBeGreaterThanOrEqual(3);
    // Nothing changed: the sign-in still acts as the profile Carol picked.
    expect((await admin('GET', `/mcp-grants/${grant.id}`)).profileId).toBe(ids.shopOnly);
    await client.close();
  });
});
