// Times the console's overview over the metrics of 5,000,000 calls, in Debian's Chromium.
// Build first (`npm run build`), fill a data directory with the metrics bench, then point this at it:
//   BENCH_DIR=/tmp/gh5m node bench/metrics-queries.mjs && BENCH_DIR=/tmp/gh5m node bench/console-overview.mjs
// Measures, per time range, from the click (or the range change) to the numbers and both charts on
// screen, on loopback. Not a test; CI does not run it.
import { chromium } from 'playwright-core';
import { startGatehouse } from '../dist/node/index.js';

const dir = process.env.BENCH_DIR;
if (!dir) throw new Error('BENCH_DIR: a data directory filled by bench/metrics-queries.mjs');
const password = 'bench-password-0123';
const gh = await startGatehouse({ port: 0, dataDir: dir, adminPassword: password, logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.goto(`${gh.urls.admin}/console`);
  await page.waitForURL(/\/oauth\//);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();

  const total = page.getByTestId('total-requests');
  /** Waits until the calls figure is a number other than `before`, and both charts are drawn. */
  async function rendered(before) {
    await page.waitForFunction(
      (prev) => {
        const text = document.querySelector('[data-testid="total-requests"]')?.textContent ?? '';
        return /^[\d,.\s]+$/.test(text) && text !== prev && document.querySelectorAll('.chart canvas').length >= 2;
      },
      before,
      { timeout: 30_000, polling: 'raf' },
    );
    return total.textContent();
  }
  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  const RUNS = 5;
  for (const range of ['1h', '24h', '7d']) {
    const times = [];
    let calls = '';
    for (let i = 0; i < RUNS; i++) {
      await nav('Request logs');
      await page.getByRole('heading', { name: 'Request logs' }).waitFor();
      const t0 = performance.now();
      await nav('Overview');
      if (range === '1h') calls = await rendered('—');
      else {
        const first = await rendered('—');
        const t1 = performance.now();
        await page.getByLabel('Time range').selectOption(range);
        calls = await rendered(first);
        // A range change is the click that matters here: time it alone.
        times.push(performance.now() - t1);
        continue;
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`overview, last ${range.padEnd(3)}: median ${times[Math.floor(RUNS / 2)].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms (${calls} calls)`);
  }
} finally {
  await browser.close();
  await gh.close();
}
