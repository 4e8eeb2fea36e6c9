import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/core/index.js';
import { postgresAvailable } from '../support/databases.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { tokenRequest } from '../support/oauth.js';

// A declarative apply from the Management MCP runs as a job (issue 56): an assistant whose tool call
// times out must not leave the operator unsure whether the change happened. Run on SQLite and on
// PostgreSQL, where progress is visible while the apply runs.
const pg = await postgresAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && !pg)(`Management MCP: applies as jobs (${dialect})`, () => {
    let t: TestGatehouse;
    let client: Client;
    let adminApiToken: string;

    const tool = async (name: string, args: Record<string, unknown>): Promise<{ isError: boolean; data: any }> => {
      const res = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ type: string; text: string }> };
      return { isError: res.isError === true, data: JSON.parse(res.content[0]!.text) };
    };

    beforeAll(async () => {
      t = await startTestGatehouse(dialect);
      const mcpUrl = `${t.gh.urls.admin}/management/mcp`;
      const sa = await t.serviceAccount('modifier');
      adminApiToken = sa.token;
      const { status, body } = await tokenRequest(
        t.gh.urls.issuer,
        { grant_type: 'client_credentials', resource: mcpUrl, scope: 'gatehouse:management' },
        { clientId: sa.clientId, clientSecret: sa.clientSecret },
      );
      expect(status).toBe(200);
      client = new Client({ name: 'ops-assistant', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: { token: async () => body.access_token as string } }));
    });
    afterAll(async () => {
      await client?.close();
      await t?.gh.executor.jobs.settle();
      await t?.close();
    });

    it('lists wait_seconds on manage_config, and marks apply as a job', async () => {
      const { tools } = await client.listTools();
      const config = tools.find((x) => x.name === 'manage_config')!;
      expect(Object.keys((config.inputSchema as { properties: object }).properties)).toContain('wait_seconds');
      expect(config.description).toMatch(/- apply \(write, destructive, job\)/);
      // Tools without a job take no wait_seconds, and refuse it.
      const policies = tools.find((x) => x.name === 'manage_policies')!;
      expect(Object.keys((policies.inputSchema as { properties: object }).properties)).not.toContain('wait_seconds');
      const refused = await tool('manage_policies', { action: 'list', wait_seconds: 1 });
      expect(refused.isError).toBe(true);
      expect(refused.data.error.code).toBe('GATEHOUSE_MCP_INVALID_ARGUMENTS');
    });

    it('answers a quick apply directly, as before, and still stores it as the caller’s job', async () => {
      const done = await tool('manage_config', { action: 'apply', params: { document: { policies: [{ name: 'mcp-small' }] } } });
      expect(done.isError).toBe(false);
      expect(done.data.summary).toEqual({ create: 1, update: 0, delete: 0 });
      const listed = await tool('manage_jobs', { action: 'list' });
      const job = (listed.data.items as Job[])[0]!;
      expect(job).toMatchObject({ operation: 'config.apply', state: 'succeeded', channel: 'mcp', itemsApplied: 1 });
      // A failed apply is answered with the error the direct call gives.
      const bad = await tool('manage_config', { action: 'apply', params: { document: { clients: [{ name: 'c', policy: 'no-such-policy' }] } } });
      expect(bad.isError).toBe(true);
      expect(bad.data.error.code).toMatch(/^GATEHOUSE_/);
      // A dry run is never a job.
      const before = ((await tool('manage_jobs', { action: 'list' })).data.items as Job[]).length;
      const dry = await tool('manage_config', { action: 'apply', dry_run: true, params: { document: { policies: [{ name: 'mcp-dry' }] } } });
      expect(dry.data.dryRun).toBe(true);
      expect(((await tool('manage_jobs', { action: 'list' })).data.items as Job[]).length).toBe(before);
    });

    it('answers a long apply with its job at once (wait_seconds 0); manage_jobs get shows it rising to its result and audit', async () => {
      const items = 600;
      const policies = Array.from({ length: items }, (_, i) => ({ name: `mcp-job-${i}`, rateLimits: [{ window: 'minute', limit: 10 + i }] }));
      const started = await tool('manage_config', { action: 'apply', wait_seconds: 0, params: { document: { policies } } });
      expect(started.isError).toBe(false);
      const job = started.data.job as Job;
      expect(job).toMatchObject({ operation: 'config.apply', channel: 'mcp' });
      expect(['queued', 'running']).toContain(job.state);
      expect(started.data.next).toContain(`manage_jobs {"action":"get","params":{"id":"${job.id}","brief":true}}`);

      const seen: Job[] = [];
      let now = job;
      while (now.state === 'queued' || now.state === 'running') {
        await sleep(100);
        const got = await tool('manage_jobs', { action: 'get', params: { id: job.id, brief: true } });
        expect(got.isError).toBe(false);
        now = got.data as Job;
        seen.push(now);
      }
      // Progress only ever rises (that it shows while the apply runs is apply-job.test.ts's: this apply may end within one progress write).
      const counts = seen.filter((j) => j.phase === 'applying').map((j) => j.itemsApplied);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(now).toMatchObject({ state: 'succeeded', itemsPlanned: items, itemsApplied: items, audit: { entries: items } });
      // brief: the result's summary, not its list of every change (which would pass a tool result's bound).
      expect(now.result).toEqual({ summary: { create: items, update: 0, delete: 0 } });
      // The same job through the admin API, and its audit entries: the caller's, on channel mcp, under its request id.
      const viaApi = await call(t.api, adminApiToken, 'GET', `/jobs/${job.id}`);
      expect(viaApi.body).toMatchObject({ state: 'succeeded', channel: 'mcp' });
      expect(viaApi.body.result.changes).toHaveLength(items);
      expect((await call(t.api, adminApiToken, 'GET', `/jobs/${job.id}?brief=true`)).body.result).toEqual(now.result);
      const audit = await call(t.api, t.adminToken, 'GET', `/audit-logs?action=policies.create&limit=1`);
      expect(audit.body.items[0]).toMatchObject({ seq: now.audit!.lastSeq, requestId: now.requestId, channel: 'mcp', outcome: 'success' });
      expect(now.audit!.lastSeq! - now.audit!.firstSeq! + 1).toBe(items);
    }, 120_000);
  });
}
