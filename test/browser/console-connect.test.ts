import type { ChildProcess } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { call } from '../support/gatehouse.js';
import { startStatefulUpstream, type TestUpstream } from '../support/mcp-upstream.js';
import { loginWithPassword } from '../support/oauth.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();

// `serve --demo` as a person first tries it: an MCP server on their own machine (loopback) tests and
// saves from the console, and a virtual server of it offers every way to connect — sign-in snippets,
// one-click install links for Cursor and VS Code, and a headless agent's service-account token —
// each of which works as shown.
describe.skipIf(!available)('connecting to a virtual MCP server, under serve --demo, in Chromium', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let serve: ChildProcess;
  let urls: { admin: string; adminApi: string; proxy: string; issuer: string };
  let upstream: TestUpstream;
  let browser: Browser;
  let page: Page;
  let adminToken: string;
  let password: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    upstream = await startStatefulUpstream('local-notes', (s) => {
      s.registerTool('find_note', { description: 'Finds a note by word', inputSchema: z.object({ word: z.string() }) }, async ({ word }) => ({
        content: [{ type: 'text', text: `note about ${word}` }],
      }));
    });
    db = await freshDatabase('sqlite');
    const started = await spawnServe(['--port', '0', '--demo'], db.env);
    serve = started.child;
    urls = started.summary.urls;
    password = started.summary.firstAdmin.generatedPassword;
    adminToken = (await loginWithPassword({ issuer: urls.issuer, username: 'admin', password, resource: urls.adminApi })).accessToken;
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${urls.admin}/console/mcp/servers`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'MCP servers' }).waitFor();
  }, 120_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-connect-fail-${ctx.task.name.slice(0, 24).replace(/\W/g, '_')}.png`, fullPage: true }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
    await db?.drop();
    await upstream?.close();
  });

  const api = (method: string, path: string, body?: unknown) => call(urls.adminApi, adminToken, method, path, body);
  const pre = (region: string) => page.getByRole('region', { name: region, exact: true }).locator('pre').textContent() as Promise<string>;

  it('tests a loopback MCP server from the console and saves it (serve --demo allows private upstreams)', async () => {
    await page.getByRole('button', { name: 'Add an MCP server' }).click();
    const form = page.getByRole('form', { name: 'Add an MCP server' });
    await form.getByLabel('Name (required)').fill('local-notes');
    await form.getByLabel('URL (required)').fill(upstream.url);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => form.getByTestId('probe-summary').textContent(), { timeout: 20_000 }).toMatch(/Connected to .*: 1 tools?, 0 prompts, 0 resources/);
    await form.getByRole('table', { name: 'Tools' }).getByRole('cell', { name: 'find_note', exact: true }).waitFor();
    await form.getByRole('button', { name: 'Save MCP server' }).click();
    await page.getByTestId('announcement').getByText('Added MCP server local-notes.').waitFor();
  });

  it('offers sign-in snippets, install links and a headless agent’s token on the virtual server page, each working as shown', async () => {
    const server = (await api('GET', '/mcp-servers')).body.items.find((s: { name: string }) => s.name === 'local-notes');
    const created = await api('POST', '/virtual-mcps', {
      slug: 'notes',
      name: 'Notes',
      upstreamIds: [server.id],
      tools: [{ upstreamId: server.id, name: 'find_note' }],
      published: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const agent = await api('POST', '/service-accounts', { name: 'notes-agent', role: 'viewer' });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);
    const url = `${urls.proxy}/mcp/v/notes`;

    await page.goto(`${urls.admin}/console/mcp/virtual/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Notes' }).waitFor();
    const panel = page.getByRole('region', { name: 'Connect to notes' });
    await panel.waitFor();

    // Sign-in: no secret in any snippet.
    expect(await pre('Claude Code')).toBe(`claude mcp add --transport http notes ${url}`);
    expect(JSON.parse(await pre('Cursor')).mcpServers.notes).toEqual({ url });
    expect(JSON.parse(await pre('VS Code')).servers.notes).toEqual({ type: 'http', url });

    // One-click installs, in each editor's format.
    const cursorLink = new URL((await panel.getByTestId('install-cursor').getAttribute('href'))!);
    expect(`${cursorLink.protocol}//${cursorLink.host}${cursorLink.pathname}`).toBe('cursor://anysphere.cursor-deeplink/mcp/install');
    expect(cursorLink.searchParams.get('name')).toBe('notes');
    expect(JSON.parse(Buffer.from(cursorLink.searchParams.get('config')!, 'base64').toString('utf8'))).toEqual({ url });
    const vscodeLink = (await panel.getByTestId('install-vscode').getAttribute('href'))!;
    expect(vscodeLink.startsWith('vscode:mcp/install?')).toBe(true);
    expect(JSON.parse(decodeURIComponent(vscodeLink.slice('vscode:mcp/install?'.length)))).toEqual({ name: 'notes', type: 'http', url });

    // Headless: the service account's token command, run as shown, gives a token the headless configuration sends.
    await panel.getByLabel('Service account').selectOption({ label: 'notes-agent' });
    const command = (await panel.getByTestId('headless-token-command').textContent())!;
    const clientId = agent.body.serviceAccount.clientId as string;
    expect(command).toContain(`-u "${clientId}:$GATEHOUSE_CLIENT_SECRET"`);
    const resource = /-d resource=(\S+)/.exec(command)![1]!;
    const tokenEndpoint = /^\s+(http\S+) \| jq/m.exec(command)![1]!;
    expect(resource).toBe(url);
    const tokenRes = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${agent.body.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
    });
    expect(tokenRes.status).toBe(200);
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    expect(await pre('Claude Code (headless)')).toBe(`claude mcp add --transport http notes ${url} --header "Authorization: Bearer $GATEHOUSE_TOKEN"`);
    const headless = JSON.parse(await pre('Cursor (headless)')).mcpServers.notes as { url: string; headers: Record<string, string> };
    const fromEnvironment = `\${env:GATEHOUSE_TOKEN}`;
    expect(headless.headers).toEqual({ Authorization: `Bearer ${fromEnvironment}` });
    const vscode = JSON.parse(await pre('VS Code (headless)'));
    expect(vscode.servers.notes.headers.Authorization).toBe(`Bearer \${input:${vscode.inputs[0].id}}`);
    expect(vscode.inputs[0]).toMatchObject({ type: 'promptString', password: true });
    const headers = Object.fromEntries(Object.entries(headless.headers).map(([k, v]) => [k, v.replace(fromEnvironment, token)]));
    const client = new Client({ name: 'headless-agent', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(headless.url), { requestInit: { headers } }));
    try {
      expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['find_note']);
      const result = await client.callTool({ name: 'find_note', arguments: { word: 'gates' } });
      expect((result.content as { text: string }[])[0]!.text).toBe('note about gates');
    } finally {
      await client.close();
    }
    const path = screenshotPath('connect-virtual-server');
    if (path) await page.screenshot({ path, fullPage: true });
  });

  it('lists the virtual server on the Connect page with the same links', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connect your AI client', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Connect your AI client' }).waitFor();
    expect(await page.getByTestId('virtual-mcp-url').textContent()).toBe(`${urls.proxy}/mcp/v/notes`);
    const panel = page.getByRole('region', { name: 'Connect to notes' });
    expect(await panel.getByTestId('install-vscode').getAttribute('href')).toContain(encodeURIComponent(`"url":"${urls.proxy}/mcp/v/notes"`));
    expect(await panel.getByRole('region', { name: 'Cursor', exact: true }).locator('pre').textContent()).toContain(`${urls.proxy}/mcp/v/notes`);
    const path = screenshotPath('connect');
    if (path) await page.screenshot({ path, fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
