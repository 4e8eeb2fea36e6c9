import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/**
 * Guardrail templates attached in one change (`workflows.templates.attach`) to a virtual MCP
 * server, an endpoint and a proxy, then judged by real calls: an SDK client against a real SDK
 * upstream, and REST calls through the proxy.
 */

let g: WorkflowGateway;
let upstream: TestUpstream;
let agent: { clientId: string; clientSecret: string };
let vmcpId: string;
const upstreamSaw: string[] = [];

beforeAll(async () => {
  g = await startWorkflowGateway();
  upstream = await startStatefulUpstream('crm', (s) => {
    s.registerTool(
      'lookup_customer',
      { description: 'A customer record', inputSchema: z.object({ id: z.string() }), annotations: { readOnlyHint: true } },
      async ({ id }) => ({ content: [{ type: 'text', text: `customer ${id}: Ada Lovelace, ada.lovelace@example.com` }] }),
    );
    s.registerTool(
      'delete_customer',
      { description: 'Deletes a customer', inputSchema: z.object({ id: z.string() }), annotations: { destructiveHint: true } },
      async ({ id }) => {
        upstreamSaw.push(`delete ${id}`);
        return { content: [{ type: 'text', text: `deleted ${id}` }] };
      },
    );
    s.registerTool('rename_customer', { description: 'Renames a customer', inputSchema: z.object({ id: z.string() }) }, async ({ id }) => {
      upstreamSaw.push(`rename ${id}`);
      return { content: [{ type: 'text', text: `renamed ${id}` }] };
    });
    s.registerTool(
      'add_note',
      { description: 'Adds a note', inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: false, destructiveHint: false } },
      async ({ text }) => {
        upstreamSaw.push(`note ${text}`);
        return { content: [{ type: 'text', text: 'noted' }] };
      },
    );
  });
  const server = await g.admin('POST', '/mcp-servers', { name: 'crm', url: upstream.url });
  agent = await g.t.serviceAccount('viewer');
  const vmcp = await g.admin('POST', '/virtual-mcps', {
    slug: 'crm',
    name: 'CRM',
    upstreamIds: [server.id],
    tools: ['lookup_customer', 'delete_customer', 'rename_customer', 'add_note'].map((name) => ({ upstreamId: server.id, name })),
    access: { serviceAccounts: [agent.clientId] },
    published: true,
  });
  vmcpId = vmcp.id;
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await g?.close();
});

async function crmClient(): Promise<Client> {
  const url = `${g.t.gh.urls.proxy}/mcp/v/crm`;
  const token = await clientCredentialsToken({ issuer: g.t.gh.urls.issuer, ...agent, resource: url });
  const client = new Client({ name: 'guardrail-templates-test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

const text = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('attaching a guardrail template to a virtual MCP server', () => {
  it('creates the workflow and binds it in one change, each step audited; the SDK client reads the e-mail redacted', async () => {
    const client = await crmClient();
    try {
      expect(text(await client.callTool({ name: 'lookup_customer', arguments: { id: '7' } }))).toContain('ada.lovelace@example.com');
      const out = await g.admin('POST', '/workflows/templates/pii-redaction/attach', { virtualMcpId: vmcpId });
      expect(out.attachedTo).toEqual({ type: 'virtual-mcp', id: vmcpId, name: 'CRM' });
      expect(out.workflow).toMatchObject({ name: 'pii-redaction (CRM)', version: 1 });
      expect((await g.admin('GET', `/virtual-mcps/${vmcpId}`)).workflows).toEqual([{ workflowId: out.workflow.id }]);
      const actions = (await g.admin('GET', '/audit-logs?limit=5')).items.map((a: { action: string }) => a.action);
      expect(actions.slice(0, 2)).toEqual(['virtual-mcps.update', 'workflows.templates.instantiate']);

      const result = await client.callTool({ name: 'lookup_customer', arguments: { id: '7' } });
      expect(text(result)).toBe('customer 7: Ada Lovelace, [EMAIL]');
    } finally {
      await client.close();
    }
  });

  it('holds destructive tools for approval (annotated so, or not annotated at all), and lets read-only and non-destructive ones through', async () => {
    // A call runs one workflow: a second for every call would never run, so it is refused; for some tools it runs over the first.
    const shadowed = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/destructive-approval/attach', { virtualMcpId: vmcpId });
    expect(shadowed.status).toBe(409);
    expect(shadowed.body.error.code).toBe('GATEHOUSE_INVALID_STATE');
    const out = await g.admin('POST', '/workflows/templates/destructive-approval/attach', {
      virtualMcpId: vmcpId,
      tools: ['delete_customer', 'rename_customer', 'add_note'],
      params: { reason: 'CRM deletes are reviewed' },
    });
    expect((await g.admin('GET', `/virtual-mcps/${vmcpId}`)).workflows.map((w: { workflowId: string }) => w.workflowId)).toContain(out.workflow.id);
    const client = await crmClient();
    try {
      for (const name of ['delete_customer', 'rename_customer']) {
        const held = await client.callTool({ name, arguments: { id: '9' } });
        expect(held.isError, name).toBe(true);
        expect((held.structuredContent as { error: { code: string; approvalId: string } }).error).toMatchObject({
          code: 'GATEHOUSE_APPROVAL_REQUIRED',
          approvalId: expect.stringMatching(/^apr_/),
        });
        expect(text(held)).toContain('CRM deletes are reviewed');
      }
      expect(text(await client.callTool({ name: 'add_note', arguments: { text: 'called' } }))).toBe('noted');
      expect(text(await client.callTool({ name: 'lookup_customer', arguments: { id: '8' } }))).toBe('customer 8: Ada Lovelace, [EMAIL]');
      expect(upstreamSaw).toEqual(['note called']);
    } finally {
      await client.close();
    }
  });

  it('names a second workflow from the same template apart, and refuses an unknown template or target without writing', async () => {
    const again = await g.admin('POST', '/workflows/templates/pii-redaction/attach', { virtualMcpId: vmcpId, tools: ['lookup_customer'] });
    expect(again.workflow.name).toBe('pii-redaction (CRM) 2');
    expect((await g.admin('GET', `/virtual-mcps/${vmcpId}`)).workflows.at(-1)).toEqual({ workflowId: again.workflow.id, tools: ['lookup_customer'] });
    // A name taken: nothing is written, the proxy keeps running no workflow.
    const taken = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/pii-redaction/attach', { proxyId: g.proxyId, name: 'pii-redaction (CRM)' });
    expect(taken.body.error.code).toBe('GATEHOUSE_CONFLICT');
    expect((await g.admin('GET', `/proxies/${g.proxyId}`)).workflowId).toBeNull();
    const before = (await g.admin('GET', '/workflows?limit=500')).items.length;
    const unknown = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/nope/attach', { virtualMcpId: vmcpId });
    expect(unknown.status).toBe(404);
    const missing = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/pii-redaction/attach', { virtualMcpId: 'vmcp_missing' });
    expect(missing.status).toBe(404);
    const two = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/pii-redaction/attach', { virtualMcpId: vmcpId, proxyId: g.proxyId });
    expect(two.status).toBe(400);
    expect((await g.admin('GET', '/workflows?limit=500')).items.length).toBe(before);
  });

  it('is refused to a viewer, whose role cannot write workflows', async () => {
    const viewer = await g.t.serviceAccount('viewer');
    const res = await call(g.t.api, viewer.token, 'POST', '/workflows/templates/pii-redaction/attach', { proxyId: g.proxyId });
    expect(res.status).toBe(403);
    expect((await g.admin('GET', `/proxies/${g.proxyId}`)).workflowId).toBeNull();
  });
});

describe('attaching a guardrail template to REST traffic', () => {
  it('redacts e-mail addresses on an endpoint both ways: the upstream and the caller see the label', async () => {
    const endpoints = await g.admin('GET', `/proxies/${g.proxyId}/endpoints?limit=100`);
    const echo = endpoints.items.find((e: { method: string; path: string }) => e.method === 'POST' && e.path === '/echo');
    const out = await g.admin('POST', '/workflows/templates/pii-redaction/attach', { endpointId: echo.id });
    expect(out.attachedTo).toEqual({ type: 'endpoint', id: echo.id, name: 'POST /echo' });
    const res = await g.send('POST', '/echo', { body: JSON.stringify({ note: 'write to grace@example.org' }) });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('grace@example.org');
    expect(JSON.parse(res.body.body)).toEqual({ note: 'write to [EMAIL]' });
  });

  it('holds the methods asked for on a proxy, and refuses to replace the workflow a proxy already runs', async () => {
    const out = await g.admin('POST', '/workflows/templates/destructive-approval/attach', { proxyId: g.proxyId, params: { alsoMethods: ['POST'] } });
    expect((await g.admin('GET', `/proxies/${g.proxyId}`)).workflowId).toBe(out.workflow.id);
    const held = await g.send('POST', '/items', { body: JSON.stringify({ name: 'x', qty: 1 }) });
    expect(held.status).toBe(403);
    expect(held.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    expect((await g.send('GET', '/items/1')).status).toBe(200);
    const before = (await g.admin('GET', '/workflows?limit=500')).items.length;
    const again = await call(g.t.api, g.t.adminToken, 'POST', '/workflows/templates/prompt-injection-block/attach', { proxyId: g.proxyId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('GATEHOUSE_INVALID_STATE');
    expect((await g.admin('GET', '/workflows?limit=500')).items.length).toBe(before);
  });
});
