import { randomUUID } from 'node:crypto';
import { Client, CrossAppAccessProvider, discoverAndRequestJwtAuthGrant, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { type EnterpriseIdp, startEnterpriseIdp } from '../support/enterprise-idp.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { registerClient, tokenRequest } from '../support/oauth.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };

let t: TestGatehouse;
let idp: EnterpriseIdp;
let upstream: TestUpstream;
let app: { clientId: string; clientSecret: string };
let other: { clientId: string; clientSecret: string };
const alice = { username: 'alice@example.com', id: '' };
const dave = { sub: 'u-dave', email: 'dave@example.com', resources: [] as string[], groups: [] as string[] };
const serverIds: Record<string, string> = {};
const IDP_CLIENT = { clientId: 'chat-app', clientSecret: 'chat-app-secret-at-the-idp' };

const urlOf = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;
const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('records', (s) => {
    s.registerTool('lookup', { description: 'Looks a record up', inputSchema: z.object({}) }, async () => ({ content: [{ type: 'text', text: 'found' }] }));
  });
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'records', url: upstream.url });
  alice.id = (
    (await t.gh.executor.execute('users.create', { username: alice.username, password: 'alice-password-12345', role: 'viewer' }, local)) as { id: string }
  ).id;
  for (const [slug, users, groups] of [
    ['team', [alice.username], []],
    ['private', [], []],
    ['eng', [], ['engineering']],
  ] as const) {
    const created = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [server.body.id],
      tools: [{ upstreamId: server.body.id, name: 'lookup' }],
      access: { users, groups },
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    serverIds[slug] = created.body.id as string;
  }
  // The MCP client is registered at Gatehouse as a service account (its client id goes into the grants the IdP mints).
  const sa = async (name: string) => {
    const out = (await t.gh.executor.execute('service-accounts.create', { name, role: 'viewer' }, local)) as {
      serviceAccount: { clientId: string };
      clientSecret: string;
    };
    return { clientId: out.serviceAccount.clientId, clientSecret: out.clientSecret };
  };
  app = await sa('chat-app');
  other = await sa('other-app');
  dave.resources.push(urlOf('team'), urlOf('eng'));
  idp = await startEnterpriseIdp({
    users: [
      { sub: 'u-alice', email: alice.username, resources: [urlOf('team'), urlOf('private'), `${t.gh.urls.admin}/management/mcp`, `${t.gh.urls.proxy}/mcp`] },
      dave,
      { sub: 'u-eve', email: 'eve@elsewhere.test', resources: [urlOf('team')] },
    ],
    clients: [{ ...IDP_CLIENT, resourceClientId: app.clientId }],
  });
  const trusted = await call(t.api, t.adminToken, 'POST', '/trusted-idps', {
    name: 'acme-idp',
    issuer: idp.issuer,
    allowedClientIds: [app.clientId],
    usernameClaim: 'email',
    jitDomains: ['example.com'],
    groupsClaim: 'groups',
  });
  // Whoever is in "engineering" at the IdP may use the gateway (as a viewer) and the virtual server eng.
  expect((await call(t.api, t.adminToken, 'POST', '/role-bindings', { group: 'engineering', role: 'viewer' })).status).toBe(201);
  expect(trusted.status, JSON.stringify(trusted.body)).toBe(201);
}, 60_000);

afterAll(async () => {
  await idp?.close();
  await upstream?.close();
  await t?.close();
});

/** A person's ID-JAG for `resource`, through the IdP's real token exchange (what the SDK's helper sends). */
async function grantFor(sub: string, resource: string, scope?: string): Promise<string> {
  const result = await discoverAndRequestJwtAuthGrant({
    idpUrl: idp.issuer,
    audience: t.gh.urls.issuer,
    resource,
    idToken: await idp.idToken(sub, IDP_CLIENT.clientId),
    ...IDP_CLIENT,
    ...(scope ? { scope } : {}),
  });
  return result.jwtAuthGrant;
}

const redeem = (assertion: string, client = app, extra: Record<string, string> = {}) =>
  tokenRequest(t.gh.urls.issuer, { grant_type: JWT_BEARER, assertion, ...extra }, client);

/** A well-formed grant's claims, for the refusal cases to spoil one at a time. */
function claims(over: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: idp.issuer,
    sub: 'u-alice',
    email: alice.username,
    aud: t.gh.urls.issuer,
    resource: urlOf('team'),
    client_id: app.clientId,
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    ...over,
  };
}

describe('MCP Enterprise-Managed Authorization (ID-JAG), inbound', () => {
  it('advertises the JWT bearer grant and the ID-JAG profile in the authorization server metadata', async () => {
    const meta = (await (await fetch(`${t.gh.urls.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta.grant_types_supported).toContain(JWT_BEARER);
    expect(meta.authorization_grant_profiles_supported).toEqual(['urn:ietf:params:oauth:grant-profile:id-jag']);
  });

  it('connects the SDK’s Cross App Access provider to a virtual server with no browser step; the call is the person’s in the request log and audit', async () => {
    const provider = new CrossAppAccessProvider({
      assertion: (ctx) => grantFor('u-alice', ctx.resourceUrl, ctx.scope),
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      expectedIssuer: t.gh.urls.issuer,
    });
    const client = new Client({ name: 'chat-app', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(urlOf('team')), { authProvider: provider }));
    expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    await client.close();
    const token = provider.tokens()?.access_token as string;
    expect(decodeJwt(token)).toMatchObject({ sub: alice.id, aud: urlOf('team'), client_id: app.clientId, gh_kind: 'user', name: alice.username });

    let logs: { items: { subject: string | null; mcpTool: string | null }[] } = { items: [] };
    for (let i = 0; i < 50 && logs.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logs = (
        await call(t.api, t.adminToken, 'GET', `/request-logs?channel=federation&mcpMethod=tools%2Fcall&subject=${encodeURIComponent(`user:${alice.id}`)}`)
      ).body;
    }
    expect(logs.items[0]?.mcpTool).toMatch(/^lookup/);
    const audit = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=trusted-idps.sign-in&outcome=success&limit=5');
    expect(audit.body.items[0]).toMatchObject({ resourceId: alice.id, actor: { subject: `${idp.issuer}#u-alice`, name: alice.username }, channel: 'mcp' });
  });

  it('issues a Management MCP token (with the management scope) to a person who holds a role', async () => {
    const mcpUrl = `${t.gh.urls.admin}/management/mcp`;
    const res = await redeem(await grantFor('u-alice', mcpUrl));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'gatehouse:management' });
    expect(res.body.refresh_token).toBeUndefined();
    const operator = new Client({ name: 'operator', version: '1' });
    await operator.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { authorization: `Bearer ${res.body.access_token}` } } }),
    );
    expect((await operator.listTools()).tools.map((x) => x.name)).toContain('manage_trusted_idps');
    await operator.close();
  });

  it('signs a person in to the Gateway MCP as the one profile that names them, reusing that sign-in for the next grant', async () => {
    const partner = await call(t.api, t.adminToken, 'POST', '/clients', { name: 'Chat users' });
    expect(partner.status, JSON.stringify(partner.body)).toBe(201);
    const profile = await call(t.api, t.adminToken, 'POST', '/profiles', {
      clientId: partner.body.id,
      name: 'main',
      authType: 'token',
      signInUsers: [alice.username],
    });
    expect(profile.status, JSON.stringify(profile.body)).toBe(201);
    const catalog = `${t.gh.urls.proxy}/mcp`;
    const first = await redeem(await grantFor('u-alice', catalog));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const claims1 = decodeJwt(first.body.access_token as string);
    expect(claims1).toMatchObject({ sub: alice.id, aud: catalog });
    const second = await redeem(await grantFor('u-alice', catalog));
    expect(decodeJwt(second.body.access_token as string).gh_grant).toBe(claims1.gh_grant);
    const signIns = await call(t.api, t.adminToken, 'GET', '/mcp-grants');
    expect(signIns.body.items.filter((g: { subject: string }) => g.subject === alice.id)).toHaveLength(1);
    const client = new Client({ name: 'chat-app', version: '1' });
    for (let i = 0; i < 20; i++) {
      try {
        await client.connect(
          new StreamableHTTPClientTransport(new URL(catalog), { requestInit: { headers: { authorization: `Bearer ${second.body.access_token}` } } }),
        );
        break;
      } catch (err) {
        // The sign-in reaches the node's snapshot a moment after it commits.
        if (i === 19) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect((await client.listTools()).tools.map((x) => x.name)).toContain('list_collections');
    await client.close();
  });

  it('refuses each broken rule with invalid_grant naming it, counts and audits the refusals', async () => {
    const stranger = await idp.forgeGrant(claims());
    const cases: Array<[string, Promise<string>, typeof app, string]> = [
      ['wrong audience', idp.signGrant(claims({ aud: 'https://other-as.example' })), app, 'aud is not this authorization server'],
      ['wrong resource', idp.signGrant(claims({ resource: t.api })), app, 'resource is not an MCP server'],
      ['expired', idp.signGrant(claims({ iat: Math.floor(Date.now() / 1000) - 400, exp: Math.floor(Date.now() / 1000) - 100 })), app, 'expired'],
      ['too long-lived', idp.signGrant(claims({ exp: Math.floor(Date.now() / 1000) + 3600 })), app, 'lives longer'],
      ['untrusted issuer', idp.signGrant(claims({ iss: 'https://idp.elsewhere.test' })), app, 'not a trusted identity provider'],
      ['forged signature', Promise.resolve(stranger), app, 'signature does not verify'],
      ['client mismatch', idp.signGrant(claims()), other, 'issued for another client'],
      ['client not allowed', idp.signGrant(claims({ client_id: other.clientId })), other, 'not allowed to redeem'],
      ['wrong typ', idp.signGrant(claims(), 'JWT'), app, 'typ must be oauth-id-jag+jwt'],
      ['not on the access list', idp.signGrant(claims({ resource: urlOf('private') })), app, 'may not use the virtual MCP server private'],
    ];
    for (const [label, assertion, client, description] of cases) {
      const res = await redeem(await assertion, client);
      expect(res.status, label).toBe(400);
      expect(res.body.error, label).toBe('invalid_grant');
      expect(res.body.error_description, label).toContain(description);
    }
    // A resource parameter other than the assertion's.
    const mismatch = await redeem(await idp.signGrant(claims()), app, { resource: urlOf('private') });
    expect(mismatch.body.error_description).toContain('not the assertion’s resource');

    const metrics = await (await fetch(`${t.gh.urls.proxy}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_id_jag_grants_total\{outcome="refused",reason="wrong_audience"\} 1/);
    expect(metrics).toMatch(/gatehouse_id_jag_grants_total\{outcome="issued",reason="none"\} [1-9]/);
    let failures: { items: { outcome: string; errorCode: string | null }[] } = { items: [] };
    for (let i = 0; i < 30 && failures.items.length < cases.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      failures = (await call(t.api, t.adminToken, 'GET', '/audit-logs?action=trusted-idps.sign-in&outcome=failure&limit=50')).body;
    }
    expect(failures.items.length).toBeGreaterThanOrEqual(cases.length);
    expect(failures.items.every((e) => e.errorCode === 'GATEHOUSE_INVALID_TOKEN' || e.errorCode === 'GATEHOUSE_FORBIDDEN')).toBe(true);
  });

  it('refuses an assertion used twice', async () => {
    const assertion = await grantFor('u-alice', urlOf('team'));
    expect((await redeem(assertion)).status).toBe(200);
    const again = await redeem(assertion);
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_description: 'the assertion has already been used' });
  });

  it('creates a user just in time for an allowed domain (audited), and no one for another domain', async () => {
    const first = await redeem(await grantFor('u-dave', urlOf('team')));
    // Dave's account exists now, but holds no role (nor a group with one): virtual servers need one, so no token yet.
    expect(first.body.error_description).toContain('may not use the virtual MCP server team');
    const created = await call(t.api, t.adminToken, 'GET', '/audit-logs?action=trusted-idps.sign-in&outcome=success&limit=20');
    type Entry = { diff: { after?: { username?: string } } | null };
    const entry = (created.body.items as Entry[]).find((e) => e.diff?.after?.username === 'dave@example.com');
    expect(entry?.diff?.after).toMatchObject({ created: true, idp: 'acme-idp' });
    const eve = await redeem(await grantFor('u-eve', urlOf('team')));
    expect(eve.body).toMatchObject({ error: 'invalid_grant' });
    expect(eve.body.error_description).toContain('No user eve@elsewhere.test exists');
  });

  it('lets a group at the IdP grant access to a virtual server, and its removal take it away at the next token', async () => {
    const connect = async () => {
      const provider = new CrossAppAccessProvider({
        assertion: (ctx) => grantFor('u-dave', ctx.resourceUrl, ctx.scope),
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        expectedIssuer: t.gh.urls.issuer,
      });
      const client = new Client({ name: 'chat-app', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(urlOf('eng')), { authProvider: provider }));
      return { client, provider };
    };
    await expect(connect()).rejects.toThrow(/may not use the virtual MCP server eng/);

    dave.groups.push('engineering');
    const { client, provider } = await connect();
    expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
    await client.close();
    expect(decodeJwt(provider.tokens()?.access_token as string).groups).toEqual(['engineering']);
    // Access by group only: the team server lists Alice by name, not the group.
    expect((await redeem(await grantFor('u-dave', urlOf('team')))).body.error_description).toContain('may not use the virtual MCP server team');

    // Who has access, and why: Dave through the group his last sign-in carried, Alice by name on the team server.
    const daveOn = async (slug: string) => {
      const res = await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${serverIds[slug]}/people`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.people as { username: string; access: unknown[]; roles: unknown[] }[]).find((p) => p.username === dave.email);
    };
    const idpRef = { idpId: expect.stringMatching(/^tidp_/), idpName: 'acme-idp', signedInAt: expect.any(String) };
    expect(await daveOn('eng')).toMatchObject({
      access: [{ kind: 'group', group: 'engineering', ...idpRef }],
      roles: [{ role: 'viewer', via: { kind: 'group', group: 'engineering', ...idpRef } }],
    });
    expect(await daveOn('team')).toBeUndefined();
    const team = await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${serverIds.team}/people`);
    expect(team.body).toMatchObject({ restricted: true, people: [{ username: alice.username, access: [{ kind: 'entry' }] }] });
    const holders = await call(t.api, t.adminToken, 'GET', '/role-people');
    expect(holders.body.people).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ username: dave.email, roles: [{ role: 'viewer', via: { kind: 'group', group: 'engineering', ...idpRef } }] }),
      ]),
    );

    dave.groups.length = 0;
    await expect(connect()).rejects.toThrow(/may not use the virtual MCP server eng/);
    // The refused sign-in still recorded what the IdP says now: no group, so no access and no role.
    expect(await daveOn('eng')).toBeUndefined();
    expect(((await call(t.api, t.adminToken, 'GET', '/role-people')).body.people as { username: string }[]).map((p) => p.username)).not.toContain(dave.email);
  });

  it('takes grants from a dynamically registered client (not a service account), which must authenticate and needs no redirect URI', async () => {
    const publicTry = await registerClient(t.gh.urls.issuer, { client_name: 'public', grant_types: [JWT_BEARER], token_endpoint_auth_method: 'none' });
    expect(publicTry.status).toBe(400);
    expect(publicTry.body.error_description).toContain('must authenticate');
    const withRedirect = await registerClient(t.gh.urls.issuer, { grant_types: [JWT_BEARER], redirect_uris: ['https://app.example/cb'] });
    expect(withRedirect.body.error_description).toContain('redirect_uris must be empty');
    const reg = await registerClient(t.gh.urls.issuer, {
      client_name: 'desk-app',
      grant_types: [JWT_BEARER],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const desk = { clientId: reg.body.client_id as string, clientSecret: reg.body.client_secret as string };
    expect(desk.clientId).toMatch(/^dcr_/);
    const deskIdp = await startEnterpriseIdp({
      users: [{ sub: 'u-alice', email: alice.username, resources: [urlOf('team')] }],
      clients: [{ clientId: 'desk-app', clientSecret: 'desk-secret-at-the-idp', resourceClientId: desk.clientId }],
    });
    try {
      const trusted = await call(t.api, t.adminToken, 'POST', '/trusted-idps', {
        name: 'desk-idp',
        issuer: deskIdp.issuer,
        allowedClientIds: [desk.clientId],
        usernameClaim: 'email',
      });
      expect(trusted.status, JSON.stringify(trusted.body)).toBe(201);
      const provider = new CrossAppAccessProvider({
        assertion: async (ctx) =>
          (
            await discoverAndRequestJwtAuthGrant({
              idpUrl: deskIdp.issuer,
              audience: t.gh.urls.issuer,
              resource: ctx.resourceUrl,
              idToken: await deskIdp.idToken('u-alice', 'desk-app'),
              clientId: 'desk-app',
              clientSecret: 'desk-secret-at-the-idp',
            })
          ).jwtAuthGrant,
        clientId: desk.clientId,
        clientSecret: desk.clientSecret,
        expectedIssuer: t.gh.urls.issuer,
      });
      const client = new Client({ name: 'desk-app', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(urlOf('team')), { authProvider: provider }));
      expect(text(await client.callTool({ name: 'lookup', arguments: {} }))).toBe('found');
      await client.close();
      expect(decodeJwt(provider.tokens()?.access_token as string)).toMatchObject({ sub: alice.id, client_id: desk.clientId });
      // The registered client's secret is what binds a grant to it: without it, nothing.
      const stolen = await grantFor('u-alice', urlOf('team'));
      expect((await redeem(stolen, { clientId: desk.clientId, clientSecret: 'not-the-secret' })).body.error).toBe('invalid_client');
      await call(t.api, t.adminToken, 'DELETE', `/trusted-idps/${trusted.body.id}`);
    } finally {
      await deskIdp.close();
    }
  });

  it('stops at once when the IdP is disabled (audited like any change)', async () => {
    const list = await call(t.api, t.adminToken, 'GET', '/trusted-idps');
    const id = list.body.items[0].id as string;
    expect((await call(t.api, t.adminToken, 'PATCH', `/trusted-idps/${id}`, { enabled: false })).status).toBe(200);
    const res = await redeem(await grantFor('u-alice', urlOf('team')));
    expect(res.body.error_description).toContain('not a trusted identity provider');
    expect((await call(t.api, t.adminToken, 'PATCH', `/trusted-idps/${id}`, { enabled: true })).status).toBe(200);
    const audit = await call(t.api, t.adminToken, 'GET', `/audit-logs?resourceType=trusted-idps&resourceId=${id}&limit=100`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['trusted-idps.update', 'trusted-idps.create']));
    // The same issuer cannot be trusted twice.
    expect((await call(t.api, t.adminToken, 'POST', '/trusted-idps', { name: 'again', issuer: idp.issuer })).status).toBe(409);
  });
});
