import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { chromiumAvailable, ensureConsoleBuilt, launch } from './browser.js';

/** The raw answer: undici's request() leaves Content-Encoding to the caller, unlike fetch. */
async function raw(url: string, acceptEncoding?: string) {
  const res = await request(url, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

describe('console files served compressed by Accept-Encoding', { timeout: 180_000 }, () => {
  let t: TestGatehouse;
  let base: string;
  let entry: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestGatehouse('sqlite');
    base = t.gh.urls.admin;
    const html = (await raw(`${base}/console`)).body.toString('utf8');
    entry = /src="(\/console\/assets\/index-[^"]+\.js)"/.exec(html)![1]!;
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('answers brotli, then gzip, with the same bytes, Vary, exact Content-Length and the caching headers kept', async () => {
    const plain = await raw(base + entry);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);

    const br = await raw(base + entry, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toContain('javascript');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await raw(base + entry, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);

    // A coding refused with q=0 is not sent; an unknown one alone means the file as it is.
    expect((await raw(base + entry, 'br;q=0, gzip;q=0.5')).headers['content-encoding']).toBe('gzip');
    expect((await raw(base + entry, 'zstd')).headers['content-encoding']).toBeUndefined();
  });

  it('compresses the page too, settings included, and keeps its headers', async () => {
    const plain = await raw(`${base}/console/logs`);
    const br = await raw(`${base}/console/logs`, 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['cache-control']).toBe('no-cache');
    expect(br.headers['content-security-policy']).toContain("script-src 'self'");
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(plain.body.toString('utf8')).toContain('<meta name="gatehouse-proxy-url"');
  });

  describe.skipIf(!chromiumAvailable())('in Chromium', () => {
    it('loads the entry chunk compressed and runs it', async () => {
      browser = await launch();
      const page = await browser.newPage();
      const entryResponse = page.waitForResponse((r) => r.url() === base + entry);
      await page.goto(`${base}/console`);
      const res = await entryResponse;
      expect(['br', 'gzip']).toContain((await res.allHeaders())['content-encoding']);
      // The decoded script ran: signed out, the console sends the browser to the login page.
      await page.waitForURL(/\/oauth\//, { timeout: 20_000 });
    });
  });
});
