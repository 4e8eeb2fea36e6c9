import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { dialects } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { loginWithPassword } from '../support/oauth.js';

/**
 * A tool that runs and answers `isError: true` failed, even though the call was answered: the
 * request log records it with GATEHOUSE_UPSTREAM_TOOL_ERROR and MCP analytics counts it as a
 * failure at the upstream. The request-log list filters by tool, MCP method and user, and both
 * APIs name the person who called. A person signed in with the SDK v2 client calls a real upstream.
 */

const FAILING = 'create-quarterly-revenue-report';
const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };

for (const dialect of await dialects()) {
  describe(`a tool's isError result in analytics and the request log (${dialect})`, () => {
    let t: TestGatehouse;
    let upstream: TestUpstream;
    let client: Client;
    let dana: { id: string };

    beforeAll(async () => {
      [t, upstream] = await Promise.all([
        startTestGatehouse(dialect),
        startStatefulUpstream('reports', (s) => {
          s.registerTool('lookup', { description: 'Looks a word up', inputSchema: z.object({ word: z.string() }) }, async ({ word }) => ({
            content: [{ type: 'text', text: `${word}: found` }],
          }));
          s.registerTool(FAILING, { description: 'Builds the report', inputSchema: z.object({ quarter: z.string() }) }, async ({ quarter }) => ({
            content: [{ type: 'text', text: `no ledger for ${quarter}` }],
            isError: true,
          }));
        }),
      ]);
      const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'reports', url: upstream.url });
      expect(server.status, JSON.stringify(server.body)).toBe(201);
      const id = server.body.id as string;
      const virtual = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
        slug: 'desk',
        name: 'Desk',
        upstreamIds: [id],
        tools: [
          { upstreamId: id, name: 'lookup' },
          { upstreamId: id, name: FAILING },
        ],
        published: true,
      });
      expect(virtual.status, JSON.stringify(virtual.body)).toBe(201);
      dana = (await t.gh.executor.execute('users.create', { username: 'dana', password: 'dana-password-0123', role: 'viewer' }, local)) as { id: string };
      const url = `${t.gh.urls.proxy}/mcp/v/desk`;
      const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, username: 'dana', password: 'dana-password-0123', resource: url });
      client = new Client({ name: 'analytics-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    }, 120_000);

    afterAll(async () => {
      await client?.close().catch(() => undefined);
      await t?.close();
      await upstream?.close();
    });

    it('counts the isError call as failed at the upstream, and names the person', async () => {
      await client.listTools();
      expect((await client.callTool({ name: 'lookup', arguments: { word: 'ledger' } })).isError ?? false).toBe(false);
      expect((await client.callTool({ name: 'lookup', arguments: { word: 'quarter' } })).isError ?? false).toBe(false);
      // The caller gets the upstream's result as it was.
      const failed = await client.callTool({ name: FAILING, arguments: { quarter: 'Q3' } });
      expect(failed.isError).toBe(true);
      expect(failed.content).toEqual([{ type: 'text', text: 'no ledger for Q3' }]);

      let byTool: Record<string, any> = {};
      for (let i = 0; i < 100 && byTool.totals?.calls !== 3; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        byTool = (await call(t.api, t.adminToken, 'GET', '/mcp-analytics?server=desk&groupBy=tool')).body;
      }
      expect(byTool.totals).toMatchObject({ calls: 3, succeeded: 2, failures: { gateway: 0, auth: 0, upstream: 1 } });
      expect(byTool.totals.successRate).toBeCloseTo(2 / 3);
      expect(byTool.groups).toEqual([
        expect.objectContaining({ tool: 'lookup', calls: 2, succeeded: 2, successRate: 1 }),
        expect.objectContaining({ tool: FAILING, calls: 1, succeeded: 0, successRate: 0, failures: { gateway: 0, auth: 0, upstream: 1 } }),
      ]);
      const byUser = (await call(t.api, t.adminToken, 'GET', '/mcp-analytics?server=desk&groupBy=user,agent')).body;
      expect(byUser.groups).toEqual([
        expect.objectContaining({ user: `user:${dana.id}`, userName: 'dana', agent: null, agentName: null, calls: 3, succeeded: 2 }),
      ]);
    });

    it('lists the calls with their MCP method, tool and person, and filters by each', async () => {
      const list = async (query: string) => {
        const res = await call(t.api, t.adminToken, 'GET', `/request-logs?channel=federation&${query}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.items as Array<Record<string, any>>;
      };
      const failing = await list(`mcpTool=${FAILING}`);
      expect(failing).toEqual([
        expect.objectContaining({
          path: '/mcp/v/desk',
          mcpMethod: 'tools/call',
          mcpTool: `${FAILING} → reports/${FAILING}`,
          status: 200,
          errorCode: 'GATEHOUSE_UPSTREAM_TOOL_ERROR',
          subject: `user:${dana.id}`,
          subjectName: 'dana',
          actor: null,
          actorName: null,
        }),
      ]);
      const lookups = await list('mcpTool=lookup');
      expect(lookups.map((l) => [l.mcpTool, l.errorCode])).toEqual([
        ['lookup → reports/lookup', null],
        ['lookup → reports/lookup', null],
      ]);
      // The tool by its whole name, not a part of it.
      expect(await list('mcpTool=look')).toEqual([]);
      expect(await list(`mcpTool=${FAILING.slice(0, 12)}`)).toEqual([]);
      // By person and MCP method: dana's tools/list.
      const listed = await list(`subject=${encodeURIComponent(`user:${dana.id}`)}&mcpMethod=${encodeURIComponent('tools/list')}`);
      expect(listed).toEqual([expect.objectContaining({ mcpMethod: 'tools/list', mcpTool: null, subjectName: 'dana' })]);
      expect(await list(`subject=${encodeURIComponent('user:usr_nobody')}`)).toEqual([]);
      // One entry read alone names the person too.
      const one = await call(t.api, t.adminToken, 'GET', `/request-logs/${failing[0]!.id}`);
      expect(one.body).toMatchObject({ subjectName: 'dana', errorCode: 'GATEHOUSE_UPSTREAM_TOOL_ERROR' });
      // The export takes the same filter.
      const exported = await fetch(`${t.api}/request-logs/export?format=ndjson&mcpTool=lookup`, { headers: { authorization: `Bearer ${t.adminToken}` } });
      expect((await exported.text()).trim().split('\n')).toHaveLength(2);
      expect((await call(t.api, t.adminToken, 'GET', `/request-logs?mcpTool=${'x'.repeat(301)}`)).status).toBe(400);
    });
  });
}
