import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';

let t: TestGatehouse;
beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
});
afterAll(async () => t?.close());

async function auditFor(subject: string) {
  const res = await call(t.api, t.adminToken, 'GET', `/audit-logs?actor=${encodeURIComponent(subject)}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

describe('admin API under RBAC, with real tokens from the built-in server', () => {
  it('refuses a request without a token with 401 and a resource_metadata challenge', async () => {
    const res = await call(t.api, null, 'GET', '/collections');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('GATEHOUSE_UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${t.gh.urls.admin}/.well-known/oauth-protected-resource/admin/api/v1"`);
    const meta = await (await fetch(`${t.gh.urls.admin}/.well-known/oauth-protected-resource/admin/api/v1`)).json();
    expect(meta).toMatchObject({ resource: t.api, authorization_servers: [t.gh.urls.issuer] });
  });

  it('refuses garbage tokens and tokens issued for another resource', async () => {
    const garbage = await call(t.api, 'not-a-jwt', 'GET', '/collections');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const { clientCredentialsToken } = await import('../support/oauth.js');
    const sa = await t.serviceAccount('admin');
    const mcpToken = await clientCredentialsToken({
      issuer: t.gh.urls.issuer,
      clientId: sa.clientId,
      clientSecret: sa.clientSecret,
      resource: `${t.gh.urls.admin}/management/mcp`,
    });
    const wrongAudience = await call(t.api, mcpToken, 'GET', '/collections');
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body.error.code).toBe('GATEHOUSE_INVALID_TOKEN');
  });

  it('a viewer service account can read but cannot create anything: 403, audited as denied', async () => {
    const viewer = await t.serviceAccount('viewer');
    expect((await call(t.api, viewer.token, 'GET', '/collections')).status).toBe(200);
    const res = await call(t.api, viewer.token, 'POST', '/collections', { slug: 'nope', name: 'Nope' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('GATEHOUSE_FORBIDDEN');
    expect(res.body.error.requestId).toBeTruthy();
    const list = await call(t.api, t.adminToken, 'GET', '/collections?q=nope');
    expect(list.body.items).toHaveLength(0);
    const [entry] = await auditFor(viewer.clientId);
    expect(entry).toMatchObject({
      action: 'collections.create',
      outcome: 'denied',
      status: 403,
      channel: 'api',
      actor: { subject: viewer.clientId, kind: 'service' },
      clientApp: viewer.clientId,
    });
  });

  it('a modifier scoped to proxies can change proxies but not clients', async () => {
    const col = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'payments', name: 'Payments' });
    expect(col.status).toBe(201);
    const mod = await t.serviceAccount('modifier', { resourceTypes: ['proxies'] });
    const proxy = await call(t.api, mod.token, 'POST', '/proxies', {
      collectionId: col.body.id,
      name: 'Payments v1',
      basePath: '/payments/v1',
      upstreams: ['http://127.0.0.1:9/'],
    });
    expect(proxy.status).toBe(201);
    const updated = await call(t.api, mod.token, 'PATCH', `/proxies/${proxy.body.id}`, { upstreams: ['http://127.0.0.1:10'] });
    expect(updated.status).toBe(200);
    expect(updated.body.upstreams).toEqual(['http://127.0.0.1:10']);
    expect(updated.body.version).toBe(2);

    const client = await call(t.api, mod.token, 'POST', '/clients', { name: 'Acme' });
    expect(client.status).toBe(403);
    const collection = await call(t.api, mod.token, 'POST', '/collections', { slug: 'other', name: 'Other' });
    expect(collection.status).toBe(403);
    const entries = await auditFor(mod.clientId);
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['collections.create', 'denied'],
      ['clients.create', 'denied'],
      ['proxies.update', 'success'],
      ['proxies.create', 'success'],
    ]);
    expect(entries[2].diff.before.upstreams).toEqual(['http://127.0.0.1:9/']);
    expect(entries[2].diff.after.upstreams).toEqual(['http://127.0.0.1:10']);
  });

  it('a modifier scoped to one collection cannot touch proxies of another', async () => {
    const a = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'scope-a', name: 'A' });
    const b = await call(t.api, t.adminToken, 'POST', '/collections', { slug: 'scope-b', name: 'B' });
    const mod = await t.serviceAccount('modifier', { collectionIds: [a.body.id] });
    const ok = await call(t.api, mod.token, 'POST', '/proxies', {
      collectionId: a.body.id,
      name: 'A',
      basePath: '/scope-a',
      upstreams: ['http://127.0.0.1:9'],
    });
    expect(ok.status).toBe(201);
    const no = await call(t.api, mod.token, 'POST', '/proxies', {
      collectionId: b.body.id,
      name: 'B',
      basePath: '/scope-b',
      upstreams: ['http://127.0.0.1:9'],
    });
    expect(no.status).toBe(403);
    expect((await call(t.api, mod.token, 'POST', `/collections/${b.body.id}/publish`)).status).toBe(403);
    expect((await call(t.api, mod.token, 'POST', `/collections/${a.body.id}/publish`)).status).toBe(200);
    expect((await call(t.api, mod.token, 'POST', '/policies', { name: 'p' })).status).toBe(403);

    // Routing picks the longest base path, so a proxy nested under another collection's would capture its traffic.
    const owned = await call(t.api, t.adminToken, 'POST', '/proxies', {
      collectionId: b.body.id,
      name: 'B',
      basePath: '/owned-by-b',
      upstreams: ['http://127.0.0.1:9'],
    });
    expect(owned.status).toBe(201);
    for (const basePath of ['/owned-by-b/v2', '/owned-by-b']) {
      const nested = await call(t.api, mod.token, 'POST', '/proxies', {
        collectionId: a.body.id,
        name: 'Capture',
        basePath,
        upstreams: ['http://127.0.0.1:9'],
      });
      expect(nested.status).toBe(409);
      expect(nested.body.error.code).toBe('GATEHOUSE_CONFLICT');
    }
    const moved = await call(t.api, mod.token, 'PATCH', `/proxies/${ok.body.id}`, { basePath: '/owned-by-b/sub' });
    expect(moved.status).toBe(409);
    // Nesting within one collection is allowed; an update that keeps its base path passes, one that nests it under another collection's does not.
    const inner = await call(t.api, t.adminToken, 'POST', '/proxies', {
      collectionId: b.body.id,
      name: 'Inner',
      basePath: '/owned-by-b/inner',
      upstreams: ['http://127.0.0.1:9'],
    });
    expect(inner.status).toBe(201);
    expect((await call(t.api, t.adminToken, 'PATCH', `/proxies/${inner.body.id}`, { name: 'Inner renamed' })).status).toBe(200);
    const across = await call(t.api, t.adminToken, 'PATCH', `/proxies/${inner.body.id}`, { basePath: '/scope-a/inner' });
    expect(across.status).toBe(409);
    expect(across.body.error.code).toBe('GATEHOUSE_CONFLICT');
  });

  it('an admin user signed in through the login page can do everything, and each write is audited under that user', async () => {
    const admin = await t.user('admin');
    const col = await call(t.api, admin.token, 'POST', '/collections', { slug: 'orders', name: 'Orders' });
    expect(col.status).toBe(201);
    const pol = await call(t.api, admin.token, 'POST', '/policies', {
      name: 'gold',
      rateLimits: [{ window: 'minute', limit: 1000 }],
      quotas: [{ period: 'day', limit: 100000 }],
    });
    expect(pol.status).toBe(201);
    const cl = await call(t.api, admin.token, 'POST', '/clients', { name: 'Acme Corp', collectionIds: [col.body.id], policyId: pol.body.id });
    expect(cl.status).toBe(201);
    const prof = await call(t.api, admin.token, 'POST', '/profiles', {
      clientId: cl.body.id,
      name: 'default',
      authType: 'token',
      allowedMethods: ['GET', 'POST'],
      ipAllowlist: ['10.0.0.0/8', '127.0.0.1'],
    });
    expect(prof.status).toBe(201);
    const cred = await call(t.api, admin.token, 'POST', `/profiles/${prof.body.id}/credentials`, {});
    expect(cred.status).toBe(201);
    expect(cred.body.token).toMatch(/^ghk_/);
    const listed = await call(t.api, admin.token, 'GET', `/profiles/${prof.body.id}/credentials`);
    expect(JSON.stringify(listed.body)).not.toContain(cred.body.token);
    const rotated = await call(t.api, admin.token, 'POST', `/profiles/${prof.body.id}/credentials/rotate`, { gracePeriodSeconds: 60 });
    expect(rotated.status).toBe(201);
    expect(rotated.body.rotated).toBe(1);
    const after = await call(t.api, admin.token, 'GET', `/profiles/${prof.body.id}/credentials`);
    expect(after.body.items.map((c: any) => c.status).sort()).toEqual(['active', 'rotated']);
    const binding = await call(t.api, admin.token, 'POST', '/role-bindings', { group: 'platform-team', role: 'viewer' });
    expect(binding.status).toBe(201);

    const entries = await auditFor(admin.id);
    expect(entries.map((e) => e.action).reverse()).toEqual([
      'collections.create',
      'policies.create',
      'clients.create',
      'profiles.create',
      'credentials.issue',
      'credentials.rotate',
      'role-bindings.create',
    ]);
    for (const e of entries) {
      // The user signed in through the CLI's OAuth client, so the server records channel `cli`.
      expect(e).toMatchObject({ outcome: 'success', channel: 'cli', actor: { subject: admin.id, name: admin.username, kind: 'user' }, ip: '127.0.0.1' });
    }
    expect(JSON.stringify(entries)).not.toContain(cred.body.token);
    expect(JSON.stringify(entries)).not.toContain(rotated.body.token);
  });

  it('only admins manage access', async () => {
    const mod = await t.serviceAccount('modifier');
    expect((await call(t.api, mod.token, 'POST', '/role-bindings', { subject: 'x', role: 'admin' })).status).toBe(403);
    expect((await call(t.api, mod.token, 'POST', '/service-accounts', { name: 'escalate', role: 'admin' })).status).toBe(403);
    expect((await call(t.api, mod.token, 'GET', '/role-bindings')).status).toBe(200);
  });

  it('the console channel comes from the token of the console client, never from a header', async () => {
    const { accessToken } = await loginWithPassword({
      issuer: t.gh.urls.issuer,
      username: 'admin',
      password: ADMIN_PASSWORD,
      resource: t.api,
      console: { redirectUri: `${t.gh.urls.admin}/console/callback` },
    });
    const viaConsole = await call(t.api, accessToken, 'POST', '/policies', { name: 'console-made' });
    expect(viaConsole.status).toBe(201);
    const claimed = await call(t.api, t.adminToken, 'POST', '/policies', { name: 'claims-console' }, { 'x-gatehouse-channel': 'console' });
    expect(claimed.status).toBe(201);
    const channelOf = async (id: string) => (await call(t.api, t.adminToken, 'GET', `/audit-logs?resourceId=${id}`)).body.items[0].channel;
    expect(await channelOf(viaConsole.body.id)).toBe('console');
    expect(await channelOf(claimed.body.id)).toBe('cli');
  });

  it('filters the audit log and pages through it with a cursor', async () => {
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await call(t.api, t.adminToken, 'GET', `/audit-logs?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const seqs = all.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const denied = await call(t.api, t.adminToken, 'GET', '/audit-logs?outcome=denied&status=403');
    expect(denied.body.items.length).toBeGreaterThan(0);
    expect(denied.body.items.every((e: any) => e.outcome === 'denied')).toBe(true);
    const byType = await call(t.api, t.adminToken, 'GET', '/audit-logs?resourceType=proxies&action=proxies.create');
    expect(byType.body.items.every((e: any) => e.resourceType === 'proxies' && e.action === 'proxies.create')).toBe(true);
    const future = await call(t.api, t.adminToken, 'GET', `/audit-logs?from=${new Date(Date.now() + 3600_000).toISOString()}`);
    expect(future.body.items).toHaveLength(0);
    const one = await call(t.api, t.adminToken, 'GET', `/audit-logs/${all[0].id}`);
    expect(one.body).toEqual(all[0]);
    const badCursor = await call(t.api, t.adminToken, 'GET', '/audit-logs?cursor=!!!');
    expect(badCursor.status).toBe(400);
  });
});
