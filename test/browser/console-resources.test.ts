import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

const available = chromiumAvailable();

// The generic resource pages: a list a page at a time (the admin API's cursor), and every
// operation beyond CRUD as an action button with a confirm step, both from the OpenAPI document.
describe.skipIf(!available)('generic resource pages in Chromium', { timeout: 120_000 }, () => {
  let t: TestGatehouse;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestGatehouse('sqlite');
    base = t.gh.urls.admin;
    // More policies than one page (50).
    for (let i = 0; i < 57; i++) {
      const res = await call(t.api, t.adminToken, 'POST', '/policies', { name: `tier-${String(i).padStart(2, '0')}` });
      expect(res.status).toBe(201);
    }
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/console/resources/policies`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const rowNames = async () => (await page.getByRole('table', { name: 'Policies' }).locator('tbody tr td:first-child').allTextContents()).sort();

  it('pages through a list longer than one page with the API cursor', async () => {
    const table = page.getByRole('table', { name: 'Policies' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(50);
    const first = await rowNames();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(7);
    const second = await rowNames();
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    // Every policy exactly once across the two pages.
    expect(new Set([...first, ...second]).size).toBe(57);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 1').waitFor();
    await expect.poll(rowNames).toEqual(first);
  });

  it('runs a workflow action from its page: a dry run changes nothing, the confirmed one is applied and audited', async () => {
    const created = await call(t.api, t.adminToken, 'POST', '/workflows', {
      name: 'stamped',
      request: [{ type: 'mock_response', id: 'one', status: 200, body: 'one' }],
    });
    const id = created.body.id as string;
    expect(
      (await call(t.api, t.adminToken, 'PATCH', `/workflows/${id}`, { request: [{ type: 'mock_response', id: 'two', status: 200, body: 'two' }] })).body
        .version,
    ).toBe(2);

    await page.goto(`${base}/console/resources/workflows/${id}`);
    await page.getByRole('heading', { level: 1, name: 'stamped' }).waitFor();
    const actions = page.getByRole('region', { name: 'Actions' });
    // A read action: its answer shown as it came.
    await actions.getByRole('button', { name: 'Versions…' }).click();
    await actions.getByRole('button', { name: 'Confirm versions' }).click();
    const versions = JSON.parse((await actions.getByRole('region', { name: 'Result of versions' }).locator('pre').textContent())!);
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    await actions.getByRole('button', { name: 'Rollback…' }).click();
    await actions.getByLabel('version (required)').fill('1');
    await actions.getByRole('button', { name: 'Dry run' }).click();
    await actions.getByText('Dry run: nothing was changed').waitFor();
    expect((await call(t.api, t.adminToken, 'GET', `/workflows/${id}`)).body.version).toBe(2);

    await actions.getByRole('button', { name: 'Confirm rollback' }).click();
    await actions.getByRole('heading', { name: 'Done' }).waitFor();
    const result = JSON.parse((await actions.getByRole('region', { name: 'Result of rollback' }).locator('pre').textContent())!);
    expect(result.version).toBe(3);
    const path = screenshotPath('resource-action');
    if (path) await page.screenshot({ path, fullPage: true });
    const stored = (await call(t.api, t.adminToken, 'GET', `/workflows/${id}`)).body;
    expect(stored).toMatchObject({ version: 3, request: [{ id: 'one' }] });
    const audit = (await call(t.api, t.adminToken, 'GET', `/audit-logs?action=workflows.rollback&resourceId=${id}`)).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ channel: 'console', outcome: 'success', actor: { name: 'admin' } });

    // A bad input is the gateway's refusal, with its code and request id.
    await actions.getByLabel('version (required)').fill('99');
    await actions.getByRole('button', { name: 'Confirm rollback' }).click();
    expect(await actions.getByRole('alert').textContent()).toMatch(/GATEHOUSE_\w+.*request id/);
  });

  it('a resource with no list (config) gets a page of its actions: export shows the declarative config', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declarative config', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Declarative config' }).waitFor();
    const actions = page.getByRole('region', { name: 'Actions' });
    for (const name of ['Export…', 'Plan…', 'Apply…', 'Schema…']) await actions.getByRole('button', { name }).waitFor();
    await actions.getByRole('button', { name: 'Export…' }).click();
    await actions.getByRole('button', { name: 'Confirm export' }).click();
    const result = await actions.getByRole('region', { name: 'Result of export' }).locator('pre').textContent();
    expect(result).toContain('tier-56');
    // The same document as the YAML file `gatehouse apply` reads.
    const [download] = await Promise.all([page.waitForEvent('download'), actions.getByRole('button', { name: 'Download as YAML' }).click()]);
    expect(download.suggestedFilename()).toBe('gatehouse.yaml');
    const yaml = parse(readFileSync((await download.path())!, 'utf8'));
    expect(yaml).toEqual(JSON.parse(result!));
  });
});
