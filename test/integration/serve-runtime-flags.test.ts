import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';

/** The command line and environment the kernel holds for a running process (Linux). */
function running(pid: number): { argv: string[]; env: Map<string, string> } {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]);
  return { argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'), env: new Map(env) };
}

describe.skipIf(process.platform !== 'linux' || typeof process.execve !== 'function')('gatehouse serve runtime settings', { timeout: 60_000 }, () => {
  let child: ChildProcess | undefined;
  const dirs: string[] = [];
  afterEach(() => {
    child?.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const serve = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-flags-'));
    dirs.push(dataDir);
    const started = await spawnServe(['--port', '0'], { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_PASSWORD: 'runtime-flags-password', ...env });
    child = started.child;
    const res = await fetch(`${started.summary.urls.proxy}/readyz`);
    expect(res.status).toBe(200);
    return running(started.child.pid!);
  };

  it('re-executes itself in place (same pid) with the semi-space cap, the old generation growth, no Maglev and two malloc arenas', async () => {
    const { argv, env } = await serve({});
    expect(argv).toContain('--max-semi-space-size=8');
    expect(argv).toContain('--heap-growing-percent=50');
    expect(argv).toContain('--no-maglev');
    expect(argv).toContain('serve');
    expect(env.get('MALLOC_ARENA_MAX')).toBe('2');
    // /proc holds the environment the process image started with: the marker shows it came through execve.
    expect(env.get('GATEHOUSE_NODE_FLAGS_APPLIED')).toBe('1');
  });

  it("keeps the operator's NODE_OPTIONS and environment, and stays as started with GATEHOUSE_NODE_FLAGS=off", async () => {
    const own = await serve({ NODE_OPTIONS: '--max-semi-space-size=4', MALLOC_ARENA_MAX: '4' });
    expect(own.argv).not.toContain('--max-semi-space-size=8');
    expect(own.env.get('MALLOC_ARENA_MAX')).toBe('4');
    child?.kill('SIGKILL');
    const off = await serve({ GATEHOUSE_NODE_FLAGS: 'off' });
    expect(off.argv).not.toContain('--max-semi-space-size=8');
    expect(off.argv).not.toContain('--heap-growing-percent=50');
    expect(off.argv).not.toContain('--no-maglev');
    expect(off.env.has('MALLOC_ARENA_MAX')).toBe(false);
  });
});
