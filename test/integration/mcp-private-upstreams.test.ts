import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

// One rule for upstream MCP servers at loopback, private or link-local addresses: a gateway without
// GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS reaches one only when an admin set its allowPrivateNetwork,
// and testing it, curating it and calling it through a virtual server all follow that one decision.
describe('upstream MCP servers on private networks', { timeout: 60_000 }, () => {
  let t: TestGatehouse;
  let upstream: TestUpstream;
  let agent: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    upstream = await startStatefulUpstream('loopback', (s) => {
      s.registerTool('lookup', { description: 'Looks a word up', inputSchema: z.object({ word: z.string() }) }, async ({ word }) => ({
        content: [{ type: 'text', text: `found ${word}` }],
      }));
    });
    t = await startTestGatehouse('sqlite', { mcpAllowPrivateUpstreams: false });
    agent = await t.serviceAccount('viewer');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  const admin = (method: string, path: string, body?: unknown) => call(t.api, t.adminToken, method, path, body);

  /** Creates a published virtual server of the upstream's `lookup` tool. */
  async function virtualServer(slug: string, serverId: string) {
    const res = await admin('POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [serverId],
      tools: [{ upstreamId: serverId, name: 'lookup' }],
      published: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  }

  /** Calls `lookup` through the virtual server as a service account, with the official SDK client. */
  async function callLookup(slug: string) {
    const url = `${t.gh.urls.proxy}/mcp/v/${slug}`;
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: url });
    const client = new Client({ name: 'private-upstreams-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      return await client.callTool({ name: 'lookup', arguments: { word: 'gate' } });
    } finally {
      await client.close();
    }
  }
  const text = (r: { content?: unknown }) => (r.content as { text: string }[])[0]!.text;

  it('refuses a loopback upstream for testing and curating with an error that names the setting and the field', async () => {
    const created = await admin('POST', '/mcp-servers', { name: 'plain', url: upstream.url });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.allowPrivateNetwork).toBe(false);
    const probed = await admin('POST', '/mcp-servers/probe', { id: created.body.id });
    expect(probed.body).toMatchObject({ reachable: false, error: { code: 'GATEHOUSE_MCP_UPSTREAM_PRIVATE' } });
    expect(probed.body.error.message).toContain('GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS=true');
    expect(probed.body.error.message).toContain('allowPrivateNetwork');
    const vmcp = await virtualServer('plain', created.body.id);
    const status = await admin('GET', `/virtual-mcps/${vmcp.id}/tool-status`);
    expect(status.body.items).toMatchObject([{ name: 'lookup', state: 'unreachable', error: 'GATEHOUSE_MCP_UPSTREAM_PRIVATE' }]);
  });

  it('tests, curates and calls one whose allowPrivateNetwork an admin set; calls are refused, naming both, once it is taken off', async () => {
    const created = await admin('POST', '/mcp-servers', { name: 'allowed', url: upstream.url, allowPrivateNetwork: true });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await admin('POST', '/mcp-servers/probe', { id: created.body.id })).body).toMatchObject({ reachable: true, tools: [{ name: 'lookup' }] });
    const vmcp = await virtualServer('allowed', created.body.id);
    expect((await admin('GET', `/virtual-mcps/${vmcp.id}/tool-status`)).body.items).toMatchObject([{ name: 'lookup', state: 'approved' }]);
    const answered = await callLookup('allowed');
    expect(answered.isError).toBeFalsy();
    expect(text(answered)).toBe('found gate');

    const off = await admin('PATCH', `/mcp-servers/${created.body.id}`, { allowPrivateNetwork: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const refused = await callLookup('allowed');
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('GATEHOUSE_MCP_UPSTREAM_PRIVATE');
    expect(text(refused)).toContain('GATEHOUSE_MCP_ALLOW_PRIVATE_UPSTREAMS=true');
    expect(text(refused)).toContain('allowPrivateNetwork');
  });

  it('lets only admins allow a private network or move an allowed server, and audits the change like any other', async () => {
    const modifier = await t.user('modifier');
    const asModifier = (method: string, path: string, body?: unknown) => call(t.api, modifier.token, method, path, body);
    const denied = await asModifier('POST', '/mcp-servers', { name: 'sneaky', url: upstream.url, allowPrivateNetwork: true });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'GATEHOUSE_FORBIDDEN']);
    expect(denied.body.error.message).toContain('allowPrivateNetwork');
    // Nor may a modifier reach one through a probe of settings not saved.
    expect((await asModifier('POST', '/mcp-servers/probe', { name: 'sneaky', url: upstream.url, allowPrivateNetwork: true })).status).toBe(403);

    const own = await asModifier('POST', '/mcp-servers', { name: 'modifiers', url: upstream.url });
    expect(own.status).toBe(201);
    expect((await asModifier('PATCH', `/mcp-servers/${own.body.id}`, { allowPrivateNetwork: true })).status).toBe(403);
    const allowed = await admin('PATCH', `/mcp-servers/${own.body.id}`, { allowPrivateNetwork: true });
    expect(allowed.status).toBe(200);
    const audit = await admin('GET', `/audit-logs?action=mcp-servers.update&resourceId=${own.body.id}`);
    expect(audit.body.items[0]).toMatchObject({ outcome: 'success', diff: { before: { allowPrivateNetwork: false }, after: { allowPrivateNetwork: true } } });

    // Other changes stay a modifier's; pointing the allowed server elsewhere does not.
    expect((await asModifier('PATCH', `/mcp-servers/${own.body.id}`, { description: 'renamed by a modifier' })).status).toBe(200);
    expect((await asModifier('PATCH', `/mcp-servers/${own.body.id}`, { url: 'http://169.254.169.254/mcp' })).status).toBe(403);
  });
});
