import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * A gateway error on a tool that declares an output schema, as an SDK v1 (`@modelcontextprotocol/sdk`)
 * client sees it: that SDK checks `structuredContent` against the tool's schema even on an error
 * result, so the gateway's error must reach it in `content` and `_meta`, not as a structuredContent
 * that breaks the schema ("does not match the tool's output schema" would replace the real error).
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let v1: Client;

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'everything', url: everything.url, timeoutMs: 20_000 });
  expect(server.status, JSON.stringify(server.body)).toBe(201);
  const upstreamId = server.body.id as string;
  const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
    slug: 'weather',
    name: 'weather',
    upstreamIds: [upstreamId],
    tools: [
      { upstreamId, name: 'get-structured-content', rateLimit: { window: 'day', limit: 1 } },
      { upstreamId, name: 'echo', rateLimit: { window: 'day', limit: 1 } },
    ],
    published: true,
  });
  expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
  const resource = `${t.gh.urls.proxy}/mcp/v/weather`;
  const sa = await t.serviceAccount('viewer');
  const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource });
  v1 = new Client({ name: 'sdk-v1-client', version: '1.0.0' });
  await v1.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
}, 120_000);

afterAll(async () => {
  await v1?.close().catch(() => undefined);
  await t?.close();
  await everything?.close();
});

describe('gateway errors on schema’d tools, through an SDK v1 client', () => {
  it('receives the rate-limit error itself (code in content and _meta), not a schema mismatch', async () => {
    const { tools } = await v1.listTools();
    expect(tools.find((tool) => tool.name === 'get-structured-content')?.outputSchema).toBeDefined();
    const first = await v1.callTool({ name: 'get-structured-content', arguments: { location: 'Chicago' } });
    expect(first.isError).toBeFalsy();
    expect(first.structuredContent).toMatchObject({ temperature: expect.any(Number) });

    // The SDK would throw "Structured content does not match the tool's output schema" here before the fix.
    const limited = await v1.callTool({ name: 'get-structured-content', arguments: { location: 'Chicago' } });
    expect(limited.isError).toBe(true);
    expect(limited.structuredContent).toBeUndefined();
    const text = (limited.content as { type: string; text: string }[])[0]?.text ?? '';
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'GATEHOUSE_RATE_LIMITED' } });
    expect(limited._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED' });
  }, 60_000);

  it('keeps the structured error for a tool without an output schema', async () => {
    await v1.callTool({ name: 'echo', arguments: { message: 'one' } });
    const limited = await v1.callTool({ name: 'echo', arguments: { message: 'two' } });
    expect(limited.isError).toBe(true);
    expect(limited.structuredContent).toMatchObject({ error: { code: 'GATEHOUSE_RATE_LIMITED' } });
    expect(limited._meta?.['io.gatehouse/error']).toMatchObject({ code: 'GATEHOUSE_RATE_LIMITED' });
  }, 60_000);
});
