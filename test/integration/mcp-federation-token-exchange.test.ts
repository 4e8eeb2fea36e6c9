import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken, loginWithPassword, tokenRequest } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };

let t: TestGatehouse;
let upstream: TestUpstream;
let agent: { clientId: string; clientSecret: string };
let plain: { clientId: string; clientSecret: string };
const alice = { username: 'alice-agent-test', password: 'alice-password-12345', id: '' };
const bob = { username: 'bob-agent-test', password: 'bob-password-123456', id: '' };
const consumer = { username: 'carol-no-role', password: 'carol-password-12345', id: '' };

async function createUser(u: { username: string; password: string; id: string }, role?: 'viewer') {
  u.id = ((await t.gh.executor.execute('users.create', { username: u.username, password: u.password, ...(role ? { role } : {}) }, local)) as { id: string }).id;
}

async function createServiceAccount(name: string, actForUsers: boolean) {
  const out = (await t.gh.executor.execute('service-accounts.create', { name, role: 'viewer', actForUsers }, local)) as {
    serviceAccount: { clientId: string; actForUsers: boolean };
    clientSecret: string;
  };
  expect(out.serviceAccount.actForUsers).toBe(actForUsers);
  return { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret };
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('records', (s) => {
    s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'found' }] }));
  });
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'records', url: upstream.url });
  agent = await createServiceAccount('exchange-agent', true);
  plain = await createServiceAccount('plain-agent', false);
  await createUser(alice, 'viewer');
  await createUser(bob, 'viewer');
  await createUser(consumer);
  for (const [slug, users] of [
    ['team', [alice.username, consumer.username]],
    ['private', [bob.username]],
  ] as const) {
    const created = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [server.body.id],
      tools: [{ upstreamId: server.body.id, name: 'lookup', rateLimit: { window: 'day', limit: 2 } }],
      // The agent itself is on no access list: it acts only as the users it exchanges for.
      access: { users },
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await t?.close();
});

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');
const signIn = (u: { username: string; password: string }, resource = t.api) => loginWithPassword({ issuer: t.gh.urls.issuer, ...u, resource });

function exchange(client: { clientId: string; clientSecret: string } | null, form: Record<string, string>) {
  return tokenRequest(
    t.gh.urls.issuer,
    { grant_type: EXCHANGE, subject_token_type: ACCESS_TOKEN, ...form, ...(client ? {} : { client_id: 'gatehouse-cli' }) },
    client ?? undefined,
  );
}

async function connect(slug: string, token: string): Promise<Client> {
  return connectedClient(urlOf(slug), token, { name: 'agent-test' });
}

describe('token exchange for an agent (RFC 8693)', () => {
  it('gives the agent a short-lived token for the virtual server, as the user, naming the agent; the call runs, is limited and logged as the user', async () => {
    const { accessToken } = await signIn(alice);
    const res = await exchange(agent, { subject_token: accessToken, resource: urlOf('team') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: 'Bearer' });
    expect(res.body.expires_in).toBeLessThanOrEqual(300);
    const claims = decodeJwt(res.body.access_token as string);
    expect(claims).toMatchObject({ sub: alice.id, aud: urlOf('team'), act: { sub: agent.clientId }, client_id: agent.clientId, gh_kind: 'user' });

    const client = await connect('team', res.body.access_token as string);
    expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    await client.close();
    // The per-user limit counts the agent's call as Alice's: her own sign-in has one call left, then none.
    const own = await connect('team', (await signIn(alice, urlOf('team'))).accessToken);
    expect(text(await own.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    const limited = await own.callTool({ name: 'lookup', arguments: {} });
    expect(text(limited)).toContain('GATEHOUSE_RATE_LIMITED');
    await own.close();

    let logs: { items: { subject: string | null; actor: string | null; mcpTool: string | null }[] } = { items: [] };
    for (let i = 0; i < 50 && logs.items.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logs = (
        await call(t.api, t.adminToken, 'GET', `/request-logs?channel=federation&mcpMethod=tools%2Fcall&subject=${encodeURIComponent(`user:${alice.id}`)}`)
      ).body;
    }
    expect(logs.items.map((e) => e.actor).sort()).toEqual([null, null, `service:${agent.clientId}`]);
    expect(logs.items.every((e) => e.subject === `user:${alice.id}` && e.mcpTool?.startsWith('lookup'))).toBe(true);
  });

  it('shows the calls per user in query_mcp_analytics on the Management MCP, the agent’s among them', async () => {
    const mcpUrl = `${t.gh.urls.admin}/management/mcp`;
    const token = await tokenRequest(t.gh.urls.issuer, { grant_type: 'client_credentials', resource: mcpUrl, scope: 'gatehouse:management' }, plain);
    const operator = new Client({ name: 'operator', version: '1' });
    await operator.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token.body.access_token}` } } }),
    );
    expect((await operator.listTools()).tools.map((x) => x.name)).toContain('query_mcp_analytics');
    let group: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && (group?.calls ?? 0) !== 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await operator.callTool({
        name: 'query_mcp_analytics',
        arguments: { action: 'query', params: { server: 'team', groupBy: 'server,tool,user' } },
      });
      expect(res.isError, text(res)).toBeFalsy();
      const answer = JSON.parse(text(res)) as { groups: Record<string, unknown>[] };
      group = answer.groups.find((g) => g.user === `user:${alice.id}`);
    }
    expect(group).toMatchObject({ server: 'team', tool: 'lookup', calls: 3, succeeded: 2, agentCalls: 1, failures: { gateway: 1, auth: 0, upstream: 0 } });
    const bad = await operator.callTool({ name: 'query_mcp_analytics', arguments: { action: 'query', params: { groupBy: 'colour' } } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('GATEHOUSE_VALIDATION_FAILED');
    await operator.close();
    const viaApi = await call(t.api, t.adminToken, 'GET', `/mcp-analytics?groupBy=user&user=${encodeURIComponent(`user:${alice.id}`)}`);
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.groups).toEqual([expect.objectContaining({ user: `user:${alice.id}`, calls: 3, agentCalls: 1 })]);
    // Per agent: the call the agent made for Alice apart from her own.
    const perAgent = await call(t.api, t.adminToken, 'GET', `/mcp-analytics?groupBy=user,agent&user=${encodeURIComponent(`user:${alice.id}`)}`);
    expect(perAgent.body.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: `user:${alice.id}`, agent: null, calls: 2, agentCalls: 0 }),
        expect.objectContaining({ user: `user:${alice.id}`, agent: expect.stringMatching(/^service:/), calls: 1, agentCalls: 1 }),
      ]),
    );
    expect((await call(t.api, t.adminToken, 'GET', '/mcp-analytics?limit=0')).status).toBe(400);
  });

  it('never mints admin audiences: the admin API, the Management MCP and the Gateway MCP are refused, and an exchanged token does not work there', async () => {
    const { accessToken } = await signIn(alice);
    for (const resource of [t.api, `${t.gh.urls.admin}/management/mcp`, `${t.gh.urls.proxy}/mcp`]) {
      const res = await exchange(agent, { subject_token: accessToken, resource });
      expect(res.status, resource).toBe(400);
      expect(res.body.error, resource).toBe('invalid_target');
    }
    const exchanged = (await exchange(agent, { subject_token: accessToken, resource: urlOf('team') })).body.access_token as string;
    expect((await call(t.api, exchanged, 'GET', '/collections')).status).toBe(401);
    const mcp = await fetch(`${t.gh.urls.admin}/management/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${exchanged}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(401);
  });

  it('refuses a virtual server the user may not use: not on its access list, no role, unknown', async () => {
    const { accessToken } = await signIn(alice);
    for (const slug of ['private', 'nonexistent']) {
      const res = await exchange(agent, { subject_token: accessToken, resource: urlOf(slug) });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_target');
    }
    // Carol is on the access list but holds no role on the gateway.
    const carol = await signIn(consumer);
    const res = await exchange(agent, { subject_token: carol.accessToken, resource: urlOf('team') });
    expect(res.body.error).toBe('invalid_target');
    // Bob may use "private": the same agent gets a token for him there.
    const ok = await exchange(agent, { subject_token: (await signIn(bob)).accessToken, resource: urlOf('private') });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('refuses clients not allowed to exchange with unauthorized_client', async () => {
    const { accessToken } = await signIn(alice);
    for (const client of [plain, null]) {
      const res = await exchange(client, { subject_token: accessToken, resource: urlOf('team') });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unauthorized_client');
    }
  });

  it('takes effect at once when an admin turns exchange off and on again for an agent (audited)', async () => {
    const { accessToken } = await signIn(alice);
    const off = await call(t.api, t.adminToken, 'PATCH', `/service-accounts/${agent.clientId}`, { actForUsers: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.actForUsers).toBe(false);
    expect((await exchange(agent, { subject_token: accessToken, resource: urlOf('team') })).body.error).toBe('unauthorized_client');
    // Its own client-credentials grant is untouched.
    expect(await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: t.api })).toBeTruthy();
    expect((await call(t.api, t.adminToken, 'PATCH', `/service-accounts/${agent.clientId}`, { actForUsers: true })).status).toBe(200);
    expect((await exchange(agent, { subject_token: accessToken, resource: urlOf('team') })).status).toBe(200);
    expect((await call(t.api, t.adminToken, 'PATCH', `/service-accounts/${agent.clientId}`, { role: 'admin' })).status).toBe(400);
    const audit = (await call(t.api, t.adminToken, 'GET', '/audit-logs?action=service-accounts.update')).body.items;
    const changes = audit.filter((e: { outcome: string }) => e.outcome === 'success');
    expect(changes.map((e: { diff: { after: { actForUsers: boolean } } }) => e.diff.after.actForUsers)).toEqual([true, false]);
    // The refused change (a role is a role binding, not a field) is audited as refused.
    expect(audit.filter((e: { outcome: string }) => e.outcome !== 'success')).toHaveLength(1);
  });

  it('refuses bad subject tokens with invalid_grant: garbage, a service account’s, an exchanged one, a revoked sign-in', async () => {
    const serviceToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...plain, resource: t.api });
    const { accessToken } = await signIn(alice);
    const exchanged = (await exchange(agent, { subject_token: accessToken, resource: urlOf('team') })).body.access_token as string;
    const forged = `${accessToken.split('.').slice(0, 2).join('.')}.${Buffer.from('not the signature').toString('base64url')}`;
    for (const subject of ['not-a-token', forged, serviceToken, exchanged]) {
      const res = await exchange(agent, { subject_token: subject, resource: urlOf('team') });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    }
    // Revoking the sign-in (its refresh token) ends the grant: its access tokens can no longer be exchanged.
    const session = await signIn(alice);
    const before = await exchange(agent, { subject_token: session.accessToken, resource: urlOf('team') });
    expect(before.status).toBe(200);
    const { revocation_endpoint } = (await (await fetch(`${t.gh.urls.issuer}/.well-known/openid-configuration`)).json()) as { revocation_endpoint: string };
    const revoked = await fetch(revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: session.refreshToken!, client_id: 'gatehouse-cli' }).toString(),
    });
    expect(revoked.status).toBe(200);
    const after = await exchange(agent, { subject_token: session.accessToken, resource: urlOf('team') });
    expect(after.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('revoked') });
    // A deleted user's tokens are not exchanged, though they have not expired.
    const dave = { username: 'dave-agent-test', password: 'dave-password-123456', id: '' };
    await createUser(dave, 'viewer');
    const daves = await signIn(dave);
    expect((await exchange(agent, { subject_token: daves.accessToken, resource: urlOf('team') })).body.error).toBe('invalid_target');
    await t.gh.executor.execute('users.delete', { id: dave.id }, local);
    expect((await exchange(agent, { subject_token: daves.accessToken, resource: urlOf('team') })).body.error).toBe('invalid_grant');
  });

  it('refuses malformed requests and scope beyond the subject’s', async () => {
    const { accessToken } = await signIn(alice);
    const wrongType = await exchange(agent, {
      subject_token: accessToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      resource: urlOf('team'),
    });
    expect(wrongType.body.error).toBe('invalid_request');
    const noSubject = await exchange(agent, { resource: urlOf('team') });
    expect(noSubject.body.error).toBe('invalid_request');
    const noResource = await exchange(agent, { subject_token: accessToken });
    expect(noResource.body.error).toBe('invalid_target');
    const actor = await exchange(agent, { subject_token: accessToken, resource: urlOf('team'), actor_token: accessToken, actor_token_type: ACCESS_TOKEN });
    expect(actor.body.error).toBe('invalid_request');
    const beyond = await exchange(agent, { subject_token: accessToken, resource: urlOf('team'), scope: 'gatehouse:management' });
    expect(beyond.body.error).toBe('invalid_scope');
  });
});

describe('token exchange with short-lived subject tokens', () => {
  let short: TestGatehouse;
  afterAll(async () => short?.close());

  it('refuses an expired subject token, and never issues past the subject token’s expiry', async () => {
    short = await startTestGatehouse('sqlite', { oauth: { accessTokenTtlSeconds: 5 } });
    const user = await short.user('viewer');
    const out = (await short.gh.executor.execute('service-accounts.create', { name: 'short-agent', role: 'viewer', actForUsers: true }, local)) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    const sa = { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret };
    const server = await call(short.api, short.adminToken, 'POST', '/mcp-servers', { name: 'records', url: upstream.url });
    const created = await call(short.api, short.adminToken, 'POST', '/virtual-mcps', {
      slug: 'short',
      name: 'short',
      upstreamIds: [server.body.id],
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const resource = `${short.gh.urls.proxy}/mcp/v/short`;
    const form = { grant_type: EXCHANGE, subject_token_type: ACCESS_TOKEN, subject_token: user.token, resource };
    const fresh = await tokenRequest(short.gh.urls.issuer, form, sa);
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect(fresh.body.expires_in).toBeLessThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 6_000));
    const expired = await tokenRequest(short.gh.urls.issuer, form, sa);
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
  }, 60_000);
});
