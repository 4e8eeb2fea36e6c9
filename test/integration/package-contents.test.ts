import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));

/** What `npm pack` would put in the tarball (dist/ as the build left it; the run's global setup rebuilt it if stale). */
async function packedFiles(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

describe('the npm package', () => {
  it('is an application: a bin, no library entry points', () => {
    expect(pkg.main).toBeUndefined();
    expect(pkg.exports).toBeUndefined();
    expect(pkg.bin).toEqual({ gatehouse: 'dist/cli/main.js' });
  });

  it('packs the build, the README and the Node bootstrap its install runs only: no sources, tests, data or compiled tests, and no stale output', async () => {
    const files = await packedFiles();
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/console/index.html');
    // The preinstall step (scripts/node-bootstrap.mjs) brings a supported Node where the machine's is older.
    const bootstrap = ['scripts/node-bootstrap.mjs', 'scripts/node-pins.json'];
    expect(files.filter((f) => !f.startsWith('dist/') && f !== 'package.json' && f !== 'README.md' && !bootstrap.includes(f))).toEqual([]);
    expect(files.filter((f) => /\.test\.js(\.map)?$/.test(f))).toEqual([]);
    // Every compiled module still has its source: a file removed from src/ must not ship from an old build.
    const orphans = files
      .filter((f) => /^dist\/(?!console\/).*\.js$/.test(f))
      .filter((f) => !existsSync(`${ROOT}src/${f.slice('dist/'.length, -'.js'.length)}.ts`));
    expect(orphans).toEqual([]);
  });
});
