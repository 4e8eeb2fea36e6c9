import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EverythingUpstream, startEverything } from '../support/everything-upstream.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { callAcrossRestart, compareEverything, type Curated, curateWhole } from '../support/interop.js';
import { clientCredentialsToken } from '../support/oauth.js';

/**
 * The reference server `@modelcontextprotocol/server-everything` over Streamable HTTP (stateful,
 * event-stream answers with priming events): every tool, prompt and resource directly and through a
 * virtual server curating all of it.
 *
 * Not in this comparison (the protocol beyond tools, prompts and resources, which a virtual server
 * relays only as far as README "MCP federation" says): the tools it offers only to clients that
 * declare sampling, elicitation or roots (`trigger-sampling-request`, `trigger-elicitation-request`,
 * `get-roots-list`, …), a task-augmented call of `simulate-research-query` (called plainly it answers
 * the same tool error both ways), resource templates, subscriptions, completions and log messages.
 */

let t: TestGatehouse;
let everything: EverythingUpstream;
let curated: Curated;

beforeAll(async () => {
  [t, everything] = await Promise.all([startTestGatehouse('sqlite'), startEverything()]);
  curated = await curateWhole(t, { name: 'everything', url: everything.url }, 'everything');
}, 120_000);

afterAll(async () => {
  await curated?.close();
  await t?.close();
  await everything?.close();
});

describe('server-everything (Streamable HTTP) behind a virtual server', () => {
  it('answers every call that works directly with the same result', async () => {
    const report = await compareEverything(curated, {
      args: { 'tool:trigger-long-running-operation': { duration: 1, steps: 2 }, 'prompt:resource-prompt': { resourceType: 'Text', resourceId: '1' } },
      exceptions: {
        'tool:toggle-simulated-logging': {
          kind: 'differs',
          reason: 'its text names the upstream session, which is the gateway’s pooled session, not the direct client’s',
        },
        'tool:toggle-subscriber-updates': { kind: 'differs', reason: 'its text names the upstream session (see toggle-simulated-logging)' },
      },
    });
    expect(report.unexpected).toEqual([]);
    expect(report.failDirectly).toEqual({});
    // Every tool it offers a client without sampling, elicitation or roots, its prompts and resources.
    expect(report.same.filter((k) => k.startsWith('tool:')).length).toBeGreaterThanOrEqual(11);
    expect(report.same.filter((k) => k.startsWith('prompt:'))).toHaveLength(4);
    // Prompts come in the upstream's order, not re-sorted.
    const names = async (c: typeof curated.direct) => (await c.listPrompts()).prompts.map((p) => p.name);
    expect(await names(curated.virtual)).toEqual(await names(curated.direct));
    expect(await names(curated.direct)).not.toEqual([...(await names(curated.direct))].sort());
  }, 120_000);

  it('answers at /mcp/v/{slug}/mcp too (a URL clients such as the Inspector recognise), with the same token and resource', async () => {
    const alias = `${curated.resource}/mcp`;
    const unauthenticated = await fetch(alias, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    const challenge = unauthenticated.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBeDefined();
    expect(((await (await fetch(metadataUrl!)).json()) as { resource: string }).resource).toBe(curated.resource);
    // The path-suffixed metadata of the alias names the same resource (a prefix of the alias).
    const suffixed = `${t.gh.urls.proxy}/.well-known/oauth-protected-resource/mcp/v/${curated.slug}/mcp`;
    expect(((await (await fetch(suffixed)).json()) as { resource: string }).resource).toBe(curated.resource);
    const sa = await t.serviceAccount('viewer');
    const token = await clientCredentialsToken({ issuer: t.gh.urls.issuer, ...sa, resource: curated.resource });
    const client = new Client({ name: 'alias', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(alias), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      const [viaAlias, viaSlug] = await Promise.all([client.listTools(), curated.virtual.listTools()]);
      expect(viaAlias.tools.map((tool) => tool.name)).toEqual(viaSlug.tools.map((tool) => tool.name));
      expect(await client.callTool({ name: 'echo', arguments: { message: 'alias' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: alias' }] });
    } finally {
      await client.close();
    }
  }, 60_000);

  it('heals after the upstream restarts mid-session: the next call succeeds, for its caller and a new one', async () => {
    const report = await callAcrossRestart(curated, { name: 'everything', ...everything }, 'echo', { message: 'again' });
    expect(report).toEqual({ same: ['ok'], fresh: ['ok'] });
  }, 120_000);

  it("shows the upstream's health in mcp-servers reads and /metrics: last success, re-opened session, tools, then its last error", async () => {
    const health = async () => (await call(t.api, t.adminToken, 'GET', `/mcp-servers/${curated.serverId}`)).body.health;
    await expect.poll(health, { timeout: 5_000 }).toMatchObject({ session: 'open', lastReinitializedAt: expect.any(String), restarts: null });
    const seen = await health();
    expect(Date.parse(seen.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.toolsCount).toBeGreaterThanOrEqual(11);
    const metrics = await (await fetch(`${t.gh.urls.admin}/metrics`)).text();
    expect(metrics).toMatch(/gatehouse_mcp_upstream_last_success_timestamp_seconds\{server="everything"\} \d+/);
    expect(metrics).toMatch(/gatehouse_mcp_upstream_tools\{server="everything"\} \d+/);
    expect(metrics).toContain('gatehouse_mcp_upstream_session{server="everything",state="open"} 1');
    await everything.close();
    const down = await curated.virtual.callTool({ name: 'echo', arguments: { message: 'anyone?' } });
    expect(down.isError).toBe(true);
    await expect
      .poll(health, { timeout: 5_000 })
      .toMatchObject({ lastError: { at: expect.any(String), message: expect.stringContaining('could not be reached') } });
    expect(await (await fetch(`${t.gh.urls.admin}/metrics`)).text()).toMatch(/gatehouse_mcp_upstream_last_error_timestamp_seconds\{server="everything"\} \d+/);
  }, 60_000);
});
