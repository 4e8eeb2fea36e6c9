import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launch } from '../browser/browser.js';
import { freePort } from '../support/free-port.js';

// The README's first command, typed into a fresh clone on a machine whose `node` is 20: `npm
// install` must bring the pinned Node itself (scripts/node-bootstrap.mjs), build, and `npm start`
// must serve the demo whose printed curl line answers 200 and whose printed login signs in to the
// printed console URL. The pinned Node's cache and the npm
// cache are the user's own, reused, so only a first run on a machine downloads anything.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pins = JSON.parse(readFileSync(join(root, 'scripts', 'node-pins.json'), 'utf8')) as { lts: string };
const README_COMMAND = 'npm install && npm start';
const OLD_NODE = '/usr/bin/node';
const oldNodeVersion = existsSync(OLD_NODE) ? execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim() : '';
const unsupported = /^v(1\d|20|21)\./.test(oldNodeVersion);
if (!unsupported) console.log(`first-command: skipped, no Node older than 22 at ${OLD_NODE} (found ${oldNodeVersion || 'none'})`);

/**
 * A folder for the clone that no ancestor's `node_modules` overshadows: npm puts every ancestor's
 * `node_modules/.bin` on a script's PATH, so a stray Node there would stand in for the pinned one.
 */
function cloneBase(): string | undefined {
  const heldByAncestor = (dir: string): boolean => {
    for (let d = dir; ; d = dirname(d)) {
      if (existsSync(join(d, 'node_modules'))) return true;
      if (d === parse(d).root) return false;
    }
  };
  return [tmpdir(), '/var/tmp', homedir()].find((d) => existsSync(d) && !heldByAncestor(d));
}
const base = cloneBase();
if (unsupported && !base) console.log('first-command: skipped, every candidate folder for the clone lies under a node_modules');

/** The environment of a shell on that machine: no npm lifecycle variables, no Node 24 on PATH. */
function stockEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_|INIT_CWD|VITEST|GATEHOUSE_)/i.test(k)) env[k] = v;
  env.PATH = '/usr/bin:/bin';
  // Bounded: what the npm cache already has is not fetched again.
  env.npm_config_prefer_offline = 'true';
  env.GATEHOUSE_PORT = String(port);
  return env;
}

describe.skipIf(!unsupported || !base)('npm install && npm start in a fresh clone, with Node 20 as `node`', () => {
  const dir = mkdtempSync(join(base ?? tmpdir(), 'gatehouse-first-'));
  let child: ChildProcess | undefined;
  // The clone holds a full node_modules: removing it takes more than the default hook limit on a loaded machine.
  afterAll(async () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }, 600_000);

  it('prints a curl line that answers 200, on the pinned Node', { timeout: 900_000 }, async () => {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, join(dir, 'gatehouse')]);
    const checkout = join(dir, 'gatehouse');
    const port = await freePort();
    const env = stockEnv(port);
    const proc = spawn('sh', ['-c', README_COMMAND], { cwd: checkout, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    const curl = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output += chunk;
        const m = output.match(/curl -H '([^:']+): ([^']+)' (http:\/\/\S+)/);
        if (m) resolve(m);
      };
      proc.stdout?.on('data', look);
      proc.stderr?.on('data', look);
      proc.on('exit', (code) => reject(new Error(`"${README_COMMAND}" ended (${code}) before the curl line:\n${output.slice(-4000)}`)));
      // A generous start-up limit (install, build, start), not a measurement.
      setTimeout(() => reject(new Error(`no curl line after 12 minutes:\n${output.slice(-4000)}`)), 720_000).unref();
    });
    expect(output).toContain(`use Node ${pins.lts}`);
    const [, header = '', value = '', url = ''] = curl;
    expect(new URL(url).port).toBe(String(port));
    const res = await fetch(url, { headers: { [header]: value } });
    expect(res.status).toBe(200);
    expect(await res.json()).toBeTruthy();
    // The printed first login signs in to the printed console URL, in Chromium, as a newcomer would.
    const consoleUrl = /Console:\s+(http:\/\/\S+)/.exec(output)?.[1];
    const password = /password: (\S+)/.exec(output)?.[1];
    expect(consoleUrl).toBe(`http://127.0.0.1:${port}/console`);
    expect(password).toBeDefined();
    if (chromiumAvailable()) {
      const browser = await launch();
      try {
        const page = await browser.newPage();
        await page.goto(consoleUrl!);
        await page.getByLabel('Username').fill('admin');
        await page.getByLabel('Password').fill(password!);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 60_000 });
      } finally {
        await browser.close();
      }
    }
    // npm scripts and npx in the clone run the pinned Node, not the machine's.
    const viaNpx = execFileSync('npm', ['exec', '--', 'node', '--version'], { cwd: checkout, env, encoding: 'utf8' }).trim();
    expect(viaNpx).toBe(`v${pins.lts}`);
    if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
    await new Promise((resolve) => proc.once('exit', resolve));
  });
});
