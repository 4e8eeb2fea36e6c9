import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { clientCredentialsToken } from '../support/oauth.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/**
 * An approval covers the exact call it was opened for — caller, method, concrete path, query, body
 * or MCP arguments, server and tool — and the approver reads all of that call. Real gateway, real
 * echo upstream, fetch for REST and the MCP SDK client for a virtual server.
 */

const PAYMENTS_API = {
  openapi: '3.1.0',
  info: { title: 'Payments', version: '1' },
  paths: {
    '/accounts/{id}': {
      delete: {
        operationId: 'closeAccount',
        summary: 'Close an account',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'force', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '204': { description: 'closed' } },
      },
      post: {
        operationId: 'noteAccount',
        summary: 'Note on an account',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

let g: WorkflowGateway;
let mcpUpstream: TestUpstream;
let approver: { token: string; clientId: string; clientSecret: string };
const toolCalls: string[] = [];

beforeAll(async () => {
  // Bodies past the 1 MiB an approval stores must reach the policy, so the gateway takes more.
  g = await startWorkflowGateway({ bodyLimitBytes: 4_194_304 });
  const pay = await g.admin('POST', '/collections', { slug: 'pay', name: 'Payments', published: true });
  const imported = await g.admin('POST', `/collections/${pay.id}/import-openapi`, {
    document: PAYMENTS_API,
    basePath: '/payments/v1',
    upstreams: [g.upstream.url],
  });
  await g.admin('PATCH', `/clients/${g.clientId}`, { collectionIds: [g.collectionId, pay.id] });
  const wf = await g.admin('POST', '/workflows', {
    name: 'reviewed-payments',
    request: [{ type: 'tool_policy', id: 'review', rules: [{ when: 'true', decision: 'approval', reason: 'payments are reviewed' }], approvalTtlSeconds: 120 }],
    bodyLimitBytes: 4_194_304,
  });
  await g.admin('PATCH', `/proxies/${imported.proxy.id}`, { workflowId: wf.id, workflowVersion: null });
  approver = await g.t.serviceAccount('modifier', { resourceTypes: ['approvals'] });

  mcpUpstream = await startStatefulUpstream('ledger', (s) => {
    s.registerTool('refund', { description: 'Refund a payment', inputSchema: z.object({ payment: z.string(), cents: z.number() }) }, async (a) => {
      toolCalls.push(`refund ${a.payment} ${a.cents}`);
      return { content: [{ type: 'text', text: `refunded ${a.payment}` }] };
    });
  });
  const server = await g.admin('POST', '/mcp-servers', { name: 'ledger', url: mcpUpstream.url });
  await g.admin('POST', '/virtual-mcps', {
    slug: 'ledger',
    name: 'Ledger',
    upstreamIds: [server.id],
    tools: [{ upstreamId: server.id, name: 'refund' }],
    access: { serviceAccounts: [approver.clientId] },
    workflows: [{ workflowId: wf.id }],
    published: true,
  });
}, 60_000);

afterAll(async () => {
  await mcpUpstream?.close();
  await g?.close();
});

async function send(method: string, path: string, body?: unknown) {
  const res = await fetch(`${g.t.gh.urls.proxy}/payments/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${g.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const approvalOf = async (id: string) => (await call(g.t.api, approver.token, 'GET', `/approvals/${id}`)).body;

/** Approves as the approver (the caller may not), then retries until the decision reaches the data plane. */
async function approveAndRetry(id: string, retry: () => Promise<{ status: number; body: any }>) {
  expect((await call(g.t.api, g.t.adminToken, 'POST', `/approvals/${id}/approve`, { reason: 'checked' })).status).toBe(200);
  for (let i = 0; i < 50; i++) {
    const res = await retry();
    if (res.status !== 403 || res.body.error?.details?.approvalId !== id) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`approval ${id} never reached the data plane`);
}

const heldId = (res: { status: number; body: any }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
  return res.body.error.details.approvalId as string;
};

describe('REST approvals are bound to the concrete call', () => {
  it('approving DELETE /accounts/1 lets that call through once, never /accounts/999, another query or another body', async () => {
    const id = heldId(await send('DELETE', '/accounts/1?force=yes&reason=close'));
    // The approver sees the concrete path and the template beside it.
    const shown = await approvalOf(id);
    expect(shown).toMatchObject({
      method: 'DELETE',
      path: '/payments/v1/accounts/1',
      query: '?force=yes&reason=close',
      target: expect.stringContaining('DELETE /payments/v1/accounts/{id}'),
      bodyBytes: 0,
      mcp: null,
      callerName: 'Workflow partner',
    });

    // The same call passes, once (its query byte for byte: reordered, it is another call — approval-exact-call.test.ts).
    const before = g.upstream.hits.get('/accounts/1') ?? 0;
    const passed = await approveAndRetry(id, () => send('DELETE', '/accounts/1?force=yes&reason=close'));
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ method: 'DELETE', path: '/accounts/1' });
    expect(g.upstream.hits.get('/accounts/1')).toBe(before + 1);
    expect((await approvalOf(id)).status).toBe('used');

    // Another account, another query, or the same call again: each held under a new approval, the upstream never called.
    const other = heldId(await send('DELETE', '/accounts/999?force=yes&reason=close'));
    expect(other).not.toBe(id);
    expect((await approvalOf(other)).path).toBe('/payments/v1/accounts/999');
    const query = heldId(await send('DELETE', '/accounts/1?force=no&reason=close'));
    expect([id, other]).not.toContain(query);
    const again = heldId(await send('DELETE', '/accounts/1?force=yes&reason=close'));
    expect([id, other, query]).not.toContain(again);
    expect(g.upstream.hits.get('/accounts/999') ?? 0).toBe(0);
    expect(g.upstream.hits.get('/accounts/1')).toBe(before + 1);
  });

  it('an approved body does not cover another body, and JSON key order does not matter', async () => {
    const id = heldId(await send('POST', '/accounts/7', { note: 'closing', amount: 10 }));
    const shown = await approvalOf(id);
    expect(shown.call).toBe(JSON.stringify({ note: 'closing', amount: 10 }, null, 2));
    expect(shown.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(heldId(await send('POST', '/accounts/7', { note: 'closing', amount: 10_000 }))).not.toBe(id);
    const passed = await approveAndRetry(id, () => send('POST', '/accounts/7', '{"amount":10,"note":"closing"}'));
    expect(passed.status).toBe(200);
    expect(JSON.parse(passed.body.body)).toEqual({ amount: 10, note: 'closing' });
  });

  it('another caller is held even with the approved call', async () => {
    const id = heldId(await send('DELETE', '/accounts/42'));
    expect((await call(g.t.api, g.t.adminToken, 'POST', `/approvals/${id}/approve`, {})).status).toBe(200);
    const jwt = await g.jwt({ sub: 'mallory' });
    const res = await fetch(`${g.t.gh.urls.proxy}/payments/v1/accounts/42`, { method: 'DELETE', headers: { authorization: `Bearer ${jwt}` } });
    const body = (await res.json()) as any;
    expect(res.status).toBe(403);
    expect(body.error.details.approvalId).not.toBe(id);
    expect(g.upstream.hits.get('/accounts/42') ?? 0).toBe(0);
  });

  it('a call larger than 4 KiB is shown in full and downloadable, secrets redacted; one past 1 MiB is refused', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => ({ line: i, text: `entry number ${i} of the statement` }));
    const id = heldId(await send('POST', '/accounts/8', { lines, apiKey: 'sk-live-abcdef' }));
    const shown = await approvalOf(id);
    expect(shown.callBytes).toBeGreaterThan(4_096);
    expect(shown.callShownBytes).toBe(shown.callBytes);
    expect(JSON.parse(shown.call)).toEqual({ lines, apiKey: '[REDACTED]' });
    const download = await call(g.t.api, approver.token, 'GET', `/approvals/${id}/call`);
    expect(download.status).toBe(200);
    expect(download.body).toMatchObject({ id, method: 'POST', path: '/payments/v1/accounts/8', call: shown.call });
    // Reading approvals is enough to download; without it, no.
    const outsider = await g.t.serviceAccount('modifier', { resourceTypes: ['clients'] });
    expect((await call(g.t.api, outsider.token, 'GET', `/approvals/${id}/call`)).status).toBe(403);

    const huge = await send('POST', '/accounts/9', { blob: 'x'.repeat(1_048_600) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('GATEHOUSE_APPROVAL_TOO_LARGE');
    expect(g.upstream.hits.get('/accounts/9') ?? 0).toBe(0);
  });
});

describe('MCP approvals are bound to the server, the tool and the arguments', () => {
  it('approving refund(p1, 500) passes that call once; other arguments are held', async () => {
    const url = `${g.t.gh.urls.proxy}/mcp/v/ledger`;
    const token = await clientCredentialsToken({ issuer: g.t.gh.urls.issuer, clientId: approver.clientId, clientSecret: approver.clientSecret, resource: url });
    const client = new Client({ name: 'binding-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      const held = async (args: Record<string, unknown>) => {
        const r = await client.callTool({ name: 'refund', arguments: args });
        expect(r.isError, JSON.stringify(r)).toBe(true);
        return (r.structuredContent as { error: { code: string; approvalId: string } }).error;
      };
      const first = await held({ payment: 'p1', cents: 500 });
      expect(first.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
      const shown = await call(g.t.api, g.t.adminToken, 'GET', `/approvals/${first.approvalId}`);
      // The arguments as the arguments, not wrapped in a query and a body.
      expect(JSON.parse(shown.body.call)).toEqual({ payment: 'p1', cents: 500 });
      expect(shown.body).toMatchObject({
        method: 'tools/call',
        mcp: { server: 'ledger', tool: 'refund' },
        // The upstream and its own tool name: the same name shown for another upstream's tool is another call.
        upstream: 'ledger/refund',
        callerName: expect.stringMatching(/^sa-modifier-/),
      });

      expect((await call(g.t.api, g.t.adminToken, 'POST', `/approvals/${first.approvalId}/approve`, {})).status).toBe(200);
      const other = await held({ payment: 'p1', cents: 50_000 });
      expect(other.approvalId).not.toBe(first.approvalId);
      let passed = await client.callTool({ name: 'refund', arguments: { cents: 500, payment: 'p1' } });
      for (let i = 0; i < 50 && passed.isError; i++) {
        await new Promise((r) => setTimeout(r, 100));
        passed = await client.callTool({ name: 'refund', arguments: { cents: 500, payment: 'p1' } });
      }
      expect(passed.isError, JSON.stringify(passed)).toBeFalsy();
      expect(toolCalls).toEqual(['refund p1 500']);
      expect((await held({ payment: 'p1', cents: 500 })).approvalId).not.toBe(first.approvalId);
    } finally {
      await client.close();
    }
  });
});
