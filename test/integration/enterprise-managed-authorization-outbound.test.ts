import { Client, CrossAppAccessProvider, discoverAndRequestJwtAuthGrant, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type EnterpriseIdp, type EnterpriseUser, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { loginWithPassword } from '../support/oauth.js';
import { type OAuthMcpUpstream, startOAuthMcpUpstream } from '../support/oauth-mcp-upstream.js';

/**
 * Outbound MCP Enterprise-Managed Authorization, all real parts: an enterprise IdP (oidc-provider
 * minting ID-JAGs by token exchange); gateway A, which a person reaches with the SDK's Cross App
 * Access provider; gateway B, whose authorization server trusts the same IdP, in front of an MCP
 * server as A's `oauth_per_user` upstream. A gets the person's token at B by exchanging the
 * assertion they signed in with at the IdP and redeeming the result at B: no connect link, no
 * consent. Where the upstream's authorization server does not take ID-JAGs, the connect link stays.
 */

const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
const APP_AT_IDP = { clientId: 'chat-app', clientSecret: 'chat-app-secret-at-the-idp' };
const GATEWAY_AT_IDP = { clientId: 'gatehouse-a', clientSecret: 'gatehouse-a-secret-at-the-idp' };
const ALICE = 'alice@example.com';

let a: TestGatehouse;
let b: TestGatehouse;
let idp: EnterpriseIdp;
let records: TestUpstream;
let classic: OAuthMcpUpstream;
let alice: EnterpriseUser;
let aliceId = '';
let serverAtA = '';
let teamId = '';
let upstreamResource = '';

const vurl = (g: TestGatehouse, slug: string) => `${g.gh.urls.proxy}/mcp/v/${slug}`;

async function serviceAccount(g: TestGatehouse, name: string) {
  const out = (await g.gh.executor.execute('service-accounts.create', { name, role: 'viewer' }, local)) as {
    serviceAccount: { clientId: string };
    clientSecret: string;
  };
  return { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret };
}

async function published(g: TestGatehouse, slug: string, upstreamId: string, tool: string) {
  const created = await call(g.api, g.adminToken, 'POST', '/virtual-mcps', {
    slug,
    name: slug,
    upstreamIds: [upstreamId],
    tools: [{ upstreamId, name: tool }],
    access: { users: [ALICE], groups: [] },
    published: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

beforeAll(async () => {
  a = await startTestGatehouse('sqlite', { tokenEndpoints: { allowPrivateNetworks: true, timeoutMs: 10_000 } });
  b = await startTestGatehouse('sqlite');
  records = await startStatefulUpstream('records', (s) => {
    s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'found' }] }));
  });
  // Gateway B: the MCP server behind a virtual server only Alice may use, its authorization server trusting the IdP.
  const atB = await call(b.api, b.adminToken, 'POST', '/mcp-servers', { name: 'records', url: records.url });
  await published(b, 'records', atB.body.id, 'lookup');
  await b.gh.executor.execute('users.create', { username: ALICE, password: 'alice-password-12345', role: 'viewer' }, local);
  const gatewayAtB = await serviceAccount(b, 'gateway-a');
  upstreamResource = vurl(b, 'records');

  // Gateway A: Alice, the chat app's client, the upstream at B (the gateway's pre-registered client there).
  // An admin at A: curated tools of a per-user upstream are approved as the approver's own connection.
  aliceId = ((await a.gh.executor.execute('users.create', { username: ALICE, password: 'alice-password-12345', role: 'admin' }, local)) as { id: string }).id;
  const app = await serviceAccount(a, 'chat-app');
  const server = await call(a.api, a.adminToken, 'POST', '/mcp-servers', {
    name: 'records-at-b',
    url: upstreamResource,
    auth: 'oauth_per_user',
    oauth: { registration: 'preregistered', clientId: gatewayAtB.clientId },
    oauthClientSecret: gatewayAtB.clientSecret,
  });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  serverAtA = server.body.id;
  await published(a, 'team', serverAtA, 'lookup');
  teamId = (await call(a.api, a.adminToken, 'GET', '/virtual-mcps')).body.items.find((v: { slug: string }) => v.slug === 'team').id;

  alice = { sub: 'u-alice', email: ALICE, resources: [vurl(a, 'team'), vurl(a, 'classic'), upstreamResource] };
  idp = await startEnterpriseIdp({
    users: [alice],
    clients: [
      { ...APP_AT_IDP, resourceClientId: app.clientId },
      { ...GATEWAY_AT_IDP, resourceClientId: gatewayAtB.clientId, chainsFrom: a.gh.urls.issuer },
    ],
  });
  const trustedAtB = await call(b.api, b.adminToken, 'POST', '/trusted-idps', { name: 'acme', issuer: idp.issuer, allowedClientIds: [gatewayAtB.clientId] });
  expect(trustedAtB.status, JSON.stringify(trustedAtB.body)).toBe(201);
  // A is a client of the IdP too (its credential): that is what turns chaining on.
  const credential = await call(a.api, a.adminToken, 'POST', '/backend-credentials', {
    name: 'gateway-at-acme',
    type: 'oauth2_client_credentials',
    tokenUrl: `${idp.issuer}/token`,
    clientId: GATEWAY_AT_IDP.clientId,
    clientSecret: GATEWAY_AT_IDP.clientSecret,
    clientAuth: 'client_secret_post',
  });
  expect(credential.status, JSON.stringify(credential.body)).toBe(201);
  const trustedAtA = await call(a.api, a.adminToken, 'POST', '/trusted-idps', {
    name: 'acme',
    issuer: idp.issuer,
    allowedClientIds: [app.clientId],
    gatewayCredentialId: credential.body.id,
  });
  expect(trustedAtA.status, JSON.stringify(trustedAtA.body)).toBe(201);

  // An upstream whose authorization server knows nothing of ID-JAGs: per-user OAuth, as before.
  classic = await startOAuthMcpUpstream({
    callbackUrl: `${a.gh.urls.proxy}/mcp/connect/callback`,
    preregistered: { clientId: 'gatehouse-pre', clientSecret: 'pre-registered-Secret-5d1c9e' },
    accessTokenTtl: 300,
  });
  const classicServer = await call(a.api, a.adminToken, 'POST', '/mcp-servers', {
    name: 'classic',
    url: classic.url,
    auth: 'oauth_per_user',
    oauth: { registration: 'preregistered', clientId: 'gatehouse-pre', scope: 'mcp' },
    oauthClientSecret: 'pre-registered-Secret-5d1c9e',
  });
  expect(classicServer.status, JSON.stringify(classicServer.body)).toBe(201);
  await published(a, 'classic', classicServer.body.id, 'whoami');

  function provider() {
    return new CrossAppAccessProvider({
      assertion: async (ctx) =>
        (
          await discoverAndRequestJwtAuthGrant({
            idpUrl: idp.issuer,
            audience: a.gh.urls.issuer,
            resource: ctx.resourceUrl,
            idToken: await idp.idToken('u-alice', APP_AT_IDP.clientId),
            ...APP_AT_IDP,
          })
        ).jwtAuthGrant,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      expectedIssuer: a.gh.urls.issuer,
    });
  }
  connectAs = async (slug) => {
    const client = new Client({ name: 'chat-app', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(vurl(a, slug)), { authProvider: provider() }));
    return client;
  };
}, 90_000);

let connectAs: (slug: string) => Promise<Client>;

afterAll(async () => {
  await idp?.close();
  await records?.close();
  await classic?.close();
  await a?.close();
  await b?.close();
});

const outcome = (r: { content: unknown; isError?: unknown }) => {
  const text = (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');
  return r.isError ? { error: JSON.parse(text).error as { code: string; message: string; connectUrl?: string } } : { text };
};

describe('MCP Enterprise-Managed Authorization (ID-JAG), outbound', () => {
  it('reaches an upstream whose authorization server trusts the same IdP with no connect step, the token sealed and the connection audited', async () => {
    const client = await connectAs('team');
    // The call reaches the upstream as Alice at once; its tool, curated before anyone reached it, awaits approval.
    expect(outcome(await client.callTool({ name: 'lookup', arguments: {} })).error?.code).toBe('GATEHOUSE_MCP_TOOL_UNAPPROVED');
    const { accessToken } = await loginWithPassword({ issuer: a.gh.urls.issuer, username: ALICE, password: 'alice-password-12345', resource: a.api });
    const approved = await call(a.api, accessToken, 'POST', `/virtual-mcps/${teamId}/approve-tools`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(outcome(await client.callTool({ name: 'lookup', arguments: {} }))).toEqual({ text: 'found' });
    await client.close();

    // The IdP was asked by the gateway, with Alice's assertion, for one naming the upstream.
    expect(idp.exchanges).toContainEqual({
      clientId: GATEWAY_AT_IDP.clientId,
      subjectTokenType: 'urn:ietf:params:oauth:token-type:id-jag',
      resource: upstreamResource,
      granted: true,
    });
    const connections = await call(a.api, a.adminToken, 'GET', `/mcp-connections?serverId=${serverAtA}`);
    expect(connections.body.items).toEqual([expect.objectContaining({ serverId: serverAtA, subject: aliceId, username: ALICE })]);
    const audit = await call(a.api, a.adminToken, 'GET', '/audit-logs?action=mcp-connections.connect&limit=5');
    expect(audit.body.items[0]).toMatchObject({ outcome: 'success', clientApp: 'gatehouse-id-jag', actor: { subject: aliceId } });
    // At rest only sealed: the row opens to B's token for Alice (B's user), which never appears in clear.
    const row = await a.db.db.selectFrom('mcp_connections').selectAll().where('server_id', '=', serverAtA).executeTakeFirstOrThrow();
    // A JWT's header and payload both open with `eyJ`; a sealed value's random base64url may hold three such letters by chance.
    const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/;
    expect(row.sealed).not.toMatch(jwt);
    expect(JSON.stringify(audit.body)).not.toMatch(jwt);
  });

  it('obtains the token anew from the person’s next sign-in once the connection is revoked', async () => {
    const revoked = await call(a.api, a.adminToken, 'POST', '/mcp-connections/revoke', { serverId: serverAtA, subject: aliceId });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const before = idp.exchanges.length;
    const client = await connectAs('team');
    expect(outcome(await client.callTool({ name: 'lookup', arguments: {} }))).toEqual({ text: 'found' });
    await client.close();
    expect(idp.exchanges.length).toBe(before + 2);
    const row = await a.db.db.selectFrom('mcp_connections').selectAll().where('server_id', '=', serverAtA).executeTakeFirstOrThrow();
    expect(row.subject).toBe(aliceId);
  });

  it('gives the connect link, with the IdP’s refusal, when the IdP’s policy no longer lets the person reach the upstream', async () => {
    await call(a.api, a.adminToken, 'POST', '/mcp-connections/revoke', { serverId: serverAtA, subject: aliceId });
    alice.resources = alice.resources.filter((r) => r !== upstreamResource);
    try {
      const client = await connectAs('team');
      const result = outcome(await client.callTool({ name: 'lookup', arguments: {} }));
      await client.close();
      expect(result.error?.code).toBe('GATEHOUSE_MCP_CONNECT_REQUIRED');
      expect(result.error?.message).toContain('acme did not grant an assertion for this server (invalid_grant)');
      expect(result.error?.connectUrl).toMatch(/\/mcp\/connect\?ticket=/);
    } finally {
      alice.resources.push(upstreamResource);
    }
  });

  it('names the gateway’s client at the IdP by its credential’s name in declarative config', async () => {
    const exported = (await call(a.api, a.adminToken, 'GET', '/config/export')).body;
    const key = Object.keys(exported).find((k) => Array.isArray(exported[k]) && exported[k].some((v: { issuer?: string }) => v.issuer === idp.issuer))!;
    expect(exported[key]).toEqual([expect.objectContaining({ name: 'acme', gatewayCredential: 'gateway-at-acme' })]);
  });

  it('falls back to per-user OAuth (the connect link) for an upstream whose authorization server does not take ID-JAGs', async () => {
    const client = await connectAs('classic');
    const result = outcome(await client.callTool({ name: 'whoami', arguments: {} }));
    await client.close();
    expect(result.error?.code).toBe('GATEHOUSE_MCP_CONNECT_REQUIRED');
    expect(result.error?.message).toContain('you have not connected your account there yet');
  });
});
