import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import type { OAuthMcpUpstream } from '../support/oauth-mcp-upstream.js';
import { PRE, type PerUserGateway, startPerUserGateway } from '../support/per-user-gateway.js';

/**
 * Per-user upstream OAuth: an MCP server that takes only tokens of its own authorization server
 * (a separate oidc-provider), behind virtual servers of a real gateway process. People connect
 * through the gateway's connect link (signing in at the gateway, then consenting upstream); each
 * call then runs with their own upstream token, which no AI client, log or audit entry ever sees.
 */

const PASSWORD = 'per-user-password-42';

let gw: PerUserGateway;
let proxy = '';
let upstream: OAuthMcpUpstream;
const servers: Record<string, string> = {};
const users: Record<string, { id: string; apiToken: string }> = {};

const admin: PerUserGateway['admin'] = (...args) => gw.admin(...args);
const aiClient: PerUserGateway['aiClient'] = (...args) => gw.aiClient(...args);
const callTool: PerUserGateway['callTool'] = (...args) => gw.callTool(...args);
const connect: PerUserGateway['connect'] = (...args) => gw.connect(...args);
const connectRequired: PerUserGateway['connectRequired'] = (...args) => gw.connectRequired(...args);

beforeAll(async () => {
  gw = await startPerUserGateway({ accessTokenTtl: 4 });
  proxy = gw.proxy;
  upstream = gw.upstream;
  for (const name of ['alice', 'bob']) users[name] = await gw.user(name, PASSWORD);
  const pre = await admin('POST', '/mcp-servers', {
    name: 'pre',
    url: upstream.url,
    auth: 'oauth_per_user',
    oauth: { registration: 'preregistered', clientId: PRE.clientId, scope: 'mcp' },
    oauthClientSecret: PRE.clientSecret,
  });
  expect(pre.status, JSON.stringify(pre.body)).toBe(201);
  const dyn = await admin('POST', '/mcp-servers', { name: 'dyn', url: upstream.url, auth: 'oauth_per_user', oauth: { registration: 'dynamic' } });
  expect(dyn.status, JSON.stringify(dyn.body)).toBe(201);
  servers.pre = pre.body.id;
  servers.dyn = dyn.body.id;
  for (const [slug, id] of Object.entries(servers)) {
    const vmcp = await admin('POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [id],
      tools: [
        { upstreamId: id, name: 'whoami' },
        { upstreamId: id, name: 'echo_token' },
      ],
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
    servers[`v-${slug}`] = vmcp.body.id;
  }
}, 90_000);

afterAll(async () => {
  await gw?.close();
});

describe('oauth_per_user upstream MCP servers', () => {
  let adminAi: Client;
  let alice: Client;
  let bob: Client;

  it('shows a stored server with its OAuth settings, never its client secret', async () => {
    const read = await admin('GET', `/mcp-servers/${servers.pre}`);
    expect(read.body).toMatchObject({
      auth: 'oauth_per_user',
      oauth: { registration: 'preregistered', clientId: PRE.clientId, scope: 'mcp' },
      hasOAuthClientSecret: true,
    });
    expect(JSON.stringify(read.body)).not.toContain(PRE.clientSecret);
  });

  it('an unconnected call gets a clear connect error with the gateway’s link; after connecting, an admin approves the tools', async () => {
    adminAi = await aiClient('admin', ADMIN_PASSWORD, 'pre');
    const link = await connectRequired(adminAi, 'whoami');
    const done = await connect(link, 'admin', ADMIN_PASSWORD, 'admin-upstream');
    expect(done.status, done.page).toBe(200);
    expect(done.page).toContain('is connected');
    // Curated before anyone was connected, so not yet pinned: approval reads the definitions as the admin, with their connection.
    expect((await callTool(adminAi, 'whoami')).error?.code).toBe('GATEHOUSE_MCP_TOOL_UNAPPROVED');
    const approved = await admin('POST', `/virtual-mcps/${servers['v-pre']}/approve-tools`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await callTool(adminAi, 'whoami')).text).toBe('admin-upstream');
  });

  it('two people connect, each with their own upstream token and identity; neither sees the other’s', async () => {
    alice = await aiClient('alice', PASSWORD, 'pre');
    bob = await aiClient('bob', PASSWORD, 'pre');
    // Before connecting, the curated tools are listed (so the model can call one and learn how to connect).
    expect((await alice.listTools()).tools.map((t) => t.name)).toEqual(['echo_token', 'whoami']);
    const aliceLink = await connectRequired(alice, 'whoami');
    const bobLink = await connectRequired(bob, 'whoami');
    // A link works only for the person it was made for.
    const stolen = await connect(aliceLink, 'bob', PASSWORD, 'bob-upstream');
    expect(stolen.status).toBe(403);
    expect(stolen.page).toContain('another gateway account');
    expect((await callTool(alice, 'whoami')).error?.code).toBe('GATEHOUSE_MCP_CONNECT_REQUIRED');

    expect((await connect(aliceLink, 'alice', PASSWORD, 'alice-upstream')).status).toBe(200);
    expect((await connect(bobLink, 'bob', PASSWORD, 'bob-upstream')).status).toBe(200);
    const before = upstream.accepted.length;
    expect((await callTool(alice, 'whoami')).text).toBe('alice-upstream');
    const aliceToken = upstream.accepted.at(-1);
    expect((await callTool(bob, 'whoami')).text).toBe('bob-upstream');
    const bobToken = upstream.accepted.at(-1);
    expect(upstream.accepted.length).toBeGreaterThan(before);
    expect(aliceToken).not.toBe(bobToken);
    expect((await callTool(alice, 'whoami')).text).toBe('alice-upstream');
  });

  it('an upstream that echoes the token hands the caller no token', async () => {
    const echoed = await callTool(alice, 'echo_token');
    expect(echoed.text).toBe('your token is [redacted]');
  });

  it('refreshes a token before it expires, and after the upstream refuses one (once, then retries)', async () => {
    const refreshesBefore = upstream.grants.filter((g) => g === 'refresh_token').length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await callTool(alice, 'whoami')).text).toBe('alice-upstream');
    expect(upstream.grants.filter((g) => g === 'refresh_token').length).toBe(refreshesBefore + 1);
    const current = upstream.accepted.at(-1)!;
    upstream.rejected.add(current);
    expect((await callTool(alice, 'whoami')).text).toBe('alice-upstream');
    expect(upstream.accepted.at(-1)).not.toBe(current);
    expect(upstream.grants.filter((g) => g === 'refresh_token').length).toBe(refreshesBefore + 2);
  });

  it('a person sees and revokes their own connection; their next call asks them to connect again', async () => {
    const mine = await admin('GET', '/mcp-connections/mine', undefined, users.alice!.apiToken);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ serverId: servers.pre, server: 'pre', subject: users.alice!.id, username: 'alice' })]);
    const out = await admin('POST', '/mcp-connections/mine/disconnect', { serverId: servers.pre }, users.alice!.apiToken);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    await connectRequired(alice, 'whoami');
    // Bob's connection is untouched.
    expect((await callTool(bob, 'whoami')).text).toBe('bob-upstream');
    const again = await admin('POST', '/mcp-connections/mine/disconnect', { serverId: servers.pre }, users.alice!.apiToken);
    expect(again.status).toBe(404);
  });

  it('an admin lists a server’s connections and revokes one, audited', async () => {
    const list = await admin('GET', `/mcp-connections?serverId=${servers.pre}`);
    expect(list.body.items.map((c: { username: string }) => c.username).sort()).toEqual(['admin', 'bob']);
    const viewerRevoke = await admin('POST', '/mcp-connections/revoke', { serverId: servers.pre, subject: users.bob!.id }, users.alice!.apiToken);
    expect(viewerRevoke.status).toBe(403);
    const revoked = await admin('POST', '/mcp-connections/revoke', { serverId: servers.pre, subject: users.bob!.id });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    await connectRequired(bob, 'whoami');
    const audit = await admin('GET', '/audit-logs?limit=500');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['mcp-connections.connect', 'mcp-connections.disconnect', 'mcp-connections.revoke']));
  });

  it('a client that declares URL-mode elicitation gets the URL elicitation error with the connect link (2026-07-28)', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } },
      'io.modelcontextprotocol/clientInfo': { name: 'elicit-test', version: '1' },
    };
    const res = await fetch(`${proxy}/mcp/v/pre`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gw.aiTokens.get('bob/pre')}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'whoami',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'whoami', arguments: {}, _meta: meta } }),
    });
    const body = (await res.json()) as { error?: { code: number; data?: { elicitations?: { mode: string; url: string; elicitationId: string }[] } } };
    gw.said.push(JSON.stringify(body));
    expect(body.error?.code).toBe(-32042);
    const [elicitation] = body.error?.data?.elicitations ?? [];
    expect(elicitation?.mode).toBe('url');
    expect(elicitation?.url).toMatch(new RegExp(`^${proxy}/mcp/connect\\?ticket=`));
    expect(elicitation?.elicitationId).toBeTruthy();
  });

  it('registers dynamically (once per server) and connects through that client', async () => {
    const aliceDyn = await aiClient('alice', PASSWORD, 'dyn');
    const bobDyn = await aiClient('bob', PASSWORD, 'dyn');
    expect((await connect(await connectRequired(aliceDyn, 'whoami'), 'alice', PASSWORD, 'alice-upstream')).status).toBe(200);
    expect(upstream.registered).toHaveLength(1);
    expect((await connect(await connectRequired(bobDyn, 'whoami'), 'bob', PASSWORD, 'bob-upstream')).status).toBe(200);
    expect(upstream.registered).toHaveLength(1);
    // The tools were curated before anyone connected: approve them as bob's admin would (the admin connects too).
    const adminDyn = await aiClient('admin', ADMIN_PASSWORD, 'dyn');
    expect((await connect(await connectRequired(adminDyn, 'whoami'), 'admin', ADMIN_PASSWORD, 'admin-upstream')).status).toBe(200);
    expect((await admin('POST', `/virtual-mcps/${servers['v-dyn']}/approve-tools`, {})).status).toBe(200);
    expect((await callTool(aliceDyn, 'whoami')).text).toBe('alice-upstream');
    expect((await callTool(bobDyn, 'whoami')).text).toBe('bob-upstream');
  });

  it('removes a deleted user’s connections', async () => {
    expect((await admin('GET', `/mcp-connections?subject=${users.bob!.id}`)).body.items).toHaveLength(1);
    expect((await admin('DELETE', `/users/${users.bob!.id}`)).status).toBe(200);
    expect((await admin('GET', `/mcp-connections?subject=${users.bob!.id}`)).body.items).toHaveLength(0);
  });

  it('serves its Client ID Metadata Document, and says so clearly when an upstream does not take those', async () => {
    const doc = await fetch(`${proxy}/mcp/oauth-client.json`);
    expect(doc.headers.get('content-type')).toContain('application/json');
    expect(await doc.json()).toMatchObject({
      client_id: `${proxy}/mcp/oauth-client.json`,
      redirect_uris: [`${proxy}/mcp/connect/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    const cimd = await admin('POST', '/mcp-servers', { name: 'cimd', url: upstream.url, auth: 'oauth_per_user', oauth: { registration: 'metadata_document' } });
    expect(cimd.status, JSON.stringify(cimd.body)).toBe(201);
    await admin('POST', '/virtual-mcps', {
      slug: 'cimd',
      name: 'cimd',
      upstreamIds: [cimd.body.id],
      tools: [{ upstreamId: cimd.body.id, name: 'whoami' }],
      published: true,
    });
    const client = await aiClient('alice', PASSWORD, 'cimd');
    const done = await connect(await connectRequired(client, 'whoami'), 'alice', PASSWORD, 'alice-upstream');
    expect(done.status).toBe(502);
    expect(done.page).toContain('does not accept Client ID Metadata Documents');

    // An authorization server that takes metadata documents: the document's URL is the gateway's client id (a public client, PKCE).
    upstream.acceptMetadataDocument(
      (await (await fetch(`${proxy}/mcp/oauth-client.json`)).json()) as Parameters<OAuthMcpUpstream['acceptMetadataDocument']>[0],
    );
    const ok = await admin('POST', '/mcp-servers', {
      name: 'cimd-ok',
      url: upstream.url,
      auth: 'oauth_per_user',
      oauth: { registration: 'metadata_document' },
    });
    await admin('POST', '/virtual-mcps', {
      slug: 'cimd-ok',
      name: 'cimd-ok',
      upstreamIds: [ok.body.id],
      tools: [{ upstreamId: ok.body.id, name: 'whoami' }],
      published: true,
    });
    const adminClient = await aiClient('admin', ADMIN_PASSWORD, 'cimd-ok');
    expect((await connect(await connectRequired(adminClient, 'whoami'), 'admin', ADMIN_PASSWORD, 'admin-upstream')).status).toBe(200);
    const vmcp = (await admin('GET', '/virtual-mcps')).body.items.find((v: { slug: string }) => v.slug === 'cimd-ok');
    expect((await admin('POST', `/virtual-mcps/${vmcp.id}/approve-tools`, {})).status).toBe(200);
    const aliceClient = await aiClient('alice', PASSWORD, 'cimd-ok');
    expect((await connect(await connectRequired(aliceClient, 'whoami'), 'alice', PASSWORD, 'alice-upstream')).status).toBe(200);
    expect((await callTool(aliceClient, 'whoami')).text).toBe('alice-upstream');
  });

  it('refuses bad settings and bad links clearly', async () => {
    const noOauth = await admin('POST', '/mcp-servers', { name: 'bad1', url: upstream.url, auth: 'oauth_per_user' });
    expect(noOauth.status).toBe(400);
    expect(noOauth.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    const noClient = await admin('POST', '/mcp-servers', { name: 'bad2', url: upstream.url, auth: 'oauth_per_user', oauth: { registration: 'preregistered' } });
    expect(noClient.status).toBe(400);
    const strayId = await admin('POST', '/mcp-servers', {
      name: 'bad3',
      url: upstream.url,
      auth: 'oauth_per_user',
      oauth: { registration: 'dynamic', clientId: 'x' },
    });
    expect(strayId.status).toBe(400);
    const forged = await fetch(`${proxy}/mcp/connect?ticket=eyJzdWIiOiJ4In0.forged`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('not valid or has expired');
    const stray = await fetch(`${proxy}/mcp/connect/callback?code=x&state=y`);
    expect(stray.status).toBe(400);
  });

  it('no upstream token or client secret reaches an AI client, a read, the request log, an audit entry or the server log; no gateway token goes upstream', async () => {
    const audit = await admin('GET', '/audit-logs?limit=500');
    for (const e of audit.body.items) await admin('GET', `/audit-logs/${e.id}`);
    const logs = await admin('GET', '/request-logs?limit=500&channel=federation');
    expect(logs.body.items.length).toBeGreaterThan(5);
    for (const l of logs.body.items) await admin('GET', `/request-logs/${l.id}`);
    await admin('GET', '/mcp-servers');
    await admin('GET', '/mcp-connections');
    const text = [...gw.said, gw.output()].join('\n');
    expect(upstream.issued.length).toBeGreaterThan(6);
    for (const token of upstream.issued) expect(text.includes(token), 'an upstream token').toBe(false);
    expect(text.includes(PRE.clientSecret)).toBe(false);
    const issuedSet = new Set(upstream.issued);
    for (const token of upstream.accepted) expect(issuedSet.has(token)).toBe(true);
    expect(gw.aiTokens.size).toBeGreaterThan(3);
    const sentUpstream = upstream.authorizations.join('\n');
    for (const token of gw.aiTokens.values()) expect(sentUpstream.includes(token)).toBe(false);
  });
});
