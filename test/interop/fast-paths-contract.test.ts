import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { compareEverything, type Curated, curateWhole } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * One contract suite over both implementations of each fast-path interface (as Hono runs one router
 * suite over all its routers): serving tools/list and tools/call (the hand-written hot path, or the
 * SDK's server) and calling an upstream's tool (the lean client, or the SDK's client), selected by
 * the one switch `GATEHOUSE_FAST_PATHS` (`fastPaths` here). Real clients of both SDK generations,
 * the reference server `server-everything` upstream; each implementation must answer exactly what
 * the upstream answers directly, and the two must answer alike.
 */

interface Implementation {
  name: string;
  fastPaths: boolean;
  t?: TestGatehouse;
  curated?: Curated;
}

const IMPLEMENTATIONS: Implementation[] = [
  { name: 'the fast paths', fastPaths: true },
  { name: 'the libraries (GATEHOUSE_FAST_PATHS=off)', fastPaths: false },
];

let everything: EverythingUpstream;
/** What each implementation answered, by implementation and call, for the comparison between them. */
const answers = new Map<string, Map<string, unknown>>();

beforeAll(async () => {
  everything = await startEverything();
  await Promise.all(
    IMPLEMENTATIONS.map(async (impl) => {
      impl.t = await startTestGatehouse('sqlite', { fastPaths: impl.fastPaths });
      impl.curated = await curateWhole(impl.t, { name: 'everything', url: everything.url }, 'everything');
    }),
  );
}, 120_000);

afterAll(async () => {
  for (const impl of IMPLEMENTATIONS) {
    await impl.curated?.close();
    await impl.t?.close();
  }
  await everything?.close();
});

async function v1Client(impl: Implementation): Promise<V1Client> {
  const t = impl.t!;
  const sa = await t.serviceAccount('viewer');
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: impl.curated!.resource });
  const client = new V1Client({ name: 'contract-v1', version: '1.0.0' });
  await client.connect(new V1Transport(new URL(impl.curated!.resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** A consumer of the Gateway MCP: a published collection, an app allowed it, a profile and its token. */
async function gatewayMcp(impl: Implementation): Promise<Client> {
  const t = impl.t!;
  const admin = async (path: string, body: unknown) => {
    const res = await call(t.api, t.adminToken, 'POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; token?: string };
  };
  const collection = await admin('/collections', { slug: 'shop', name: 'Shop', description: 'Orders', published: true });
  const app = await admin('/clients', { name: 'contract app', collectionIds: [collection.id] });
  const profile = await admin('/profiles', { clientId: app.id, name: 'contract', authType: 'token' });
  const { token } = await admin(`/profiles/${profile.id}/credentials`, {});
  const client = new Client({ name: 'contract-v2', version: '1.0.0' });
  const headers = { authorization: `Bearer ${token}`, 'x-client-id': app.id, 'x-profile-id': profile.id };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${t.gh.urls.proxy}/mcp`), { requestInit: { headers } }));
  return client;
}

const record = (impl: Implementation, key: string, value: unknown) => {
  const mine = answers.get(impl.name) ?? new Map<string, unknown>();
  mine.set(key, value);
  answers.set(impl.name, mine);
};

describe.each(IMPLEMENTATIONS)('MCP tools/list and tools/call through $name', (impl) => {
  it('a virtual server answers every call of server-everything exactly as the server does directly (SDK v2 client)', async () => {
    const report = await compareEverything(impl.curated!, {
      args: { 'tool:trigger-long-running-operation': { duration: 1, steps: 2 }, 'prompt:resource-prompt': { resourceType: 'Text', resourceId: '1' } },
      exceptions: {
        'tool:toggle-simulated-logging': { kind: 'differs', reason: 'its text names the upstream session, the gateway’s pooled one' },
        'tool:toggle-subscriber-updates': { kind: 'differs', reason: 'its text names the upstream session' },
      },
    });
    expect(report.unexpected).toEqual([]);
    expect(report.failDirectly).toEqual({});
    expect(report.same.filter((k) => k.startsWith('tool:')).length).toBeGreaterThanOrEqual(11);
  }, 120_000);

  it('an SDK v1 client (2025 revision) lists the same tools, gets the same answers, and an unknown tool’s error', async () => {
    const client = await v1Client(impl);
    try {
      const listed = await client.listTools();
      const v2Listed = await impl.curated!.virtual.listTools();
      expect(listed.tools.map((tool) => tool.name)).toEqual(v2Listed.tools.map((tool) => tool.name));
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'contract' } });
      expect(echo).toMatchObject({ content: [{ type: 'text', text: 'Echo: contract' }] });
      const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } });
      expect(JSON.stringify(sum)).toContain('42');
      await expect(client.callTool({ name: 'no-such-tool', arguments: {} })).rejects.toThrow(/no-such-tool/);
      record(impl, 'v1 list', listed.tools);
      record(impl, 'v1 echo', echo);
      record(impl, 'v1 sum', sum);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('the Gateway MCP lists its tools and answers a call with structured content and its JSON text twin', async () => {
    const client = await gatewayMcp(impl);
    try {
      const listed = await client.listTools();
      expect(listed.tools.length).toBeGreaterThan(2);
      expect(listed.tools.map((tool) => tool.name)).toContain('list_collections');
      const result = await client.callTool({ name: 'list_collections', arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toBeDefined();
      const text = (result.content as Array<{ type: string; text: string }>)[0]!;
      expect(JSON.parse(text.text)).toEqual(result.structuredContent);
      record(impl, 'gateway list', listed.tools);
      record(impl, 'gateway call', result);
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('both implementations', () => {
  it('answer every call of the suite alike', () => {
    const [fast, library] = IMPLEMENTATIONS.map((impl) => answers.get(impl.name));
    expect(fast?.size).toBe(5);
    expect(library).toEqual(fast);
  });
});
