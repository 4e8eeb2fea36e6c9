#!/usr/bin/env node
// Runs first in `npm install` (the root `preinstall`), on whatever Node ran npm — 18 and 20 too, so
// plain JS with nothing but node: modules. When that Node is not a supported LTS, it brings the
// pinned release from the npm registry (package node-<platform>-<arch>), checks the integrity pinned
// in node-pins.json, keeps it in ~/.cache/gatehouse/node/<version> and links it as
// node_modules/.bin/node. npm puts node_modules/.bin first on PATH for every script and for npx, so
// `npm start`, `npm test`, `npx gatehouse` and `npm run bench` then run on the pinned Node.
//
// `node scripts/node-bootstrap.mjs --dir VERSION` only fetches VERSION into the cache and prints its
// folder (.ci/smoke-oldest.sh uses it for the oldest supported line).
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pins = JSON.parse(readFileSync(join(root, 'scripts', 'node-pins.json'), 'utf8'));
const cacheRoot = process.env.GATEHOUSE_NODE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gatehouse', 'node');

/** True when `version` (x.y.z) is a Node line Gatehouse supports: 22.19+, 24, 26 and later. */
export function isSupported(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return (major === 22 && minor >= 19) || major === 24 || major >= 26;
}

/** Run npm itself: the npm that runs this script when there is one, else `npm` on PATH. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli?.endsWith('.js') ? [process.execPath, [cli, ...args]] : ['npm', args];
  return execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The cached folder of Node `version`, fetched and integrity-checked first when it is not there yet. */
export function ensureNode(version) {
  const platform = `${process.platform}-${process.arch}`;
  const integrity = pins.integrity[version]?.[platform];
  if (!integrity) {
    throw new Error(`no pinned Node ${version} for ${platform}: install Node 22.19+, 24 or 26 yourself (https://nodejs.org), then run npm install again`);
  }
  const dir = join(cacheRoot, version);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin) && execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`) return dir;
  mkdirSync(cacheRoot, { recursive: true });
  const tmp = mkdtempSync(join(cacheRoot, '.fetch-'));
  try {
    console.error(`gatehouse: fetching Node ${version} (node-${platform}) from the npm registry…`);
    const [packed] = JSON.parse(npm(['pack', `node-${platform}@${version}`, '--json', '--silent'], tmp));
    if (packed.integrity !== integrity) {
      throw new Error(`node-${platform}@${version} has integrity ${packed.integrity}, expected ${integrity}`);
    }
    mkdirSync(join(tmp, 'node'));
    execFileSync('tar', ['xzf', join(tmp, packed.filename), '-C', join(tmp, 'node'), '--strip-components=1']);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(tmp, 'node'), dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Link the pinned Node as node_modules/.bin/node, replacing a link left by an earlier run. */
function linkNode(dir) {
  const binDir = join(root, 'node_modules', '.bin');
  const link = join(binDir, 'node');
  mkdirSync(binDir, { recursive: true });
  try {
    if (lstatSync(link)) unlinkSync(link);
  } catch {}
  symlinkSync(join(dir, 'bin', 'node'), link);
}

function main(argv) {
  if (argv[0] === '--dir') {
    console.log(ensureNode(argv[1] ?? pins.lts));
    return;
  }
  if (isSupported(process.version)) return;
  const dir = ensureNode(pins.lts);
  linkNode(dir);
  console.error(
    `gatehouse: this machine's Node is ${process.version}, not a supported LTS (22.19+, 24, 26); npm scripts and npx in this folder use Node ${pins.lts} from ${dir}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`gatehouse: ${error.message}`);
    process.exit(1);
  }
}
