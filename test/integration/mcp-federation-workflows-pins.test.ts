import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

/** A workflow attached to a virtual server at a pinned version, as a proxy pins one: through `/mcp/v/{slug}`, SDK v2 client and upstream. */

let t: TestGatehouse;
let upstream: TestUpstream;
let agent: { clientId: string; clientSecret: string };
let serverId: string;
let workflowId: string;
const opened: Client[] = [];

const mockSaying = (says: string) => [{ type: 'mock_response', id: 'mock', body: { content: [{ type: 'text', text: `${says} for {{mcp.tool}}` }] } }];

async function admin(method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) {
  const res = await call(t.api, t.adminToken, method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('pins', (s) => {
    s.registerTool('echo', { description: 'Echoes', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  });
  serverId = (await admin('POST', '/mcp-servers', { name: 'pins', url: upstream.url })).id;
  agent = await t.serviceAccount('viewer');
  workflowId = (await admin('POST', '/workflows', { name: 'pinned', request: mockSaying('one') })).id;
  await admin('PATCH', `/workflows/${workflowId}`, { request: mockSaying('two') });
  await admin('PATCH', `/workflows/${workflowId}`, { request: mockSaying('three') });
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
  await upstream?.close();
  await t?.close();
});

async function virtualServer(slug: string, workflows: unknown[]): Promise<string> {
  return (
    await admin('POST', '/virtual-mcps', {
      slug,
      name: slug,
      upstreamIds: [serverId],
      tools: [{ upstreamId: serverId, name: 'echo' }],
      access: { serviceAccounts: [agent.clientId] },
      workflows,
      published: true,
    })
  ).id;
}

async function echoOn(slug: string): Promise<string> {
  const url = `${t.gh.urls.proxy}/mcp/v/${slug}`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...agent, resource: url });
  const client = new Client({ name: 'pins-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  opened.push(client);
  const result = await client.callTool({ name: 'echo', arguments: { text: 'upstream' } });
  return (result.content as { text: string }[]).map((c) => c.text).join('');
}

/** What the server answers once the change feed has brought `expected` (or what it answers after 5 s). */
async function eventually(slug: string, expected: string): Promise<string> {
  const deadline = Date.now() + 5_000;
  let got = await echoOn(slug);
  while (got !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    got = await echoOn(slug);
  }
  return got;
}

describe('a workflow attached to a virtual server at a pinned version', () => {
  it("runs the pinned version's definition; without a pin, the latest", async () => {
    await virtualServer('pin-one', [{ workflowId, version: 1 }]);
    await virtualServer('pin-none', [{ workflowId }]);
    await virtualServer('pin-tool', [{ workflowId, version: 2, tools: ['echo'] }, { workflowId }]);
    expect(await eventually('pin-one', 'one for echo')).toBe('one for echo');
    expect(await eventually('pin-none', 'three for echo')).toBe('three for echo');
    // A tool's own attachment, pinned, over the one on every call.
    expect(await eventually('pin-tool', 'two for echo')).toBe('two for echo');
    expect((await admin('GET', '/virtual-mcps?q=pin-one')).items[0].workflows).toEqual([{ workflowId, version: 1 }]);
  });

  it('follows a pin moved to another version, and a pin dropped', async () => {
    const id = await virtualServer('pin-moved', [{ workflowId, version: 1 }]);
    expect(await eventually('pin-moved', 'one for echo')).toBe('one for echo');
    await admin('PATCH', `/virtual-mcps/${id}`, { workflows: [{ workflowId, version: 2 }] });
    expect(await eventually('pin-moved', 'two for echo')).toBe('two for echo');
    await admin('PATCH', `/virtual-mcps/${id}`, { workflows: [{ workflowId }] });
    expect(await eventually('pin-moved', 'three for echo')).toBe('three for echo');
  });

  it('refuses a version that does not exist (422) or is not one (400)', async () => {
    const base = { name: 'Bad', upstreamIds: [serverId], tools: [{ upstreamId: serverId, name: 'echo' }] };
    const missing = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', { ...base, slug: 'pin-bad', workflows: [{ workflowId, version: 99 }] });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('GATEHOUSE_REFERENCE_NOT_FOUND');
    expect(missing.body.error.message).toContain('no version 99');
    const zero = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', { ...base, slug: 'pin-bad', workflows: [{ workflowId, version: 0 }] });
    expect(zero.status).toBe(400);
    expect(zero.body.error.code).toBe('GATEHOUSE_VALIDATION_FAILED');
  });
});
