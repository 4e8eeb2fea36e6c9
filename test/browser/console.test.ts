import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_OPENAPI, startOrdersApi } from '../../src/demo/orders-api.js';
import { CONSOLE_DIST } from '../../src/http/console-files.js';
import { SYSTEM_PRINCIPAL } from '../../src/management/bootstrap.js';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { chromiumAvailable, ensureConsoleBuilt, initialJsGzipBytes, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();
const VIEWER_PASSWORD = 'viewer-password-0123';

describe.skipIf(!available)('web console in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let orders: Awaited<ReturnType<typeof startOrdersApi>>;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let base: string;
  let token = '';
  let profileUrl = '';
  const loadedJs: { url: string; gzip: number }[] = [];

  async function shot(p: Page, name: string) {
    const path = screenshotPath(name);
    if (path) await p.screenshot({ path, fullPage: true });
  }

  async function signIn(context: BrowserContext, username: string, password: string): Promise<Page> {
    const p = await context.newPage();
    p.setDefaultTimeout(20_000);
    p.on('pageerror', (err) => console.error(`page error (${username}): ${err.message}`));
    await p.goto(`${base}/console`);
    // Not signed in: the console sends the browser to the authorization server's login page.
    await p.waitForURL(/\/oauth\//);
    await p.getByLabel('Username').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${base}/console`);
    await expect.poll(() => p.getByTestId('user').textContent(), { timeout: 15_000 }).toBe(username);
    return p;
  }

  async function nav(p: Page, name: string) {
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
    await p.getByRole('heading', { level: 1, name }).waitFor();
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    orders = await startOrdersApi();
    t = await startTestGatehouse('sqlite');
    base = t.gh.urls.admin;
    browser = await launch();
    admin = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page)
      await page.screenshot({ path: `/tmp/console-fail-${ctx.task.name.slice(0, 20).replace(/\W/g, '_')}.png` }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await orders?.close();
  });

  it('serves the console with caching headers and a strict CSP', async () => {
    const res = await fetch(`${base}/console/clients/anything`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    expect(html).toContain(`<meta name="gatehouse-proxy-url" content="${t.gh.urls.proxy}">`);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(base + asset);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/console/assets/nope.js`)).status).toBe(404);
  });

  it('signs in through the login page (code + PKCE) and shows the overview', async () => {
    const started = Date.now();
    // The scripts the browser loaded, fetched again here to be measured: a response the page
    // navigated away from no longer has its body in the browser.
    const scripts = new Set<string>();
    const onResponse = (res: Response) => {
      if (res.url().endsWith('.js')) scripts.add(res.url());
    };
    admin.on('response', onResponse);
    page = await signIn(admin, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Volume over time').waitFor();
    admin.off('response', onResponse);
    for (const url of scripts) loadedJs.push({ url, gzip: gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length });
    console.log(`console: signed in and overview rendered in ${Date.now() - started} ms`);
  });

  it('is React’s production build, whatever NODE_ENV the build ran under (vitest’s global setup builds under test)', () => {
    const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
    const entry = /src="\/console\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    expect(html).not.toContain('jsx-dev-runtime');
    // The development runtime calls jsxDEV for every element; the production one never names it.
    expect(readFileSync(join(CONSOLE_DIST, entry!), 'utf8')).not.toContain('jsxDEV');
  });

  it('keeps the first load within the JavaScript budget (250 KB gzipped)', async () => {
    const initial = initialJsGzipBytes();
    const overview = loadedJs.reduce((s, f) => s + f.gzip, 0);
    console.log(`console: initial JS ${(initial / 1024).toFixed(1)} KB gzipped; everything the overview loaded ${(overview / 1024).toFixed(1)} KB`);
    expect(initial).toBeLessThanOrEqual(250 * 1024);
    expect(overview).toBeLessThanOrEqual(250 * 1024);
  });

  it('onboards a partner: import an OpenAPI document, then client, profile, credential', async () => {
    await nav(page, 'Catalog');
    await page.getByLabel('Collection name').fill('Partners');
    await page.getByLabel('Slug').fill('partners');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { level: 1, name: 'Partners' }).waitFor();
    await page.getByRole('button', { name: /^Publish/ }).click();
    await page.getByText('published', { exact: false }).first().waitFor();

    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
    const file = join(dir, 'orders.json');
    writeFileSync(file, JSON.stringify(ORDERS_OPENAPI));
    await page.getByLabel('OpenAPI document (JSON or YAML)').setInputFiles(file);
    await page.getByLabel('Base path').fill('/partners/orders/v1');
    await page.getByLabel('Upstream URL').fill(orders.url);
    await page.getByRole('button', { name: 'Preview import' }).click();
    // The dry run: what would be created, before anything is.
    await expect.poll(() => page.getByTestId('import-counts').textContent(), { timeout: 15_000 }).toMatch(/A new proxy; 3 to create/);
    expect((await call(t.api, t.adminToken, 'GET', '/proxies')).body.items).toHaveLength(0);
    await shot(page, 'import-preview');
    await page.getByRole('button', { name: 'Apply import' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported Demo Orders API' }).waitFor();
    await page.getByRole('link', { name: 'Demo Orders API' }).waitFor();

    await nav(page, 'Clients');
    await page.getByLabel('Client name').fill('Acme partner');
    await page.getByLabel('Collections it may call').selectOption({ label: 'Partners' });
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('link', { name: 'Acme partner' }).click();
    await page.getByLabel('Profile name').fill('production');
    await page.getByRole('button', { name: 'Create token profile' }).click();
    await page.getByRole('link', { name: 'production' }).click();
    await page.getByRole('heading', { name: 'Profile production' }).waitFor();
    profileUrl = page.url();
    await page.getByRole('button', { name: 'Issue credential' }).click();
    await page.getByTestId('secret').waitFor();
    await page.getByRole('button', { name: 'Copy to clipboard' }).click();
    await page.getByText('✓ copied').waitFor();
    // Runs in the page: the clipboard the user would paste from.
    token = await page.evaluate('navigator.clipboard.readText()');
    expect(token).toBe(await page.getByTestId('secret').textContent());
    await shot(page, 'credential');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('secret').count(), { timeout: 15_000 }).toBe(0);
  });

  it('the copied token calls the API, and the call shows in the request-log explorer and the overview', async () => {
    const res = await fetch(`${t.gh.urls.proxy}/partners/orders/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);

    await expect
      .poll(
        async () => {
          await nav(page, 'Request logs');
          return page.getByRole('cell', { name: '/partners/orders/v1/orders' }).count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await page.getByLabel('Status').fill('200');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/status=200/);
    await shot(page, 'request-logs');
    await page
      .getByRole('row', { name: /\/partners\/orders\/v1\/orders/ })
      .getByRole('link')
      .first()
      .click();
    await page.getByRole('heading', { name: 'GET /partners/orders/v1/orders → 200' }).waitFor();

    await expect
      .poll(
        async () => {
          await nav(page, 'Overview');
          return page.getByTestId('total-requests').textContent();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toMatch(/^[1-9]/);
    await page.getByRole('link', { name: /^200/ }).waitFor();
    await page
      .getByRole('link', { name: /GET \/orders/ })
      .first()
      .waitFor();
    await shot(page, 'overview');
    // Reported, not asserted (tests never time anything): from a click on Overview to numbers and charts on screen.
    await nav(page, 'Request logs');
    const started = performance.now();
    await nav(page, 'Overview');
    await page
      .getByTestId('total-requests')
      .filter({ hasText: /^[1-9]/ })
      .waitFor();
    await page.locator('.chart canvas').first().waitFor();
    console.log(`console: overview rendered with data in ${Math.round(performance.now() - started)} ms`);
    // A bar is a link to the calls behind it.
    await page.getByRole('link', { name: /^200/ }).click();
    await page.getByRole('heading', { name: 'Request logs' }).waitFor();
    expect(page.url()).toContain('status=200');
  });

  it('rotates a credential: a new secret once, the old one in its grace period', async () => {
    await page.goto(profileUrl);
    await page.getByRole('heading', { name: 'Profile production' }).waitFor();
    await page.getByLabel('Grace period (seconds)').fill('3600');
    await page.getByRole('button', { name: 'Rotate credentials' }).click();
    await page.getByTestId('secret').waitFor();
    const rotated = await page.getByTestId('secret').textContent();
    expect(rotated).not.toBe(token);
    await expect.poll(async () => (await page.getByTestId('credential-status').allTextContents()).sort(), { timeout: 15_000 }).toEqual(['active', 'rotated']);
    const still = await fetch(`${t.gh.urls.proxy}/partners/orders/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(still.status).toBe(200);
    const fresh = await fetch(`${t.gh.urls.proxy}/partners/orders/v1/orders`, { headers: { authorization: `Bearer ${rotated}` } });
    expect(fresh.status).toBe(200);
  });

  it('generic pages: a policy created and edited from forms generated from the OpenAPI document', async () => {
    await nav(page, 'Policies');
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByLabel('name (required)').fill('partner-limits');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'partner-limits' }).waitFor();
    // Rate limits are rows of typed controls, not a JSON box.
    const edit = page.getByRole('form', { name: 'Edit partner-limits' });
    await edit.getByRole('button', { name: 'Add rate limit' }).click();
    await edit.getByLabel('Rate limits 1 Window').selectOption('minute');
    await edit.getByLabel('Rate limits 1 Limit').fill('100');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByRole('status').getByText('Saved').waitFor();
    await expect
      .poll(async () => JSON.parse((await page.locator('pre.json').textContent())!).rateLimits, { timeout: 15_000 })
      .toEqual([{ window: 'minute', limit: 100 }]);
    await shot(page, 'generic-resource');
  });

  it('a workflow page lists its nodes and runs it against a sample request, with the trace', async () => {
    const created = await call(t.api, t.adminToken, 'POST', '/workflows', {
      name: 'mock-orders',
      request: [{ type: 'mock_response', id: 'canned', status: 200, body: '{"ok":true}' }],
    });
    expect(created.status).toBe(201);
    await nav(page, 'Workflows');
    await page.getByRole('link', { name: 'mock-orders' }).click();
    await page.getByRole('table', { name: 'Request nodes, in order' }).getByRole('cell', { name: 'canned' }).waitFor();
    await page.getByRole('form', { name: 'Run the workflow' }).getByLabel('Path').fill('/orders');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const trace = page.getByRole('table', { name: 'Trace' });
    await trace.getByRole('cell', { name: 'canned' }).first().waitFor();
    expect(await page.getByTestId('run-outcome').textContent()).toBe('Answered 200 by the workflow.');
    await shot(page, 'workflow');
  });

  it('a viewer sees a read-only console, and a forced write is refused by the gateway', async () => {
    await nav(page, 'Access');
    await page.getByLabel('Username').fill('vera');
    await page.getByLabel('Password').fill(VIEWER_PASSWORD);
    await page.getByLabel('Role').first().selectOption('viewer');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'vera', exact: true }).waitFor();
    await shot(page, 'access');

    const viewerContext = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    try {
      const v = await signIn(viewerContext, 'vera', VIEWER_PASSWORD);
      await v.getByText('read-only').waitFor();
      await nav(v, 'Catalog');
      await v.getByRole('link', { name: 'Partners' }).waitFor();
      await shot(v, 'viewer');
      expect(await v.getByRole('button', { name: 'Create collection' }).count()).toBe(0);
      expect(await v.getByRole('button', { name: /Publish|Unpublish/ }).count()).toBe(0);
      await v.getByRole('link', { name: 'Partners' }).click();
      await v.getByRole('link', { name: 'Demo Orders API' }).waitFor();
      expect(await v.getByRole('button', { name: 'Preview import' }).count()).toBe(0);
      await nav(v, 'Clients');
      expect(await v.getByRole('button', { name: 'Create client' }).count()).toBe(0);
      await nav(v, 'Policies');
      expect(await v.getByRole('link', { name: 'New policy' }).count()).toBe(0);
      // Generated actions: a viewer gets the reads (versions), not the writes (rollback).
      await nav(v, 'Workflows');
      await v.getByRole('link', { name: 'mock-orders' }).click();
      await v.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Versions…' }).waitFor();
      expect(await v.getByRole('button', { name: 'Rollback…' }).count()).toBe(0);
      // The page a viewer has no link to still opens; the gateway refuses the write, with its message and request id.
      await v.goto(`${base}/console/resources/policies/new`);
      await v.getByLabel('name (required)').fill('sneaky');
      await v.getByRole('button', { name: 'Create' }).click();
      const alert = v.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/GATEHOUSE_FORBIDDEN.*request id/);
    } finally {
      await viewerContext.close();
    }
    const policies = (await call(t.api, t.adminToken, 'GET', '/policies')).body.items.map((p: { name: string }) => p.name);
    expect(policies).not.toContain('sneaky');
  });

  it('a modifier limited to one collection sees write controls there only', async () => {
    const collections = (await call(t.api, t.adminToken, 'GET', '/collections')).body.items;
    const partners = collections.find((c: { slug: string }) => c.slug === 'partners');
    expect((await call(t.api, t.adminToken, 'POST', '/collections', { name: 'Internal', slug: 'internal' })).status).toBe(201);
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli' as const, requestId: 'test', localAdmin: true };
    await t.gh.executor.execute(
      'users.create',
      { username: 'mo', password: VIEWER_PASSWORD, role: 'modifier', scope: { collectionIds: [partners.id] } },
      local,
    );
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    try {
      const m = await signIn(context, 'mo', VIEWER_PASSWORD);
      await nav(m, 'Catalog');
      await m.getByRole('link', { name: 'Internal' }).waitFor();
      await m.getByRole('button', { name: 'Unpublish Partners' }).waitFor();
      expect(await m.getByRole('button', { name: /Internal/ }).count()).toBe(0);
      await m.getByRole('link', { name: 'Internal' }).click();
      await m.getByRole('heading', { level: 1, name: 'Internal' }).waitFor();
      expect(await m.getByRole('button', { name: 'Preview import' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('the audit page shows each step under the signed-in user on channel console, and the chain intact', async () => {
    await page.goto(`${base}/console/audit?channel=console&actor=admin`);
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    await expect.poll(() => page.getByTestId('chain').textContent(), { timeout: 15_000 }).toMatch(/Hash chain intact: \d+ entries verified/);
    const table = page.getByRole('table', { name: 'Audit entries, newest first' });
    for (const action of [
      'collections.create',
      'collections.publish',
      'proxies.import-openapi',
      'clients.create',
      'profiles.create',
      'credentials.issue',
      'credentials.rotate',
      'policies.create',
      'policies.update',
      'users.create',
    ]) {
      const row = table.getByRole('row').filter({ has: page.getByRole('cell', { name: action, exact: true }) });
      await expect.poll(() => row.count(), { message: action, timeout: 15_000 }).toBeGreaterThan(0);
      expect(await row.first().getByRole('cell').nth(1).textContent()).toBe('admin');
      expect(await row.first().getByRole('cell').nth(2).textContent()).toBe('console');
    }
    await shot(page, 'audit');
    // The server agrees, and recorded the viewer's refused write as denied, on the console channel too.
    const denied = (await call(t.api, t.adminToken, 'GET', '/audit-logs?channel=console&outcome=denied')).body.items;
    expect(denied.some((e: any) => e.actor.name === 'vera' && e.action === 'policies.create')).toBe(true);

    await table
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'policies.update', exact: true }) })
      .getByRole('link')
      .first()
      .click();
    const diff = page.getByRole('table', { name: 'Before and after' });
    await diff.waitFor();
    expect(await diff.getByRole('row', { name: /rateLimits/ }).textContent()).toContain('"limit":100');
    await shot(page, 'audit-diff');
  });

  it('connect your AI client: configurations with this gateway’s URLs and a fresh credential', async () => {
    await nav(page, 'Connect your AI client');
    expect(await page.getByTestId('gateway-mcp-url').textContent()).toBe(`${t.gh.urls.proxy}/mcp`);
    // Each profile is named with its client.
    await page.getByLabel('Profile').selectOption({ label: 'Acme partner — production (token)' });
    expect(await page.getByTestId('profile-client').textContent()).toContain('Acme partner');
    await page.getByRole('button', { name: 'Issue a credential for this configuration' }).click();
    const cursor = page.getByRole('region', { name: 'Cursor' }).first();
    await expect.poll(() => cursor.locator('pre').textContent(), { timeout: 15_000 }).toMatch(/"Authorization": "Bearer ghk_/);
    const config = JSON.parse((await cursor.locator('pre').textContent())!);
    const server = config.mcpServers.gatehouse;
    expect(server.url).toBe(`${t.gh.urls.proxy}/mcp`);
    // The pasted configuration works: the Gateway MCP answers tools/list with it.
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { ...server.headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(200);
    expect(await page.getByText(`${base}/management/mcp`).first().textContent()).toContain('/management/mcp');
    // ChatGPT cannot send the credential: its card offers the /mcp sign-in instead.
    expect(await page.getByRole('region', { name: 'ChatGPT' }).first().locator('pre').textContent()).toContain(`${t.gh.urls.proxy}/mcp?signin`);
    // Its picture (docs/console-connect.png) is taken by console-connect.test.ts, where a virtual server is published.
  });

  it('refreshes its access token before it expires, each time with the rotated refresh token', async () => {
    // The page's clock jumps ahead; the gateway's does not, so the refreshed tokens still work there.
    await page.clock.install();
    for (const [hop, target] of [
      ['02:00:00', 'Catalog'],
      ['04:00:00', 'Clients'],
    ] as const) {
      await page.clock.fastForward(hop);
      const refreshed = page.waitForResponse((r) => r.url().endsWith('/token') && (r.request().postData() ?? '').includes('grant_type=refresh_token'));
      await nav(page, target);
      const res = await refreshed;
      expect(res.status()).toBe(200);
      expect(Object.keys(await res.json())).toContain('refresh_token');
    }
    await page.getByRole('link', { name: 'Acme partner' }).waitFor();
  });

  it('signs out: tokens revoked, and the next visit asks for the password again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.getByRole('link', { name: 'Sign in again' }).click();
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Password').waitFor();
  });
});
