import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import type { InteropUpstream } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { pythonMcpAvailable, startFastMcp } from '../support/python-upstream.js';

/**
 * A virtual server composing two real upstreams (a Python FastMCP server and server-everything),
 * one of them stopped: its lists still answer with the healthy upstream's tools, prompts and
 * resources, name the missing upstream in their `_meta`, and the missing upstream's health says why.
 */

const available = pythonMcpAvailable();
const UNAVAILABLE = 'io.gatehouse/unavailable';

/** The upstreams a list result's `_meta` names as left out (none: an empty list). */
const missingOf = (result: { _meta?: Record<string, unknown> | undefined }) =>
  ((result._meta?.[UNAVAILABLE] ?? []) as Array<{ upstream: string; error: string }>).map((m) => m.upstream);

describe.skipIf(!available)('a composed virtual server with one upstream down', () => {
  let t: TestGatehouse;
  let python: InteropUpstream;
  let everything: EverythingUpstream;
  let client: Client;
  let everythingId: string;

  /** Registers an upstream whose definitions are read afresh on every list (no cache to wait out). */
  async function register(name: string, url: string): Promise<string> {
    const res = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name, url, timeoutMs: 10_000, maxResultChars: 100_000, definitionsTtlMs: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    [t, python, everything] = await Promise.all([startTestGatehouse('sqlite'), startFastMcp('stateful'), startEverything()]);
    const pythonId = await register('py', python.url);
    everythingId = await register('everything', everything.url);
    const created = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'composed',
      name: 'composed',
      upstreamIds: [pythonId, everythingId],
      tools: [
        { upstreamId: pythonId, name: 'echo' },
        { upstreamId: pythonId, name: 'add' },
        { upstreamId: everythingId, name: 'echo' },
      ],
      prompts: [
        { upstreamId: pythonId, name: 'greet' },
        { upstreamId: everythingId, name: 'simple-prompt' },
      ],
      resources: [
        { upstreamId: pythonId, uri: 'memo://readme' },
        { upstreamId: everythingId, uri: 'demo://resource/static/document/architecture.md' },
      ],
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sa = await t.serviceAccount('viewer');
    const resource = `${t.gh.urls.proxy}/mcp/v/composed`;
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
    client = new Client({ name: 'composed', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  }, 120_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await t?.close();
    await Promise.all([python?.close(), everything?.close()]);
  });

  it('lists both upstreams while both answer, with no _meta naming a missing one', async () => {
    const listed = await client.listTools();
    expect(listed.tools.map((tool) => tool.name).sort()).toEqual(['everything__echo', 'py__add', 'py__echo']);
    expect(listed._meta?.[UNAVAILABLE]).toBeUndefined();
    expect(missingOf(await client.listPrompts())).toEqual([]);
  });

  it('with one upstream stopped, lists the other’s tools, prompts and resources, naming the missing one in _meta and its health', async () => {
    await everything.close();
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['py__add', 'py__echo']);
    expect(missingOf(tools)).toEqual(['everything']);
    expect(JSON.stringify(tools._meta)).toMatch(/"error":"GATEHOUSE_UPSTREAM_UNREACHABLE: /);

    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toEqual(['py__greet']);
    expect(missingOf(prompts)).toEqual(['everything']);
    const resources = await client.listResources();
    expect(resources.resources.map((r) => r.uri)).toEqual(['memo://readme']);
    expect(missingOf(resources)).toEqual(['everything']);

    // The healthy upstream's tools still answer; the missing one's fail as its own call.
    const echoed = await client.callTool({ name: 'py__echo', arguments: { text: 'still here' } });
    expect((echoed.content as Array<{ text: string }>)[0]?.text).toBe('echo: still here');
    const failed = await client.callTool({ name: 'everything__echo', arguments: { message: 'gone' } });
    expect(failed.isError).toBe(true);

    // The missing upstream's health, as the admin API reads it, says why.
    await vi.waitFor(
      async () => {
        const read = await call(t.api, t.adminToken, 'GET', `/mcp-servers/${everythingId}`);
        expect((read.body.health as { lastError: { message: string } | null } | null)?.lastError?.message).toMatch(/could not be reached/);
      },
      { timeout: 20_000, interval: 100 },
    );
  }, 60_000);
});
