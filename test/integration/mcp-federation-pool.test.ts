import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';

let t: TestGatehouse;
let upstream: TestUpstream;
let serverId: string;
/** Whether new upstream sessions offer the `extra` tool (a change at the upstream). */
let offerExtra = false;
let client: Client;

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  upstream = await startStatefulUpstream('stateful', (s) => {
    s.registerTool('echo', { description: 'Echoes', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
    if (offerExtra) s.registerTool('extra', { description: 'Added later' }, async () => ({ content: [{ type: 'text', text: 'extra' }] }));
  });
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'stateful', url: upstream.url });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  serverId = server.body.id;
  const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'pooled',
    name: 'Pooled',
    upstreamIds: [serverId],
    tools: [
      { upstreamId: serverId, name: 'echo' },
      { upstreamId: serverId, name: 'extra' },
    ],
    published: true,
  });
  expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
  const sa = await t.serviceAccount('viewer');
  const url = `${t.gh.urls.proxy}/mcp/v/pooled`;
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: url });
  client = new Client({ name: 'pool-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
}, 60_000);

afterAll(async () => {
  await client?.close();
  await upstream?.close();
  await t?.close();
});

const count = (method: string) => upstream.methods.filter((m) => m === method).length;
const text = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('upstream client pool', () => {
  it('keeps one upstream session for many calls instead of a handshake per call', async () => {
    for (let i = 0; i < 10; i++) expect(text(await client.callTool({ name: 'echo', arguments: { text: `n${i}` } }))).toBe(`n${i}`);
    expect(count('tools/call')).toBe(10);
    expect(count('initialize')).toBe(1);
  });

  it('reconnects when the upstream forgot the session, and the call still succeeds', async () => {
    upstream.forgetSessions();
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe('again');
    expect(count('initialize')).toBe(2);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'and again' } }))).toBe('and again');
    expect(count('initialize')).toBe(2);
  });

  it('reuses the tool definitions, and fetches them again when the server settings change', async () => {
    const before = count('tools/list');
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['echo']);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['echo']);
    expect(count('tools/list')).toBe(before + 1);
    offerExtra = true;
    upstream.forgetSessions();
    // Still the cached list: the upstream did not say its tools changed.
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['echo']);
    const patched = await call(t.api, t.adminToken, 'PATCH', `/mcp-servers/${serverId}`, { description: 'touched' });
    expect(patched.status).toBe(200);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['echo', 'extra']);
  });
});
