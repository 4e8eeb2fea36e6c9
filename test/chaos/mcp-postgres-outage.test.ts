import { randomBytes } from 'node:crypto';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { searchRequestLogs } from '../../src/telemetry/queries/request-logs.js';
import { freshDatabase, PG_URL, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { type OAuthMcpUpstream, startOAuthMcpUpstream } from '../support/oauth-mcp-upstream.js';
import { browse, CookieJar, loginWithPassword } from '../support/oauth.js';
import { PRE } from '../support/per-user-gateway.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// Like the REST outage test: the node reaches PostgreSQL through a forwarder this test cuts, while
// people signed in over OAuth call a virtual MCP server (a real upstream MCP server behind it) and
// the Gateway MCP's execute_call. Both read only the node's snapshot, so neither notices.
const pg = await postgresAvailable();
const PASSWORD = 'chaos-password-1';

/** Calls `fn` in `concurrency` loops until `stop` is set; returns how many calls succeeded and what failed. */
async function load(fn: () => Promise<void>, concurrency: number, stop: { done: boolean }): Promise<{ ok: number; failed: string[] }> {
  const out = { ok: 0, failed: [] as string[] };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop.done) {
        await fn().then(
          () => void out.ok++,
          (err: unknown) => void out.failed.push(String(err)),
        );
      }
    }),
  );
  return out;
}

async function eventually(ms: number, check: () => Promise<boolean>): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms`);
}
/** How many tool calls the request log holds for this caller (`user:<id>`); other MCP requests (initialize, tools/list) are logged too. */
/** How many request-log entries name this caller (`user:<id>`). */
async function loggedFor(db: TestDatabase, subject: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await searchRequestLogs(db.db, { limit: 100, subject, mcpMethod: 'tools/call', ...(cursor ? { cursor } : {}) });
    n += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return n;
}

describe.runIf(pg)('PostgreSQL down under MCP load', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let gh: RunningGatehouse | undefined;
  let forwarder: TcpProxy;
  let rest: SampleUpstream;
  let mcp: TestUpstream;
  let perUser: OAuthMcpUpstream | undefined;
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await gh?.close();
    await forwarder?.close();
    await rest?.close();
    await mcp?.close();
    await perUser?.close();
    await db?.drop();
  });

  it('serves /mcp/v/{slug} (shared and per-user upstream credentials) and signed-in /mcp callers on the last config, and logs every call once the store is back', async () => {
    rest = await startUpstream();
    mcp = await startStatefulUpstream('echo', (s) => {
      s.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
        content: [{ type: 'text', text }],
      }));
    });
    db = await freshDatabase('postgres');
    const target = new URL(PG_URL);
    forwarder = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaForwarder = new URL(PG_URL);
    viaForwarder.port = String(forwarder.port);
    gh = await startGatehouse({
      port: 0,
      dataDir: db.dataDir,
      databaseUrl: viaForwarder.toString(),
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent',
      // The OAuth-protected upstream and its authorization server listen on loopback.
      tokenEndpoints: { allowPrivateNetworks: true },
      mcpAllowPrivateUpstreams: true,
    });
    const node = gh;
    const { accessToken } = await loginWithPassword({ issuer: node.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: node.urls.adminApi });
    const admin = (method: string, path: string, body?: unknown) => call(node.urls.adminApi, accessToken, method, path, body);
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await admin(method, path, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };

    // A virtual server over the upstream MCP server, used by a person with a role (signed in for it).
    const server = await ok('POST', '/mcp-servers', { name: 'echo', url: mcp.url });
    await ok('POST', '/virtual-mcps', {
      slug: 'chaos',
      name: 'Chaos',
      upstreamIds: [server.id],
      tools: [{ upstreamId: server.id, name: 'echo' }],
      published: true,
    });
    const fred = await ok('POST', '/users', { username: 'fred', password: PASSWORD, role: 'viewer' });
    const virtualUrl = `${node.urls.proxy}/mcp/v/chaos`;
    const fredToken = (await loginWithPassword({ issuer: node.urls.issuer, username: 'fred', password: PASSWORD, resource: virtualUrl })).accessToken;
    const federated = new Client({ name: 'chaos-federated', version: '1' });
    clients.push(federated);
    await federated.connect(new StreamableHTTPClientTransport(new URL(virtualUrl), { requestInit: { headers: { authorization: `Bearer ${fredToken}` } } }));

    // A virtual server over an OAuth-protected upstream that the admin has connected their own account
    // to: their upstream token is kept by the node, so their calls go on while the store is down.
    perUser = await startOAuthMcpUpstream({ callbackUrl: `${node.urls.proxy}/mcp/connect/callback`, preregistered: PRE, accessTokenTtl: 600 });
    const perUserServer = await ok('POST', '/mcp-servers', {
      name: 'mine',
      url: perUser.url,
      auth: 'oauth_per_user',
      oauth: { registration: 'preregistered', clientId: PRE.clientId, scope: 'mcp' },
      oauthClientSecret: PRE.clientSecret,
    });
    const mineVirtual = await ok('POST', '/virtual-mcps', {
      slug: 'mine',
      name: 'Mine',
      upstreamIds: [perUserServer.id],
      tools: [{ upstreamId: perUserServer.id, name: 'whoami' }],
      published: true,
    });
    const mineUrl = `${node.urls.proxy}/mcp/v/mine`;
    const mineToken = (await loginWithPassword({ issuer: node.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: mineUrl })).accessToken;
    const mine = new Client({ name: 'chaos-per-user', version: '1' });
    clients.push(mine);
    await mine.connect(new StreamableHTTPClientTransport(new URL(mineUrl), { requestInit: { headers: { authorization: `Bearer ${mineToken}` } } }));
    const whoami = async () => (await mine.callTool({ name: 'whoami', arguments: {} })) as { isError?: boolean; content: Array<{ text: string }> };
    const link = JSON.parse((await whoami()).content[0]!.text).error.connectUrl as string;
    const jar = new CookieJar();
    const signedIn = await browse(link, `${node.urls.proxy}/mcp/connect/signed-in`, { username: 'admin', password: ADMIN_PASSWORD, jar });
    const upstreamDone = await browse(signedIn.landedAt!, `${node.urls.proxy}/mcp/connect/callback`, { username: 'admin-upstream', password: 'any', jar });
    expect((await fetch(upstreamDone.landedAt!, { headers: { cookie: jar.header() }, redirect: 'manual' })).status).toBe(200);
    // Curated before anyone was connected: approving reads the definitions with the admin's connection.
    await ok('POST', `/virtual-mcps/${mineVirtual.id}/approve-tools`, {});
    expect((await whoami()).content[0]!.text).toBe('admin-upstream');
    const adminId = (await ok('GET', '/users')).items.find((u: { username: string }) => u.username === 'admin').id;

    // An API in the catalog, and a person signed in to the Gateway MCP as a profile that reaches it.
    const col = await ok('POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
    const proxy = await ok('POST', '/proxies', { collectionId: col.id, name: 'Orders', basePath: '/shop', upstreams: [rest.url] });
    await ok('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'Orders' });
    const client = await ok('POST', '/clients', { name: 'Partner', collectionIds: [col.id] });
    const profile = await ok('POST', '/profiles', { clientId: client.id, name: 'shop', authType: 'token', signInUsers: ['carol'] });
    const carol = await ok('POST', '/users', { username: 'carol', password: PASSWORD });
    const mcpUrl = new URL(`${node.urls.proxy}/mcp`);
    const app = new MemoryOAuthProvider('http://127.0.0.1:41003/callback', { client_name: 'Chaos connector' });
    const refused = await new Client({ name: 'chaos-catalog', version: '1' })
      .connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }))
      .catch((e) => e);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    const outcome = await browse(app.authorizationUrl!.href, app.redirectUrl, { username: 'carol', password: PASSWORD, consent: 'allow', profile: profile.id });
    expect(outcome.code, JSON.stringify({ ...outcome, consentPage: undefined })).toBeTruthy();
    await new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }).finishAuth(new URL(outcome.landedAt!).searchParams);
    const catalog = new Client({ name: 'chaos-catalog', version: '1' });
    clients.push(catalog);
    await catalog.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }));

    const callEcho = async () => {
      const res = (await federated.callTool({ name: 'echo', arguments: { text: 'hi' } })) as { isError?: boolean; content: Array<{ text: string }> };
      if (res.isError || res.content[0]?.text !== 'hi') throw new Error(`echo: ${JSON.stringify(res)}`);
    };
    const callApi = async () => {
      const res = (await catalog.callTool({ name: 'execute_call', arguments: { endpoint: 'GET /shop/orders' } })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      if (res.isError || JSON.parse(res.content[0]!.text).status !== 200) throw new Error(`execute_call: ${JSON.stringify(res)}`);
    };

    const callMine = async () => {
      const res = await whoami();
      if (res.isError || res.content[0]?.text !== 'admin-upstream') throw new Error(`whoami: ${JSON.stringify(res)}`);
    };

    const stop = { done: false };
    const traffic = Promise.all([load(callEcho, 2, stop), load(callApi, 2, stop), load(callMine, 1, stop)]);
    await new Promise((r) => setTimeout(r, 500));
    await forwarder.cut();
    const refusedWrite = await admin('POST', '/collections', { slug: 'during-outage', name: 'During outage' });
    expect(refusedWrite.status, JSON.stringify(refusedWrite.body)).toBe(503);
    // Past the 5 s the virtual servers used to be kept for before being read from the store again.
    await new Promise((r) => setTimeout(r, 6_000));
    await forwarder.restore();
    await eventually(15_000, async () => (await admin('POST', '/collections', { slug: `after-${Date.now()}`, name: 'After' })).status === 201);
    stop.done = true;
    const [echoes, apiCalls, mineCalls] = await traffic;

    expect(echoes.failed).toEqual([]);
    expect(apiCalls.failed).toEqual([]);
    expect(mineCalls.failed).toEqual([]);
    expect(mineCalls.ok).toBeGreaterThan(10);
    expect(echoes.ok).toBeGreaterThan(20);
    expect(apiCalls.ok).toBeGreaterThan(20);
    // Closing flushes the writer; what the outage spooled is in the database by then.
    await Promise.all(clients.map((c) => c.close()));
    await node.close();
    gh = undefined;
    expect(await loggedFor(db, `user:${fred.id}`)).toBe(echoes.ok);
    // With the two logged calls before the load: connect required, and connected (one withheld as unapproved is not a gateway call).
    expect(await loggedFor(db, `user:${adminId}`)).toBe(mineCalls.ok + 2);
    expect(await loggedFor(db, `user:${carol.id}`)).toBe(apiCalls.ok);
  });
});
