import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/index.js';
import { buildToolCatalog } from '../../src/mcp/management/tool-catalog.js';
import { ToolSets } from '../../src/mcp/management/tool-sets.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';

/** The Management MCP reads a caller's grants once per request and serves the tool set of its role, built once per role. */

let t: TestGatehouse;
let mcpUrl: string;

async function mcpClientFor(clientId: string, clientSecret: string): Promise<Client> {
  const { status, body } = await tokenRequest(
    t.gh.urls.issuer,
    { grant_type: 'client_credentials', resource: mcpUrl, scope: 'gatehouse:management' },
    { clientId, clientSecret },
  );
  expect(status).toBe(200);
  const client = new Client({ name: 'tool-set-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: { token: async () => body.access_token as string } }));
  return client;
}

function actionsOf(tools: Array<{ name: string; inputSchema: any }>, name: string): string[] {
  return tools.find((tool) => tool.name === name)?.inputSchema.properties.action.enum ?? [];
}

beforeAll(async () => {
  t = await startTestGatehouse('sqlite');
  mcpUrl = `${t.gh.urls.admin}/management/mcp`;
});
afterAll(async () => t?.close());

describe('Management MCP tool sets', () => {
  it('builds one tool set per role: callers with the same grants share it, other grants get their own', async () => {
    const sets = new ToolSets(buildToolCatalog(t.gh.executor.registry), t.gh.executor);
    const principal = (subject: string): Principal => ({ subject, name: subject, kind: 'service', groups: [] });
    const a = await t.gh.executor.grantsFor({ principal: principal('a'), channel: 'mcp', requestId: 'x', localAdmin: true });
    const b = await t.gh.executor.grantsFor({ principal: principal('b'), channel: 'mcp', requestId: 'y', localAdmin: true });
    const nobody = await t.gh.executor.grantsFor({ principal: principal('nobody'), channel: 'mcp', requestId: 'z' });
    expect(sets.for(a)).toBe(sets.for(b));
    expect(sets.for(nobody)).not.toBe(sets.for(a));
    expect(sets.for(nobody).tools).toEqual([]);
    expect(sets.for(a).tools.map((tool) => tool.name)).toContain('manage_access');
  });

  it('reflects a changed role binding on the caller’s next request', async () => {
    const sa = await t.serviceAccount('viewer');
    const client = await mcpClientFor(sa.clientId, sa.clientSecret);
    try {
      const before = (await client.listTools()).tools;
      expect(actionsOf(before, 'manage_policies')).toEqual(['list', 'get']);
      const bindings = await call(t.api, t.adminToken, 'GET', '/role-bindings?limit=200');
      const binding = bindings.body.items.find((b: any) => b.subject === sa.clientId);
      expect(binding).toBeDefined();
      expect((await call(t.api, t.adminToken, 'PATCH', `/role-bindings/${binding.id}`, { role: 'modifier' })).status).toBe(200);
      const after = (await client.listTools()).tools;
      expect(actionsOf(after, 'manage_policies')).toEqual(['list', 'get', 'create', 'update', 'delete']);
      const created = (await client.callTool({ name: 'manage_policies', arguments: { action: 'create', params: { name: 'by-new-role' } } })) as any;
      expect(created.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it('answers malformed tool arguments with a precise tool error, and audits a call outside the role', async () => {
    const sa = await t.serviceAccount('viewer');
    const client = await mcpClientFor(sa.clientId, sa.clientSecret);
    try {
      const bad = (await client.callTool({ name: 'manage_policies', arguments: { action: 'explode' } })) as any;
      expect(bad.isError).toBe(true);
      expect(JSON.parse(bad.content[0].text).error).toMatchObject({ code: 'GATEHOUSE_MCP_INVALID_ARGUMENTS', details: [{ path: 'action' }] });
      const notObject = (await client.callTool({ name: 'manage_policies', arguments: { action: 'list', params: 'all' } })) as any;
      expect(JSON.parse(notObject.content[0].text).error).toMatchObject({ code: 'GATEHOUSE_MCP_INVALID_ARGUMENTS', details: [{ path: 'params' }] });
      const forced = (await client.callTool({ name: 'manage_policies', arguments: { action: 'create', params: { name: 'nope' } } })) as any;
      expect(JSON.parse(forced.content[0].text).error.code).toBe('GATEHOUSE_FORBIDDEN');
      const audit = await call(t.api, t.adminToken, 'GET', `/audit-logs?actor=${sa.clientId}&outcome=denied`);
      expect(audit.body.items.some((e: any) => e.action === 'policies.create' && e.channel === 'mcp')).toBe(true);
    } finally {
      await client.close();
    }
  });
});
