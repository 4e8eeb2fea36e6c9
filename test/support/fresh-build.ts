import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Vitest global setup: some tests run the compiled gateway (the `gatehouse` binary, the console
// bundle), so a run rebuilds dist/ first when any source is newer than it; `vitest` alone then
// never tests a stale build. The check is a walk of mtimes (a few ms); `npm test` has just built.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What the build reads, besides the lockfile: TypeScript sources (not tests) and the console. */
const SOURCES = ['src', 'console/src', 'console/scripts'];
const SOURCE_FILES = ['console/index.html', 'console/vite.config.ts', 'console/tsconfig.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** Written by the build's first and last steps (tsc rewrites every output; vite empties its folder first). */
const OUTPUTS = ['dist/cli/main.js', 'dist/console/index.html'];

function mtime(path: string): number {
  try {
    return statSync(join(ROOT, path)).mtimeMs;
  } catch {
    return Number.NaN;
  }
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is missing or older than a source it is built from. */
export function buildIsStale(): boolean {
  const built = Math.min(...OUTPUTS.map(mtime));
  if (Number.isNaN(built)) return true;
  const newest = Math.max(...SOURCES.map(newestSource), ...SOURCE_FILES.map((f) => mtime(f) || 0));
  return newest > built;
}

export default function setup(): void {
  if (!buildIsStale()) return;
  console.log('dist/ is older than the sources: npm run build');
  const run = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`npm run build failed (exit ${run.status ?? run.signal})`);
}
