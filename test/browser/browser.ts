import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { CONSOLE_DIST } from '../../src/http/console-files.js';

export const CHROMIUM = '/usr/bin/chromium';

/** True when Debian's Chromium is here; under CI=true its absence is an error, elsewhere the tests skip with a line saying so. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is required under CI=true (.ci/run installs the chromium package)`);
  console.warn(`SKIP: ${CHROMIUM} not found; the console's browser tests are skipped (apt-get install chromium)`);
  return false;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** The console build (`npm run build` makes it; a bare `vitest run` builds it here when missing). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(join(CONSOLE_DIST, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../console/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

/** Gzipped size of the JavaScript a page names in its HTML (the entry and its preloads): what loads before anything renders. */
export function initialJsGzipBytes(): number {
  const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return files.reduce((sum, f) => sum + gzipSync(readFileSync(join(CONSOLE_DIST, f))).length, 0);
}

/** Where screenshots go: `docs/` when GATEHOUSE_SCREENSHOTS=1 (to refresh the README's pictures), else nowhere. */
export function screenshotPath(name: string): string | undefined {
  return process.env.GATEHOUSE_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/console-${name}.png`, import.meta.url)) : undefined;
}
