import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

// The console shows a virtual server's tools by the names tool-status returns: they must be the names clients receive.
describe('the names a virtual server serves its tools by', () => {
  let t: TestGatehouse;
  const upstreams: TestUpstream[] = [];
  let client: Client;
  let vmcpId: string;

  beforeAll(async () => {
    t = await startTestGatehouse('sqlite');
    for (const name of ['Every Thing', 'other']) {
      upstreams.push(
        await startStatefulUpstream(name, (s) => {
          s.registerTool('echo', { description: 'Echoes', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
            content: [{ type: 'text', text: `${name}:${text}` }],
          }));
        }),
      );
    }
    const ids: string[] = [];
    for (const [i, u] of upstreams.entries()) {
      const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: i === 0 ? 'Every Thing' : 'other', url: u.url });
      expect(server.status, JSON.stringify(server.body)).toBe(201);
      ids.push(server.body.id);
    }
    const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'named',
      name: 'Named',
      upstreamIds: ids,
      tools: [
        { upstreamId: ids[0], name: 'echo', rename: 'say' },
        { upstreamId: ids[1], name: 'echo' },
      ],
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
    vmcpId = vmcp.body.id;
    const sa = await t.serviceAccount('viewer');
    const url = `${t.gh.urls.proxy}/mcp/v/named`;
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: url });
    client = new Client({ name: 'names-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    for (const u of upstreams) await u.close();
    await t?.close();
  });

  it('tool-status names each tool exactly as tools/list gives it, and that name calls it', async () => {
    const status = await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${vmcpId}/tool-status`);
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    const served = (status.body.items as { servedName: string }[]).map((s) => s.servedName).sort();
    expect(served).toEqual(['every_thing__say', 'other__echo']);
    const listed = (await client.listTools()).tools.map((tool) => tool.name).sort();
    expect(listed).toEqual(served);
    const result = await client.callTool({ name: 'every_thing__say', arguments: { text: 'hi' } });
    expect((result.content as { text: string }[])[0]?.text).toBe('Every Thing:hi');
  });
});
