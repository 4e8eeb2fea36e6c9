import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (it runs before any dependency is installed), no types
import { isSupported } from '../../scripts/node-bootstrap.mjs';

// npm install's preinstall (scripts/node-bootstrap.mjs) on a machine that already has a supported
// LTS changes nothing and fetches nothing; on an unsupported Node whose pinned release is already
// in the cache, it links that release and fetches nothing either. Run in a copy of the two script
// files with an empty cache and an npm that cannot run: any fetch would fail the run.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pins = JSON.parse(readFileSync(join(root, 'scripts', 'node-pins.json'), 'utf8')) as { lts: string };
const OLD_NODE = '/usr/bin/node';
const oldNodeVersion = existsSync(OLD_NODE) ? execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim() : '';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A checkout holding only the bootstrap and its pins, and an empty Node cache beside it. */
function checkout(): { dir: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bootstrap-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'repo', 'scripts'), { recursive: true });
  for (const f of ['node-bootstrap.mjs', 'node-pins.json']) copyFileSync(join(root, 'scripts', f), join(dir, 'repo', 'scripts', f));
  mkdirSync(join(dir, 'cache'));
  return { dir: join(dir, 'repo'), cache: join(dir, 'cache') };
}

/** Run the bootstrap as npm's preinstall would, with `node` and an npm that fails if asked for anything. */
function preinstall(node: string, repo: string, cache: string) {
  return spawnSync(node, [join(repo, 'scripts', 'node-bootstrap.mjs')], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: '/nonexistent', HOME: repo, GATEHOUSE_NODE_CACHE: cache, npm_execpath: join(repo, 'no-npm.js') },
  });
}

describe('the Node bootstrap of npm install', () => {
  it('knows the supported LTS lines: 22 from 22.19, 24, 26 and later', () => {
    for (const v of ['v22.19.0', 'v22.23.3', 'v24.0.0', 'v24.21.0', 'v26.1.0', 'v28.0.0']) expect(isSupported(v), v).toBe(true);
    for (const v of ['v18.20.8', 'v20.20.2', 'v21.7.3', 'v22.18.0', 'v23.11.1', 'v25.2.0']) expect(isSupported(v), v).toBe(false);
  });

  it('on a supported LTS (this Node), downloads nothing and links nothing', () => {
    expect(isSupported(process.version)).toBe(true);
    const { dir, cache } = checkout();
    const run = preinstall(process.execPath, dir, cache);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(readdirSync(cache)).toEqual([]);
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
  });

  // Needs an old Node to run the bootstrap on, and this test's own Node to be the pinned release.
  it.skipIf(!/^v(1\d|20|21)\./.test(oldNodeVersion) || process.version !== `v${pins.lts}`)(
    'on Node 20 with the pinned release cached, links it without fetching',
    () => {
      const { dir, cache } = checkout();
      // The pinned release this machine already has (the test itself runs on it), as the cache holds it.
      const pinned = join(dirname(process.execPath), '..');
      symlinkSync(pinned, join(cache, pins.lts));
      const run = preinstall(OLD_NODE, dir, cache);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('fetching');
      expect(run.stderr).toContain(`use Node ${pins.lts}`);
      const link = join(dir, 'node_modules', '.bin', 'node');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(join(cache, pins.lts, 'bin', 'node'));
      expect(execFileSync(link, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${pins.lts}`);
    },
  );

  it.skipIf(!/^v(1\d|20|21)\./.test(oldNodeVersion))(
    'the gatehouse command run by Node 20 itself (npm link, node dist/cli/main.js) says which Node it needs',
    () => {
      const run = spawnSync(OLD_NODE, [join(root, 'dist', 'cli', 'main.js'), '--version'], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`gatehouse: Node ${oldNodeVersion} is not supported; Gatehouse runs on Node 22.19+, 24 or 26.`);
      expect(run.stderr).toContain('npx gatehouse');
      expect(run.stderr).not.toContain('SyntaxError');
    },
  );
});
