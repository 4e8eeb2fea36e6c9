import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { loginWithPassword } from '../support/oauth.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();

// Guardrail templates as a person uses them: one click on a virtual server's page attaches PII
// redaction, and an official MCP SDK client then reads a real upstream's e-mail address redacted;
// "New workflow" offers the templates (guardrails first) beside a blank workflow.
describe.skipIf(!available)('Guardrail templates in the console, in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let upstream: TestUpstream;
  let browser: Browser;
  let page: Page;
  let vmcpId: string;
  const consoleErrors: string[] = [];

  async function shot(name: string) {
    const path = screenshotPath(name);
    if (path) await page.screenshot({ path, fullPage: true });
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    upstream = await startStatefulUpstream('crm', (s) => {
      s.registerTool(
        'lookup_customer',
        { description: 'A customer record', inputSchema: z.object({ id: z.string() }), annotations: { readOnlyHint: true } },
        async ({ id }) => ({ content: [{ type: 'text', text: `customer ${id}: Ada Lovelace <ada.lovelace@example.com>` }] }),
      );
    });
    t = await startTestGatehouse('sqlite');
    const server = await call(t.api, t.adminToken, 'POST', '/mcp-servers', { name: 'crm', url: upstream.url });
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const vmcp = await call(t.api, t.adminToken, 'POST', '/virtual-mcps', {
      slug: 'crm',
      name: 'CRM',
      upstreamIds: [server.body.id],
      tools: [{ upstreamId: server.body.id, name: 'lookup_customer' }],
      published: true,
    });
    expect(vmcp.status, JSON.stringify(vmcp.body)).toBe(201);
    vmcpId = vmcp.body.id;
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${t.gh.urls.admin}/console/mcp/virtual/${vmcpId}`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'CRM' }).waitFor();
  }, 90_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-guardrails-fail-${ctx.task.name.slice(0, 24).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await upstream?.close();
  });

  it('attaches PII redaction to a virtual MCP server in one click; an SDK client then reads the upstream’s e-mail redacted', async () => {
    const url = `${t.gh.urls.proxy}/mcp/v/crm`;
    const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: url });
    const client = new Client({ name: 'console-guardrails-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    const text = async () =>
      ((await client.callTool({ name: 'lookup_customer', arguments: { id: '7' } })).content as { text: string }[]).map((c) => c.text).join('');
    try {
      expect(await text()).toBe('customer 7: Ada Lovelace <ada.lovelace@example.com>');

      const panel = page.getByRole('region', { name: 'Attach a guardrail' });
      await panel.getByRole('button', { name: 'Attach Prompt-injection block' }).waitFor();
      await shot('guardrail-attach');
      await panel.getByRole('button', { name: 'Attach PII redaction' }).click();
      await page.getByTestId('announcement').getByText('Attached pii-redaction (CRM) to CRM.').waitFor();
      await page.getByRole('region', { name: 'Workflows its calls run' }).getByRole('link', { name: 'pii-redaction (CRM)' }).waitFor();
      // A call runs one workflow: with one on every call, the page says so instead of offering a second that would never run.
      await panel.getByText('Every call already runs a workflow').waitFor();
      expect(await panel.getByRole('button', { name: 'Attach PII redaction' }).isDisabled()).toBe(true);

      const saved = (await call(t.api, t.adminToken, 'GET', `/virtual-mcps/${vmcpId}`)).body;
      expect(saved.workflows).toHaveLength(1);
      const audit = (await call(t.api, t.adminToken, 'GET', '/audit-logs?action=virtual-mcps.update')).body.items;
      expect(audit[0]).toMatchObject({ channel: 'console', outcome: 'success', resourceId: vmcpId });

      // The change reaches the data plane through the snapshot; the next call runs the workflow.
      await expect.poll(text).toBe('customer 7: Ada Lovelace <[EMAIL]>');
    } finally {
      await client.close();
    }
  });

  it('offers the templates on "New workflow", guardrails first, and creates one with the parameters given', async () => {
    await page.goto(`${t.gh.urls.admin}/console/resources/workflows/new`);
    await page.getByRole('heading', { level: 1, name: 'New workflow' }).waitFor();
    const start = page.getByRole('group', { name: 'Start from' });
    const guardrails = start.getByRole('group', { name: 'Guardrails' });
    await guardrails.getByLabel('Prompt-injection block').waitFor();
    expect(await guardrails.getByRole('radio').count()).toBe(3);
    await start.getByLabel('Blank workflow').check();
    await page.getByRole('button', { name: 'Create' }).waitFor();
    await guardrails.getByLabel('Prompt-injection block').check();
    const form = page.getByRole('form', { name: 'From Prompt-injection block' });
    await form.getByLabel('Name (required)').fill('injection-guard');
    await form.getByLabel('Threshold').fill('0.7');
    await shot('workflow-templates');
    await form.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name: 'injection-guard' }).waitFor();
    const created = (await call(t.api, t.adminToken, 'GET', '/workflows?q=injection-guard')).body.items[0];
    expect(created.request).toEqual([expect.objectContaining({ type: 'prompt_guard', id: 'injection-in', action: 'block', threshold: 0.7 })]);
    expect(created.response).toEqual([expect.objectContaining({ type: 'prompt_guard', id: 'injection-out', threshold: 0.7 })]);
    expect(consoleErrors).toEqual([]);
  });
});
