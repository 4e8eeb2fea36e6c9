import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PerUserGateway, startPerUserGateway } from '../support/per-user-gateway.js';

/**
 * People's upstream connections end when they lose access — disabled, deleted, left without a
 * role, taken off a virtual server's access list, or left with no published virtual server that
 * composes the upstream — each removal audited with the change that caused it, and their tokens
 * revoked at the upstream's authorization server (RFC 7009) as well.
 */

const PASSWORD = 'per-user-access-pw-42';

let gw: PerUserGateway;
const people: Record<string, { id: string; apiToken: string }> = {};
const servers: Record<string, { serverId: string; virtualId: string }> = {};

beforeAll(async () => {
  // Long-lived upstream access tokens: no refresh rotates a refresh token while a test holds it.
  gw = await startPerUserGateway({ accessTokenTtl: 600 });
  // Only dana and hal call the admin API themselves; every sign-in counts against the per-address login limit.
  for (const name of ['dana', 'eli', 'fay', 'gus', 'hal', 'ivy'])
    people[name] = await gw.user(name, PASSWORD, 'viewer', { signIn: ['dana', 'hal'].includes(name) });
  servers.open = await gw.perUserServer('open');
  servers.listed = await gw.perUserServer('listed', { access: { users: ['eli', people.fay!.id] } });
  servers.doomed = await gw.perUserServer('doomed');
}, 120_000);

afterAll(async () => {
  await gw?.close();
});

const aiClients = new Map<string, Client>();

/** Connects a person's upstream account (as `upstreamLogin`) to the server behind a virtual server, through the gateway's link. */
async function connectAs(person: string, slug: string, upstreamLogin: string, tool = 'whoami'): Promise<void> {
  const key = `${person}/${slug}`;
  const client = aiClients.get(key) ?? (await gw.aiClient(person, PASSWORD, slug));
  aiClients.set(key, client);
  const done = await gw.connect(await gw.connectRequired(client, tool), person, PASSWORD, upstreamLogin);
  expect(done.status, done.page).toBe(200);
}

/** The names of the servers a person is connected to, as an admin lists them. */
async function connectionsOf(person: string): Promise<string[]> {
  const res = await gw.admin('GET', `/mcp-connections?subject=${people[person]!.id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((c: { server: string }) => c.server).sort();
}

/** The audit entry of a connection's removal, checked to belong to the change that caused it. */
async function expiryAudited(serverId: string, person: string, causedBy: string, why: RegExp): Promise<void> {
  const found = await gw.admin('GET', `/audit-logs?action=mcp-connections.expire&resourceId=${encodeURIComponent(`${serverId}/${people[person]!.id}`)}`);
  expect(found.body.items, JSON.stringify(found.body)).toHaveLength(1);
  const entry = (await gw.admin('GET', `/audit-logs/${found.body.items[0].id}`)).body;
  expect(entry).toMatchObject({
    outcome: 'success',
    actor: { name: 'admin' },
    diff: { before: { subject: people[person]!.id, serverId }, after: { removed: expect.stringMatching(why) } },
  });
  const cause = await gw.admin('GET', `/audit-logs?action=${causedBy}`);
  expect(cause.body.items.map((e: { requestId: string }) => e.requestId)).toContain(entry.requestId);
}

/** Waits for the gateway's revocation of an upstream account's refresh token, then checks the upstream no longer honours it. */
async function revokedUpstream(upstreamLogin: string, refreshRevocationsBefore: number): Promise<void> {
  const refreshToken = gw.upstream.refreshTokens.get(upstreamLogin);
  expect(refreshToken).toBeTruthy();
  const deadline = Date.now() + 20_000;
  const refreshRevocations = () => gw.upstream.revocations.filter((r) => r.startsWith('refresh_token '));
  while (refreshRevocations().length <= refreshRevocationsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(refreshRevocations().slice(refreshRevocationsBefore)).toContain('refresh_token 200');
  expect(await gw.upstream.tryRefresh(refreshToken!)).toBe(400);
}

const refreshRevocationCount = () => gw.upstream.revocations.filter((r) => r.startsWith('refresh_token ')).length;

describe('per-user upstream connections end when their person loses access', () => {
  it('an admin’s revocation also revokes the tokens at the upstream; the other person’s stay good', async () => {
    await connectAs('dana', 'open', 'dana-open');
    await connectAs('gus', 'open', 'gus-open');
    const before = refreshRevocationCount();
    const revoked = await gw.admin('POST', '/mcp-connections/revoke', { serverId: servers.open!.serverId, subject: people.dana!.id });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    await revokedUpstream('dana-open', before);
    expect(await connectionsOf('gus')).toEqual(['open']);
    expect(await gw.upstream.tryRefresh(gw.upstream.refreshTokens.get('gus-open')!)).toBe(200);
  });

  it('a person’s own disconnect revokes at the upstream too', async () => {
    await connectAs('dana', 'open', 'dana-open-2');
    const before = refreshRevocationCount();
    const out = await gw.admin('POST', '/mcp-connections/mine/disconnect', { serverId: servers.open!.serverId }, people.dana!.apiToken);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    await revokedUpstream('dana-open-2', before);
  });

  it('an upstream that cannot revoke holds up nothing: the connection is gone, the failure logged without a token', async () => {
    await connectAs('dana', 'open', 'dana-open-down');
    gw.upstream.refuseRevocations = true;
    try {
      const refusedBefore = gw.upstream.revocations.filter((r) => r === 'refused 503').length;
      const out = await gw.admin('POST', '/mcp-connections/revoke', { serverId: servers.open!.serverId, subject: people.dana!.id });
      expect(out.status, JSON.stringify(out.body)).toBe(200);
      expect(await connectionsOf('dana')).toEqual([]);
      const deadline = Date.now() + 20_000;
      while (!gw.output().includes('a follow-up of a committed change failed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(gw.upstream.revocations.filter((r) => r === 'refused 503').length).toBeGreaterThan(refusedBefore);
      const line = gw
        .output()
        .split('\n')
        .find((l) => l.includes('a follow-up of a committed change failed'));
      expect(line).toContain('revoking the refresh token (temporarily_unavailable)');
    } finally {
      gw.upstream.refuseRevocations = false;
    }
  });

  it('disabling a user ends their connections (audited, revoked upstream); they can be enabled again, not reconnected by it', async () => {
    await connectAs('dana', 'open', 'dana-open-3');
    await connectAs('dana', 'doomed', 'dana-doomed');
    expect(await connectionsOf('dana')).toEqual(['doomed', 'open']);
    const before = refreshRevocationCount();
    const disabled = await gw.admin('PATCH', `/users/${people.dana!.id}`, { disabled: true });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(disabled.body).toMatchObject({ id: people.dana!.id, disabled: true });
    expect(await connectionsOf('dana')).toEqual([]);
    await expiryAudited(servers.open!.serverId, 'dana', 'users.update', /disabled/);
    await expiryAudited(servers.doomed!.serverId, 'dana', 'users.update', /disabled/);
    await revokedUpstream('dana-open-3', before);
    await revokedUpstream('dana-doomed', before + 1);
    // Someone else's connection to the same server is untouched.
    expect(await connectionsOf('gus')).toEqual(['open']);
    const enabled = await gw.admin('PATCH', `/users/${people.dana!.id}`, { disabled: false });
    expect(enabled.body).toMatchObject({ disabled: false });
    expect(await connectionsOf('dana')).toEqual([]);
  });

  it('refuses bad user changes clearly, changing nothing', async () => {
    const notBoolean = await gw.admin('PATCH', `/users/${people.gus!.id}`, { disabled: 'yes' });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
    const stray = await gw.admin('PATCH', `/users/${people.gus!.id}`, { disabled: true, password: 'x' });
    expect(stray.status).toBe(400);
    const missing = await gw.admin('PATCH', '/users/usr_missing', { disabled: true });
    expect(missing.status).toBe(404);
    const admins = (await gw.admin('GET', '/users')).body.items.find((u: { username: string }) => u.username === 'admin');
    const self = await gw.admin('PATCH', `/users/${admins.id}`, { disabled: true });
    expect(self.status).toBe(409);
    const byViewer = await gw.admin('PATCH', `/users/${people.gus!.id}`, { disabled: true }, people.hal!.apiToken);
    expect(byViewer.status).toBe(403);
    expect(await connectionsOf('gus')).toEqual(['open']);
  });

  it('taking a person off a virtual server’s access list ends their connection to its upstream; those still listed keep theirs', async () => {
    await connectAs('eli', 'listed', 'eli-listed');
    await connectAs('fay', 'listed', 'fay-listed');
    const before = refreshRevocationCount();
    const changed = await gw.admin('PATCH', `/virtual-mcps/${servers.listed!.virtualId}`, {
      access: { users: [people.fay!.id], groups: [], serviceAccounts: [] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(await connectionsOf('eli')).toEqual([]);
    expect(await connectionsOf('fay')).toEqual(['listed']);
    await expiryAudited(servers.listed!.serverId, 'eli', 'virtual-mcps.update', /no published virtual server/);
    await revokedUpstream('eli-listed', before);
  });

  it('removing a person’s only role binding ends their connections', async () => {
    await connectAs('hal', 'open', 'hal-open');
    const bindings = (await gw.admin('GET', '/role-bindings?limit=200')).body.items.filter((b: { subject?: string }) => b.subject === people.hal!.id);
    expect(bindings).toHaveLength(1);
    expect((await gw.admin('DELETE', `/role-bindings/${bindings[0].id}`)).status).toBe(200);
    expect(await connectionsOf('hal')).toEqual([]);
    await expiryAudited(servers.open!.serverId, 'hal', 'role-bindings.delete', /no role/);
  });

  it('an upstream removed from (or unpublished with) a virtual server ends connections no other published server keeps', async () => {
    const extra = await gw.perUserServer('extra');
    servers.extra = extra;
    await connectAs('ivy', 'extra', 'ivy-extra');
    await connectAs('ivy', 'open', 'ivy-open');
    // A second virtual server composes both upstreams; taking `extra` out of it changes nothing while `extra`'s own server is published.
    const both = await gw.admin('POST', '/virtual-mcps', {
      slug: 'both',
      name: 'both',
      upstreamIds: [extra.serverId, servers.open!.serverId],
      tools: [],
      published: true,
    });
    expect(both.status, JSON.stringify(both.body)).toBe(201);
    expect((await gw.admin('PATCH', `/virtual-mcps/${both.body.id}`, { upstreamIds: [servers.open!.serverId] })).status).toBe(200);
    expect(await connectionsOf('ivy')).toEqual(['extra', 'open']);
    // Unpublished, the only server composing `extra` no longer reaches it: the connection ends.
    expect((await gw.admin('PATCH', `/virtual-mcps/${extra.virtualId}`, { published: false })).status).toBe(200);
    expect(await connectionsOf('ivy')).toEqual(['open']);
    await expiryAudited(extra.serverId, 'ivy', 'virtual-mcps.update', /no published virtual server/);
  });

  it('deleting the only virtual server composing an upstream ends its connections', async () => {
    await connectAs('gus', 'doomed', 'gus-doomed');
    const before = refreshRevocationCount();
    expect((await gw.admin('DELETE', `/virtual-mcps/${servers.doomed!.virtualId}`)).status).toBe(200);
    expect(await connectionsOf('gus')).toEqual(['open']);
    await expiryAudited(servers.doomed!.serverId, 'gus', 'virtual-mcps.delete', /no published virtual server/);
    await revokedUpstream('gus-doomed', before);
  });

  it('a declarative apply that moves an upstream from one virtual server to another keeps its connections (judged on the whole change)', async () => {
    const x = await gw.perUserServer('shiftx');
    const y = await gw.perUserServer('shifty');
    await connectAs('ivy', 'shiftx', 'ivy-shiftx');
    const exported = (await gw.admin('GET', '/config/export')).body;
    const key = Object.keys(exported).find((k) => Array.isArray(exported[k]) && exported[k].some((v: { slug?: string }) => v.slug === 'shiftx'))!;
    const item = (slug: string) => exported[key].find((v: { slug: string }) => v.slug === slug);
    // One step takes the upstream from `shiftx`, another gives it to `shifty`: only the end state counts.
    const document = {
      [key]: [
        { ...item('shiftx'), upstreamIds: [y.serverId], tools: [] },
        { ...item('shifty'), upstreamIds: [y.serverId, x.serverId] },
      ],
    };
    const applied = await gw.admin('POST', '/config/apply', { document });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.summary.update).toBe(2);
    expect(await connectionsOf('ivy')).toEqual(['open', 'shiftx']);
    // Taking it out of both in one apply ends it, audited with the apply's steps.
    const both = { [key]: [{ ...item('shifty'), upstreamIds: [y.serverId] }] };
    expect((await gw.admin('POST', '/config/apply', { document: both })).status).toBe(200);
    expect(await connectionsOf('ivy')).toEqual(['open']);
    await expiryAudited(x.serverId, 'ivy', 'virtual-mcps.update', /no published virtual server/);
  });

  it('deleting a user ends their connections, each audited', async () => {
    expect(await connectionsOf('fay')).toEqual(['listed']);
    expect((await gw.admin('DELETE', `/users/${people.fay!.id}`)).status).toBe(200);
    expect(await connectionsOf('fay')).toEqual([]);
    await expiryAudited(servers.listed!.serverId, 'fay', 'users.delete', /deleted/);
  });

  it('no upstream token reaches a response or the server log', async () => {
    const text = [...gw.said, gw.output()].join('\n');
    expect(gw.upstream.issued.length).toBeGreaterThan(8);
    for (const token of gw.upstream.issued) expect(text.includes(token), 'an upstream token').toBe(false);
  });
});
