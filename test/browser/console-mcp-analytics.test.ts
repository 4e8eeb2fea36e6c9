import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { loginWithPassword } from '../support/oauth.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();

/** A tool whose name is longer than a bar's label used to show, and which fails at the upstream. */
const FAILING = 'create-quarterly-revenue-report';

// MCP analytics and the request log as an admin reads them after a person's calls through a
// virtual server, one of whose tools answers `isError`: the failure counted at the upstream, the
// busiest tool's bar full width under its whole name, filters kept in the URL across a reload, the
// person by name; the request log's MCP method, tool and user columns, and its tool filter.
describe.skipIf(!available)('MCP analytics and the request log of MCP calls, in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let upstream: TestUpstream;
  let browser: Browser;
  let page: Page;
  let base: string;
  const consoleErrors: string[] = [];

  async function shot(name: string) {
    const path = screenshotPath(name);
    if (path) await page.screenshot({ path, fullPage: true });
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    [t, upstream] = await Promise.all([
      startTestGatehouse('sqlite'),
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

    // Dana, a person, calls through the virtual server with the SDK client: the long-named tool twice (it fails), lookup once.
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
    await t.gh.executor.execute('users.create', { username: 'dana', password: 'dana-password-0123', role: 'viewer' }, local);
    const url = `${t.gh.urls.proxy}/mcp/v/desk`;
    const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, username: 'dana', password: 'dana-password-0123', resource: url });
    const client = new Client({ name: 'dana-agent', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    try {
      await client.listTools();
      expect((await client.callTool({ name: FAILING, arguments: { quarter: 'Q3' } })).isError).toBe(true);
      expect((await client.callTool({ name: FAILING, arguments: { quarter: 'Q4' } })).isError).toBe(true);
      expect((await client.callTool({ name: 'lookup', arguments: { word: 'ledger' } })).isError ?? false).toBe(false);
    } finally {
      await client.close();
    }

    base = t.gh.urls.admin;
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${base}/console/mcp/analytics`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'MCP analytics' }).waitFor();
  }, 90_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-mcp-analytics-fail-${ctx.task.name.slice(0, 24).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await upstream?.close();
  });

  it('counts the tool error as a failure at the upstream, with the busiest tool full width under its whole name', async () => {
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { level: 1, name: 'MCP analytics' }).waitFor();
          return page.getByTestId('mcp-calls').textContent();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('3');
    expect(await page.getByTestId('mcp-success').textContent()).toBe('33.3%');
    // Token-cost analytics: what the three results returned (and any listing) in o200k_base tokens, and their chart.
    await expect.poll(() => page.getByTestId('mcp-tokens').textContent()).toMatch(/^[\d,]+ \/ [1-9][\d,]*$/);
    await page.getByRole('figure').filter({ hasText: 'Tokens over time' }).waitFor();
    const origins = page.getByRole('figure').filter({ hasText: 'Failure origins' });
    await expect.poll(() => origins.getByRole('listitem').filter({ hasText: 'upstream' }).textContent()).toMatch(/^upstream2 · /);
    expect(await origins.getByRole('listitem').filter({ hasText: 'gateway' }).textContent()).toMatch(/^gateway0 · /);

    const top = page.getByRole('figure').filter({ hasText: 'Top tools' });
    const first = top.getByRole('listitem').first();
    const label = first.locator('.bar-label');
    expect(await label.textContent()).toBe(FAILING);
    expect(await label.getAttribute('title')).toBe(FAILING);
    // The whole name is on screen, not cut with an ellipsis.
    expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await first.textContent()).toMatch(/^create-quarterly-revenue-report2 · 0\.0% ok/);
    // The busiest tool's bar spans its row; the other's is half as long (1 call to 2).
    const widths = async (item: typeof first) => {
      const bar = (await item.locator('.bar').boundingBox())!;
      const track = (await item.locator('.bar-track').boundingBox())!;
      return { bar: bar.width, track: track.width };
    };
    const busiest = await widths(first);
    expect(busiest.track).toBeGreaterThan(200);
    expect(Math.abs(busiest.bar - busiest.track)).toBeLessThanOrEqual(1);
    const second = await widths(top.getByRole('listitem').nth(1));
    expect(Math.abs(second.bar - second.track / 2)).toBeLessThanOrEqual(1);

    // The person by name, their subject on hover.
    const person = page.getByRole('table', { name: /By user/ }).getByTestId('person');
    expect(await person.textContent()).toBe('dana');
    expect(await person.getAttribute('title')).toMatch(/^user:/);
    await shot('mcp-analytics-failures');
  });

  it('keeps the filters in the URL: a reload shows the same view', async () => {
    await page.getByLabel('Tool', { exact: true }).selectOption('lookup');
    await page.waitForURL(/[?&]tool=lookup/);
    await expect.poll(() => page.getByTestId('mcp-calls').textContent()).toBe('1');
    await page.getByLabel('Time range').selectOption('24h');
    await page.waitForURL(/[?&]range=24h/);
    await page.getByLabel('User', { exact: true }).selectOption({ label: 'dana' });
    await page.waitForURL(/[?&]user=user%3A/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'MCP analytics' }).waitFor();
    expect(await page.getByLabel('Tool', { exact: true }).inputValue()).toBe('lookup');
    expect(await page.getByLabel('Time range').inputValue()).toBe('24h');
    expect(await page.getByLabel('User', { exact: true }).locator('option:checked').textContent()).toBe('dana');
    await expect.poll(() => page.getByTestId('mcp-calls').textContent()).toBe('1');
    expect(await page.getByTestId('mcp-success').textContent()).toBe('100.0%');
    // Back to all tools: the filter leaves the URL.
    await page.getByLabel('Tool', { exact: true }).selectOption('');
    await expect.poll(() => new URL(page.url()).searchParams.has('tool')).toBe(false);
    await expect.poll(() => page.getByTestId('mcp-calls').textContent()).toBe('3');
  });

  it('shows MCP method, tool and user in the request log, and a tool filter narrows it', async () => {
    // A tool's bar opens its calls in the request log.
    await page
      .getByRole('figure')
      .filter({ hasText: 'Top tools' })
      .getByRole('link', { name: /^lookup/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Request logs' }).waitFor();
    expect(new URL(page.url()).searchParams.get('mcpTool')).toBe('lookup');
    const table = page.getByRole('table', { name: 'Calls, newest first' });
    await expect.poll(() => table.getByTestId('log-tool').allTextContents()).toEqual(['lookup']);

    // Every MCP request of the virtual server, then only the long-named tool's calls.
    await page.goto(`${base}/console/request-logs?channel=federation`);
    await page.getByRole('heading', { level: 1, name: 'Request logs' }).waitFor();
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['MCP method', 'Tool', 'User']));
    await expect.poll(() => table.getByTestId('log-tool').count()).toBe(3);
    const rows = table.getByRole('row').filter({ hasText: FAILING });
    expect(await rows.count()).toBe(2);
    const row = rows.first();
    await row.getByRole('cell', { name: 'tools/call', exact: true }).waitFor();
    expect(await row.getByTestId('log-tool').getAttribute('title')).toBe(`${FAILING} → reports/${FAILING}`);
    expect(await row.getByTestId('person').textContent()).toBe('dana');
    // Answered, but failed: the status says so, the code on hover.
    expect(await row.getByTitle('GATEHOUSE_UPSTREAM_TOOL_ERROR').textContent()).toBe('200 · failed');
    await table.getByRole('row').filter({ hasText: 'tools/list' }).first().waitFor();

    const filters = page.getByRole('form', { name: 'Request log filters' });
    await filters.getByLabel('Tool', { exact: true }).fill(FAILING);
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/[?&]mcpTool=create-quarterly-revenue-report/);
    await expect.poll(() => table.getByTestId('log-tool').allTextContents()).toEqual([FAILING, FAILING]);
    expect(await table.getByRole('row').filter({ hasText: 'tools/list' }).count()).toBe(0);
    await shot('request-logs-mcp');

    // By MCP method and by person, named in the filter.
    await filters.getByLabel('Tool', { exact: true }).fill('');
    await filters.getByLabel('MCP method').selectOption('tools/list');
    await filters.getByLabel('User', { exact: true }).selectOption({ label: 'dana' });
    await filters.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/[?&]mcpMethod=tools%2Flist/);
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('row').filter({ hasText: 'tools/list' }).getByTestId('person').filter({ hasText: 'dana' }).waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
