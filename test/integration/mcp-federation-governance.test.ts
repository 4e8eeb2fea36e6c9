import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { authorizeWithPassword, clientCredentialsToken, loginWithPassword, registerClient, tokenRequest } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

let t: TestGatehouse;
let upstream: TestUpstream;
let serverId: string;
let agent: { clientId: string; clientSecret: string };
let outsider: { clientId: string; clientSecret: string };
const USER = { username: 'federated-user', password: 'a-federated-password-1' };
const STRANGER = { username: 'not-on-the-list', password: 'a-stranger-password-1' };

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('tools', (s) => {
    s.registerTool('remove', { description: 'Removes a record', annotations: { destructiveHint: true, readOnlyHint: false } }, async () => ({
      content: [{ type: 'text', text: 'removed' }],
    }));
    s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'found' }] }));
    s.registerPrompt('summarize', { description: 'Summarize a record', argsSchema: z.object({ id: z.string() }) }, ({ id }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Summarize record ${id}` } }],
    }));
    s.registerPrompt('internal', { description: 'Not for users' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'secret prompt' } }] }));
    s.registerResource('handbook', 'docs://handbook', { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'The handbook' }] }));
    s.registerResource('payroll', 'docs://payroll', { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'Salaries' }] }));
  });
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'tools', url: upstream.url });
  serverId = server.body.id;
  agent = await t.serviceAccount('viewer');
  outsider = await t.serviceAccount('viewer');
  await t.gh.executor.execute(
    'users.create',
    { ...USER, role: 'viewer' },
    { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'test', localAdmin: true },
  );
  await t.gh.executor.execute(
    'users.create',
    { ...STRANGER, role: 'viewer' },
    { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'test', localAdmin: true },
  );
  const created = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'governed',
    name: 'Governed',
    upstreamIds: [serverId],
    tools: [
      // The admin knows better than the upstream: this one only marks a record as removed.
      { upstreamId: serverId, name: 'remove', annotations: { destructiveHint: false, idempotentHint: true } },
      { upstreamId: serverId, name: 'lookup', rateLimit: { window: 'day', limit: 2 } },
    ],
    prompts: [{ upstreamId: serverId, name: 'summarize', rename: 'summary' }],
    resources: [{ upstreamId: serverId, uri: 'docs://handbook' }],
    access: { serviceAccounts: [agent.clientId], users: [USER.username] },
    published: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await t?.close();
});

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

async function connect(token: string): Promise<Client> {
  return connectedClient(urlOf('governed'), token, { name: 'governance-test' });
}
const serviceToken = (sa: { clientId: string; clientSecret: string }) =>
  clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: urlOf('governed') });

describe('virtual server governance', () => {
  it('shows annotation overrides over the upstream’s own', async () => {
    const client = await connect(await serviceToken(agent));
    const remove = (await client.listTools()).tools.find((x) => x.name === 'remove');
    expect(remove?.annotations).toMatchObject({ destructiveHint: false, readOnlyHint: false, idempotentHint: true });
    await client.close();
  });

  it('limits a tool per user: one caller past the limit is refused, another is not', async () => {
    const client = await connect(await serviceToken(agent));
    expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    const refused = await client.callTool({ name: 'lookup', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('GATEHOUSE_RATE_LIMITED');
    // Other tools are not limited.
    expect(text(await client.callTool({ name: 'remove', arguments: {} }))).toBe('removed');
    await client.close();
    const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, ...USER, resource: urlOf('governed') });
    const person = await connect(accessToken);
    expect(text(await person.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    await person.close();
  });

  it('lets only the access list in: a service account with a role but not listed gets no token for the server, and one removed is refused at its next call', async () => {
    const refused = await tokenRequest(t.gh.urls.issuer, { grant_type: 'client_credentials', resource: urlOf('governed') }, outsider);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_target' });
    expect(String(refused.body.error_description)).toContain('governed');
    // Adding the outsider to the list lets it in at once.
    const vmcp = (await call(t.api, t.adminToken, 'GET', '/virtual-mcps?q=governed')).body.items[0];
    const patched = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${vmcp.id}`, { access: { serviceAccounts: [agent.clientId, outsider.clientId] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const token = await serviceToken(outsider);
    const client = await connect(token);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['lookup', 'remove']);
    await client.close();
    // Off the list again, the token it holds is refused at the next call.
    expect((await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${vmcp.id}`, { access: { serviceAccounts: [agent.clientId] } })).status).toBe(200);
    const res = await fetch(urlOf('governed'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_FORBIDDEN');
  });

  it('issues tokens for the server only to people its access list admits: a consent page says why, a refresh stops when they leave it', async () => {
    // A person with a role but not on the list: the MCP client's consent page refuses, naming the server.
    const redirectUri = 'http://127.0.0.1:33418/callback';
    const registered = await registerClient(t.gh.urls.issuer, {
      client_name: 'Some MCP client',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'none',
    });
    expect(registered.status).toBe(201);
    const refused = await authorizeWithPassword({
      issuer: t.gh.urls.issuer,
      ...STRANGER,
      clientId: registered.body.client_id as string,
      redirectUri,
      resource: urlOf('governed'),
      consent: 'allow',
    });
    expect(refused.code).toBeUndefined();
    expect(refused.status).toBe(403);
    expect(refused.page).toContain('governed');
    expect(refused.page).toContain('access list');
    // A first-party client skips the consent page; the token endpoint refuses instead.
    await expect(loginWithPassword({ issuer: t.gh.urls.issuer, ...STRANGER, resource: urlOf('governed') })).rejects.toThrow(/invalid_target/);

    // Someone on the list signs in; taken off it, their refresh token yields nothing more for this server.
    const extra = { username: 'leaving-user', password: 'a-leaving-password-1' };
    await t.gh.executor.execute(
      'users.create',
      { ...extra, role: 'viewer' },
      { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'test', localAdmin: true },
    );
    const vmcp = (await call(t.api, t.adminToken, 'GET', '/virtual-mcps?q=governed')).body.items[0];
    const before = vmcp.access;
    expect((await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${vmcp.id}`, { access: { users: [...before.users, extra.username] } })).status).toBe(200);
    const signedIn = await loginWithPassword({ issuer: t.gh.urls.issuer, ...extra, resource: urlOf('governed') });
    expect(signedIn.refreshToken).toBeDefined();
    expect((await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${vmcp.id}`, { access: { users: before.users } })).status).toBe(200);
    const refreshed = await tokenRequest(t.gh.urls.issuer, {
      grant_type: 'refresh_token',
      refresh_token: signedIn.refreshToken as string,
      client_id: 'gatehouse-cli',
      resource: urlOf('governed'),
    });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_target');
  });

  it('passes through only the allowlisted prompts and resources', async () => {
    const client = await connect(await serviceToken(agent));
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['summary']);
    const prompt = await client.getPrompt({ name: 'summary', arguments: { id: '42' } });
    expect(prompt.messages[0]?.content).toMatchObject({ type: 'text', text: 'Summarize record 42' });
    const hidden = await client.getPrompt({ name: 'internal' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((hidden as Error)?.message)).toContain('Unknown prompt');
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['docs://handbook']);
    const read = await client.readResource({ uri: 'docs://handbook' });
    expect(read.contents[0]).toMatchObject({ text: 'The handbook' });
    const payroll = await client.readResource({ uri: 'docs://payroll' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((payroll as Error)?.message)).toContain('Unknown resource');
    await client.close();
    // A prompt fetched and a resource read are calls like a tool's: each has its request-log entry (a refused name has none).
    const deadline = Date.now() + 10_000;
    let logged: string[] = [];
    do {
      const items: { mcpTool: string | null }[] = (await call(t.api, t.adminToken, 'GET', '/request-logs?limit=500&channel=federation')).body.items;
      logged = items.map((l) => l.mcpTool ?? '');
      if (logged.some((m) => m.startsWith('resources/read'))) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    expect(logged).toContain('prompts/get summary → tools/summarize');
    expect(logged).toContain('resources/read docs://handbook → tools/docs://handbook');
    expect(logged.some((m) => m.includes('internal') || m.includes('payroll'))).toBe(false);
  });

  it('refuses a rate limit or an annotation that is not one', async () => {
    const bad = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'bad-governed',
      name: 'Bad',
      upstreamIds: [serverId],
      tools: [{ upstreamId: serverId, name: 'lookup', rateLimit: { window: 'week', limit: 0 }, annotations: { dangerous: true } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
  });

  it('removes an access list with null (everyone with a role may use the server again); refuses one that is not an access list', async () => {
    const created = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'listed',
      name: 'Listed',
      upstreamIds: [serverId],
      tools: [{ upstreamId: serverId, name: 'lookup' }],
      access: { serviceAccounts: [agent.clientId] },
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    // What the outsider gets: no token while the list keeps it out, the tools once it may use the server.
    const outsiderLists = async () => {
      const issued = await tokenRequest(t.gh.urls.issuer, { grant_type: 'client_credentials', resource: urlOf('listed') }, outsider);
      if (issued.status !== 200) return `no token: ${String(issued.body.error)}`;
      const res = await fetch(urlOf('listed'), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${String(issued.body.access_token)}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      return `${res.status} ${await res.text()}`;
    };
    expect(await outsiderLists()).toBe('no token: invalid_target');

    for (const bad of [{ access: 'nobody' }, { access: { users: 'ann' } }, { access: { colour: [] } }, { access: [] }]) {
      const refused = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${id}`, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    }
    // A partial access list merges into the current one.
    const merged = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${id}`, { access: { users: [USER.username] } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.access).toEqual({ users: [USER.username], groups: [], serviceAccounts: [agent.clientId] });

    const removed = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${id}`, { access: null });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.access).toBeUndefined();
    expect((await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${id}`)).body.access).toBeUndefined();
    const open = await outsiderLists();
    expect(open).toMatch(/^200 /);
    expect(open).toContain('lookup');
    // Null again changes nothing; an access list can be set anew.
    expect((await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${id}`, { access: null })).status).toBe(200);
    const again = await call(t.api, t.adminToken, 'PATCH', `/virtual-mcps/${id}`, { access: { groups: ['ops'] } });
    expect(again.body.access).toEqual({ users: [], groups: ['ops'], serviceAccounts: [] });
    expect(await outsiderLists()).toBe('no token: invalid_target');
  });
});
