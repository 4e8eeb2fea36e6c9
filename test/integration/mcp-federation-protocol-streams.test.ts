import type { Client } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { connectedClient } from '../support/mcp-client.js';

/**
 * A 2025-era caller's event stream (GET with its session id, 2025-11-25) through a virtual server
 * carries prompts and resources list changes as well as tools', and what its own upstream session
 * says (resource updates) to it alone. Upstreams: an SDK v2 server that adds a prompt and a resource
 * while running (the SDK then sends the list-changed notifications), and server-everything.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let growing: TestUpstream;
/** Every session's server of the SDK upstream: what is added is added to each. */
const servers: McpServer[] = [];
let growingToken: string;
let tokenA: string;
let tokenB: string;
const opened: Client[] = [];

const virtualUrl = (slug: string) => `${t.gh.urls.proxy}/mcp/v/${slug}`;

async function connect(slug: string, bearer: string): Promise<Client> {
  return connectedClient(virtualUrl(slug), bearer, { name: 'streams-test', options: { versionNegotiation: { mode: 'legacy' } }, keep: opened });
}

type Heard = 'notifications/resources/updated' | 'notifications/prompts/list_changed' | 'notifications/resources/list_changed';

/** Records every notification of `methods` the client hears. */
function recording(client: Client, methods: Heard[]): { method: string; params?: unknown }[] {
  const seen: { method: string; params?: unknown }[] = [];
  for (const method of methods) client.setNotificationHandler(method, (n) => void seen.push(n as { method: string; params?: unknown }));
  return seen;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('not within time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  [t, everything, growing] = await Promise.all([
    startTestGatehouse('sqlite'),
    startEverything(),
    startStatefulUpstream('growing', (server) => {
      servers.push(server);
      server.registerPrompt('first', { description: 'the first prompt' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'first' } }] }));
      server.registerResource('one', 'test://one', {}, () => ({ contents: [{ uri: 'test://one', text: 'one' }] }));
    }),
  ]);
  const create = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };
  const { id: growingId } = await create('/mcp-servers', { name: 'growing', url: growing.url, timeoutMs: 15_000 });
  const { id: everythingId } = await create('/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 15_000 });
  await create('/virtual-mcps', {
    slug: 'growing',
    name: 'Growing',
    upstreamIds: [growingId],
    tools: [],
    prompts: [{ upstreamId: growingId, name: 'first' }],
    resources: [{ upstreamId: growingId, uri: 'test://one' }],
    published: true,
  });
  await create('/virtual-mcps', {
    slug: 'everything',
    name: 'Everything',
    upstreamIds: [everythingId],
    tools: [{ upstreamId: everythingId, name: 'toggle-subscriber-updates' }],
    resources: [{ upstreamId: everythingId, uri: 'demo://resource/static/document/{name}' }],
    published: true,
  });
  const [a, b] = await Promise.all([t.serviceAccount('viewer'), t.serviceAccount('viewer')]);
  growingToken = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...a, resource: virtualUrl('growing') });
  tokenA = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...a, resource: virtualUrl('everything') });
  tokenB = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...b, resource: virtualUrl('everything') });
}, 120_000);

afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close().catch(() => undefined)));
});

afterAll(async () => {
  await t?.close();
  await everything?.close();
  await growing?.close();
});

describe("a 2025-era caller's event stream", () => {
  it('declares listChanged for prompts and resources, and hears them when the upstream adds one', async () => {
    const client = await connect('growing', growingToken);
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const caps = client.getServerCapabilities();
    expect(caps?.prompts?.listChanged).toBe(true);
    expect(caps?.resources?.listChanged).toBe(true);
    const seen = recording(client, ['notifications/prompts/list_changed', 'notifications/resources/list_changed']);
    // The gateway's own sessions of the upstream are open (the caller listed through them) and the caller's stream with them.
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['first']);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    for (const server of servers) {
      server.registerPrompt('late', { description: 'added at run time' }, () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'late' } }] }));
    }
    await until(() => seen.some((n) => n.method === 'notifications/prompts/list_changed'));
    for (const server of servers) server.registerResource('two', 'test://two', {}, () => ({ contents: [{ uri: 'test://two', text: 'two' }] }));
    await until(() => seen.some((n) => n.method === 'notifications/resources/list_changed'));
    // Several upstream sessions said so: the caller heard each change once.
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((n) => n.method === 'notifications/prompts/list_changed')).toHaveLength(1);
    expect(seen.filter((n) => n.method === 'notifications/resources/list_changed')).toHaveLength(1);
  }, 30_000);

  it("hears resource updates from its own upstream session only: another caller's open stream hears none", async () => {
    const watched = 'demo://resource/static/document/architecture.md';
    const [a, b] = await Promise.all([connect('everything', tokenA), connect('everything', tokenB)]);
    expect(a.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
    const heardByA = recording(a, ['notifications/resources/updated']);
    const heardByB = recording(b, ['notifications/resources/updated']);
    await Promise.all([a.subscribeResource({ uri: watched }), b.subscribeResource({ uri: watched })]);
    // server-everything sends updates of a session's subscriptions once that session turns them on: A's only.
    await a.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
    await until(() => heardByA.some((n) => (n.params as { uri?: string }).uri === watched), 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(heardByB).toEqual([]);
    await a.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
  }, 30_000);
});
