import { createHash } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();
// A real MCP server over stdio: the official SDK's server and stdio transport, run with this Node.
const PROBE = new URL('../support/stdio-probe-server.mjs', import.meta.url).pathname;
const NODE = process.execPath;
const SECRET = `console-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
const sha = (v: string) => createHash('sha256').update(v).digest('hex');

// A stdio MCP server as a person adds it in the console: the program typed in a form (its secret
// environment value sealed), tested (the program started and stopped), listed with its command,
// its tools picked in the virtual-server builder, and a picked tool called by an SDK client.
describe.skipIf(!available)('a stdio MCP server in the console, in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  async function shot(name: string) {
    const path = screenshotPath(name);
    if (path) await page.screenshot({ path, fullPage: true });
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestGatehouse('sqlite', { federationStdio: true });
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${t.gh.urls.admin}/console/mcp/servers`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'MCP servers' }).waitFor();
  }, 90_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-mcp-stdio-fail-${ctx.task.name.slice(0, 24).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('adds a stdio server in the typed form, tests it (its tools before saving), and lists it with its command', async () => {
    await page.getByRole('button', { name: 'Add an MCP server' }).click();
    const form = page.getByRole('form', { name: 'Add an MCP server' });
    await form.getByLabel('Name (required)').fill('probe');
    await form.getByLabel('Transport').selectOption('stdio');
    // A program, not a URL; no auth of its own (its secrets go in its environment).
    expect(await form.getByLabel('URL (required)').count()).toBe(0);
    expect(await form.getByLabel('Auth', { exact: true }).count()).toBe(0);
    expect(await form.getByLabel('Allow private network').count()).toBe(0);
    const program = form.getByRole('group', { name: 'Program' });
    await program.getByLabel('Command (required)').fill(NODE);
    await program.getByLabel('Arguments').fill(PROBE);
    await program.getByRole('button', { name: 'Add environment variable' }).click();
    await program.getByLabel('Environment variable 1 name').fill('PLAIN_SETTING');
    await program.getByLabel('Environment variable 1 value').fill('visible');
    await program.getByRole('button', { name: 'Add environment variable' }).click();
    await program.getByLabel('Environment variable 2 name').fill('PROBE_SECRET');
    await program.getByLabel('Secret (variable 2)').check();
    expect(await program.getByLabel('Environment variable 2 value').getAttribute('type')).toBe('password');
    await program.getByLabel('Environment variable 2 value').fill(SECRET);

    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => form.getByTestId('probe-summary').textContent(), { timeout: 30_000 }).toMatch(/Connected to stdio-probe .*: \d+ tools/);
    await form.getByRole('table', { name: 'Tools' }).getByRole('cell', { name: 'env_sha256', exact: true }).waitFor();
    // Tested, not saved.
    expect((await call(t.api, t.adminToken, 'GET', '/mcp-servers')).body.items).toHaveLength(0);
    await shot('mcp-add-stdio-server');
    await form.getByRole('button', { name: 'Save MCP server' }).click();
    await page.getByTestId('announcement').getByText('Added MCP server probe.').waitFor();

    const row = page.getByRole('table', { name: 'MCP servers' }).getByRole('row').filter({ hasText: 'probe' });
    expect(await row.locator('code').textContent()).toBe(`${NODE} ${PROBE}`);
    const saved = (await call(t.api, t.adminToken, 'GET', '/mcp-servers')).body.items[0];
    expect(saved).toMatchObject({
      transport: 'stdio',
      stdio: { command: NODE, args: [PROBE], env: { PLAIN_SETTING: 'visible' } },
      sealedEnvNames: ['PROBE_SECRET'],
    });
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    // The list's Test button starts the saved program and shows what it offers.
    await row.getByRole('button', { name: /Test/ }).click();
    await page.getByRole('region', { name: 'What probe offers' }).getByRole('cell', { name: 'env_sha256', exact: true }).waitFor();
  });

  it('lists its tools in the builder, picks two, and an SDK client calls them through /mcp/v/{slug} with the sealed value in the child', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Virtual MCP servers', exact: true }).click();
    await page.getByRole('link', { name: 'New virtual MCP server' }).click();
    const form = page.getByRole('form', { name: 'New virtual MCP server' });
    await form.getByLabel('Name', { exact: true }).fill('Probe tools');
    await form.getByLabel('Slug').fill('probe-tools');
    await form.getByRole('group', { name: 'Upstream MCP servers' }).getByLabel('probe').check();
    const tools = form.getByRole('region', { name: 'Tools of probe' });
    await tools.getByLabel('Pick env_sha256').check();
    await tools.getByLabel('Pick env', { exact: true }).check();
    await tools.getByLabel('New name for env', { exact: true }).fill('read_env');
    await form.getByLabel('Published (clients can connect)').check();
    await form.getByRole('button', { name: 'Create virtual MCP server' }).click();
    await page.getByRole('heading', { level: 1, name: 'Probe tools' }).waitFor();
    await page.getByRole('table', { name: 'Tools and their pinned definitions' }).getByRole('cell', { name: 'read_env', exact: true }).waitFor();

    const url = `${t.gh.urls.proxy}/mcp/v/probe-tools`;
    const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: url });
    const client = new Client({ name: 'console-stdio-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    const text = (out: Awaited<ReturnType<Client['callTool']>>) => (out.content as Array<{ text: string }>)[0]!.text;
    try {
      expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['env_sha256', 'read_env']);
      expect(text(await client.callTool({ name: 'env_sha256', arguments: { name: 'PROBE_SECRET' } }))).toBe(sha(SECRET));
      expect(text(await client.callTool({ name: 'read_env', arguments: { name: 'PLAIN_SETTING' } }))).toBe('PLAIN_SETTING=visible');
      // The sealed value never reaches the AI client, even when the program prints it.
      expect(text(await client.callTool({ name: 'read_env', arguments: { name: 'PROBE_SECRET' } }))).toBe('PROBE_SECRET=[redacted]');
    } finally {
      await client.close();
    }
  });

  it('edits the saved program in the same typed form; its sealed value is kept, the child restarted with the change', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'MCP servers', exact: true }).click();
    await page.getByRole('table', { name: 'MCP servers' }).getByRole('link', { name: 'probe' }).click();
    const form = page.getByRole('form', { name: 'Edit probe' });
    const program = form.getByRole('group', { name: 'Program' });
    expect(await program.getByLabel('Command (required)').inputValue()).toBe(NODE);
    expect(await program.getByLabel('Environment variable 1 name').inputValue()).toBe('PLAIN_SETTING');
    // Secret values are not in the program's form (they are sealed apart, and never shown).
    expect(await program.getByLabel(/Secret \(variable/).count()).toBe(0);
    await program.getByRole('button', { name: 'Add environment variable' }).click();
    await program.getByLabel('Environment variable 2 name').fill('ADDED_LATER');
    await program.getByLabel('Environment variable 2 value').fill('yes');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('announcement').getByText('Saved probe').waitFor();
    const saved = (await call(t.api, t.adminToken, 'GET', '/mcp-servers')).body.items[0];
    expect(saved).toMatchObject({ stdio: { args: [PROBE], env: { PLAIN_SETTING: 'visible', ADDED_LATER: 'yes' } }, sealedEnvNames: ['PROBE_SECRET'] });

    const url = `${t.gh.urls.proxy}/mcp/v/probe-tools`;
    const { accessToken } = await loginWithPassword({ issuer: t.gh.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: url });
    const client = new Client({ name: 'console-stdio-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }));
    const text = async (name: string, variable: string) =>
      ((await client.callTool({ name, arguments: { name: variable } })).content as Array<{ text: string }>)[0]!.text;
    try {
      await expect.poll(() => text('read_env', 'ADDED_LATER')).toBe('ADDED_LATER=yes');
      expect(await text('env_sha256', 'PROBE_SECRET')).toBe(sha(SECRET));
    } finally {
      await client.close();
    }
    expect(consoleErrors).toEqual([]);
  });

  it('splits a command line pasted whole (as MCP servers’ READMEs write it) at a click, and the program it names starts', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'MCP servers', exact: true }).click();
    await page.getByRole('button', { name: 'Add an MCP server' }).click();
    const form = page.getByRole('form', { name: 'Add an MCP server' });
    await form.getByLabel('Name (required)').fill('pasted');
    await form.getByLabel('Transport').selectOption('stdio');
    const program = form.getByRole('group', { name: 'Program' });
    // Passed as typed, this would be one executable named "<node> <probe>", which does not exist.
    await program.getByLabel('Command (required)').fill(`${NODE} ${PROBE}`);
    await program.getByTestId('stdio-split-hint').waitFor();
    await program.getByRole('button', { name: 'Split at spaces' }).click();
    expect(await program.getByLabel('Command (required)').inputValue()).toBe(NODE);
    expect(await program.getByLabel('Arguments').inputValue()).toBe(PROBE);
    expect(await program.getByTestId('stdio-split-hint').count()).toBe(0);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => form.getByTestId('probe-summary').textContent(), { timeout: 30_000 }).toMatch(/Connected to stdio-probe .*: \d+ tools/);
    expect(consoleErrors).toEqual([]);
  });
});
