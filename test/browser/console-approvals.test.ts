import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowGateway, type WorkflowGateway } from '../integration/workflow-fixtures.js';
import { ADMIN_PASSWORD } from '../support/gatehouse.js';
import { MemoryOAuthProvider } from '../support/memory-oauth-provider.js';
import { browse } from '../support/oauth.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();

// The approvals queue as an approver uses it: a REST call held by a tool policy, the link in its
// error opened in the console, approved or denied there with a reason, and the caller's retry.
describe.skipIf(!available)('Approvals in the console, in Chromium', { timeout: 90_000 }, () => {
  let g: WorkflowGateway;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const apiFailures: string[] = [];
  const body = JSON.stringify({ name: 'desk', qty: 3 });

  /** A call through the proxy that the policy holds: its approval id and console link. */
  async function hold(payload = body): Promise<{ approvalId: string; url: string }> {
    const res = await g.send('POST', '/items', { body: payload });
    expect(res.status, res.text).toBe(403);
    expect(res.body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    return res.body.error.details;
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    g = await startWorkflowGateway();
    await g.attach({
      request: [
        {
          type: 'tool_policy',
          id: 'hold',
          rules: [
            { when: 'tool.path == "/wf/v1/items"', decision: 'approval', reason: 'creating items is reviewed' },
            { when: 'tool.path == "/wf/v1/items/{id}"', decision: 'approval', reason: 'reading an item is reviewed' },
          ],
        },
      ],
      bodyLimitBytes: 1_048_576,
    });
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().startsWith(g.t.gh.urls.adminApi) && r.status() >= 400) apiFailures.push(`${r.request().method()} ${r.url()} → ${r.status()}`);
    });
  }, 60_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-approvals-fail-${ctx.task.name.slice(0, 24).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await g?.close();
  });

  it('opens the link of a held call, approves it with a reason, and the caller’s retry passes once', async () => {
    const { approvalId, url } = await hold();
    // The link the backend puts in the error is the console's route for this approval.
    expect(url).toBe(`${g.t.gh.urls.admin}/console/approvals/${approvalId}`);
    await page.goto(url);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /^POST \/wf\/v1\/items/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/approvals/${approvalId}`);
    expect(await page.getByTestId('approval-status').textContent()).toBe('pending');
    // The body as sent, pretty-printed: not wrapped, not on one line.
    expect(await page.getByTestId('arguments').textContent()).toBe(JSON.stringify({ name: 'desk', qty: 3 }, null, 2));
    await page.getByText('creating items is reviewed').waitFor();
    await page.getByText(`client:${g.clientId}`).waitFor();

    const form = page.getByRole('form', { name: 'Decide' });
    await form.getByLabel(/^Reason/).fill('looks fine');
    await form.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('announcement').getByText('Approved POST /wf/v1/items').waitFor();
    await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('approved (not used yet)');
    expect(await page.getByTestId('decided-by').textContent()).toBe('admin (console) — you');
    expect(await page.getByTestId('decision-reason').textContent()).toBe('looks fine');
    expect(await form.count()).toBe(0);

    // The decision reaches the data plane within a second; the retry passes once, then is held again.
    const started = Date.now();
    let retry = await g.send('POST', '/items', { body });
    while (retry.status === 403 && Date.now() - started < 2_000) retry = await g.send('POST', '/items', { body });
    expect(retry.status).toBe(200);
    expect((await g.send('POST', '/items', { body })).body.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
    await page.reload();
    await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('approved and used');
  });

  it('lists pending calls in the queue; one denied with a reason shows as denied and the caller is told why', async () => {
    const other = await hold(JSON.stringify({ name: 'lamp', qty: 40 }));
    const { approvalId } = await hold();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
    const queue = page.getByRole('table', { name: /waiting for a decision/ });
    await expect.poll(() => queue.getByRole('row').count()).toBe(3);
    await queue.getByRole('row').filter({ hasText: '"lamp"' }).waitFor();
    await shot('approvals');

    await page.goto(`${g.t.gh.urls.admin}/console/approvals/${approvalId}`);
    const form = page.getByRole('form', { name: 'Decide' });
    // Denying needs a reason: said beside the field, nothing sent.
    await form.getByRole('button', { name: 'Deny' }).click();
    await form.getByText('Say why you deny it').waitFor();
    await form.getByLabel(/^Reason/).fill('we have enough desks');
    await form.getByRole('button', { name: 'Deny' }).click();
    await page.getByTestId('announcement').getByText('Denied POST /wf/v1/items').waitFor();
    await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('denied');
    expect(await page.getByTestId('decision-reason').textContent()).toBe('we have enough desks');
    const denied = await g.send('POST', '/items', { body });
    expect(denied.body.error).toMatchObject({ code: 'GATEHOUSE_APPROVAL_DENIED', message: 'An approver denied this call: we have enough desks' });

    // The decided tab shows who decided and why; the pending one keeps the other call.
    await page.goto(`${g.t.gh.urls.admin}/console/approvals?status=decided`);
    const decided = page.getByRole('table', { name: /Decided/ });
    await decided.getByRole('row').filter({ hasText: 'denied by' }).filter({ hasText: 'we have enough desks' }).waitFor();
    await decided.getByRole('row').filter({ hasText: 'approved and used' }).filter({ hasText: 'looks fine' }).waitFor();
    await page.getByRole('navigation', { name: 'Approval filters' }).getByRole('link', { name: 'Pending' }).click();
    await page
      .getByRole('table', { name: /waiting for a decision/ })
      .getByRole('link')
      .filter({ hasText: 'POST /wf/v1/items' })
      .first()
      .waitFor();
    expect(
      await page
        .getByRole('table', { name: /waiting for a decision/ })
        .getByRole('row')
        .count(),
    ).toBe(2);
    expect(other.approvalId).toMatch(/^apr_/);
  });

  it('shows the gateway’s refusal when a person tries to decide their own held call', async () => {
    // The admin calls through the Gateway MCP as themself (a profile they may sign in to).
    await g.admin('POST', '/profiles', { clientId: g.clientId, name: 'people', authType: 'token', signInUsers: ['admin'] });
    // They connect an MCP app to the Gateway MCP, signing in on the login page and consenting, as people do.
    const mcpUrl = new URL(`${g.t.gh.urls.proxy}/mcp`);
    const app = new MemoryOAuthProvider('http://127.0.0.1:41909/callback', { client_name: 'Admin’s agent' });
    const probe = new Client({ name: 'own-agent', version: '1' });
    expect(await probe.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app })).catch((e: unknown) => e)).toBeInstanceOf(UnauthorizedError);
    const outcome = await browse(app.authorizationUrl!.href, app.redirectUrl, { username: 'admin', password: ADMIN_PASSWORD, consent: 'allow' });
    await new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }).finishAuth(new URL(outcome.landedAt!).searchParams);
    const agent = new Client({ name: 'own-agent', version: '1' });
    await agent.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: app }));
    let url: string;
    try {
      const held = (await agent.callTool({
        name: 'execute_call',
        arguments: { endpoint: 'POST /wf/v1/items', params: { body: { name: 'own', qty: 1 } } },
      })) as any;
      expect(held.structuredContent.error.code).toBe('GATEHOUSE_APPROVAL_REQUIRED');
      url = held.structuredContent.error.details.url;
    } finally {
      await agent.close();
    }
    await page.goto(url);
    const form = page.getByRole('form', { name: 'Decide' });
    await form.getByText('This is your own call').waitFor();
    await form.getByRole('button', { name: 'Approve' }).click();
    await form.getByRole('alert').getByText('another approver must').waitFor();
    expect(await page.getByTestId('approval-status').textContent()).toBe('pending');
    // That refusal is the only API error of the whole walk; the browser logged nothing but its own line for it.
    expect(apiFailures).toEqual([expect.stringMatching(/POST .*\/approvals\/apr_[^/]+\/approve → 403$/)]);
    expect(consoleErrors).toEqual([expect.stringMatching(/Failed to load resource: the server responded with a status of 403/)]);
  });

  it('shows the concrete path beside the template, the requester by name, and a call too long for the page as a plain cut with a download', async () => {
    const held = await g.send('GET', '/items/42?expand=owner');
    expect(held.status, held.text).toBe(403);
    await page.goto(held.body.error.details.url);
    await page.getByRole('heading', { level: 1, name: /^GET \/wf\/v1\/items\/42\?expand=owner/ }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('GET /wf/v1/items/42?expand=owner — GET /wf/v1/items/{id}');
    expect(await page.getByTestId('request-line').textContent()).toBe('GET /wf/v1/items/42');
    // The requester by name, the id they are recorded under on hover.
    const caller = page.getByRole('link', { name: 'Workflow partner' });
    expect(await caller.getAttribute('title')).toBe((await g.admin('GET', `/approvals/${held.body.error.details.approvalId}`)).caller);

    // A call whose text passes what the page shows (64 KiB): said plainly, downloadable whole.
    const notes = Array.from({ length: 2_000 }, (_, i) => ({ line: i, text: `note ${i} about the desk order` }));
    const big = await hold(JSON.stringify({ name: 'desk', qty: 3, notes }));
    const whole = JSON.stringify({ name: 'desk', qty: 3, notes }, null, 2);
    await page.goto(big.url);
    const cut = page.getByTestId('call-cut');
    await cut.waitFor();
    expect(await cut.textContent()).toMatch(
      new RegExp(`showing the first 64\\.0 KB of ${(Buffer.byteLength(whole) / 1024).toFixed(1).replace('.', '\\.')} KB`),
    );
    expect(whole.startsWith((await page.getByTestId('arguments').textContent())!)).toBe(true);
    await shot('approval');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-call').click()]);
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(saved).toMatchObject({ id: big.approvalId, method: 'POST', path: '/wf/v1/items', call: whole });
  });

  async function shot(name: string) {
    const path = screenshotPath(name);
    if (path) await page.screenshot({ path, fullPage: true });
  }
});
