import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/databases.js';
import { ADMIN_PASSWORD, call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { chromiumAvailable, ensureConsoleBuilt, launch, screenshotPath } from './browser.js';

// Long enough to be seen applying for several of the page's 1 s polls on a quiet machine (12,000 finished within one poll in CI).
const ITEMS = 60_000;

const available = chromiumAvailable() && (await postgresAvailable());

// The Jobs page as an operator uses it while a large apply runs: its bar moving, then its end.
describe.skipIf(!available)('Jobs in the console, in Chromium (PostgreSQL)', { timeout: 330_000 }, () => {
  let t: TestGatehouse;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestGatehouse('postgres');
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    page.setDefaultTimeout(30_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.gh.executor.jobs.settle();
    await t?.close();
  });

  it('shows a running apply with its progress rising, then succeeded', async () => {
    await page.goto(`${t.gh.urls.admin}/console/jobs`);
    await page.waitForURL(/\/oauth\//);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    await page.getByText('No job is running.').waitFor();

    // Several seconds of applying (creates are written 200 to a statement), so the bar is seen rising.
    const policies = Array.from({ length: ITEMS }, (_, i) => ({ name: `ui-${i}`, rateLimits: [{ window: 'minute', limit: 1 + i }] }));
    const started = await call(t.api, t.adminToken, 'POST', '/config/apply', { document: { policies } }, { prefer: 'respond-async' });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    // The page asks every few seconds while nothing runs: a reload shows the new job at once.
    await page.reload();

    const bar = page.getByRole('progressbar', { name: `${id} progress` });
    const values: number[] = [];
    await expect
      .poll(
        async () => {
          if ((await bar.count()) > 0) values.push(Number(await bar.getAttribute('value')));
          return new Set(values.filter((v) => v > 0 && v < ITEMS)).size;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const shot = screenshotPath('jobs');
    if (shot) await page.screenshot({ path: shot });
    // 35–55 s alone on a 2-core machine; over 150 s once while the suite's other worker ran beside it (29 Nov 2026).
    await page.getByRole('row').filter({ hasText: id }).getByTestId('job-state').getByText('succeeded').waitFor({ timeout: 240_000 });
    await page.getByText('No job is running.').waitFor();
  });
});
