import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../core/index.js';
import { StdioSupervisor } from './stdio-supervisor.js';

const quiet = { info: () => undefined, warn: () => undefined };

function target(command: string, timeoutMs = 100): UpstreamTarget {
  return {
    id: 'mcs_probe',
    version: 1,
    name: 'probe',
    url: 'stdio:probe',
    timeoutMs,
    maxResultChars: 1_000,
    definitionsTtlMs: 0,
    headers: {},
    stdio: { command, args: [], env: {}, secrets: [] },
  };
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'connected',
    (err: { code?: string; message: string }) => err.code ?? err.message,
  );

describe('the stdio supervisor', () => {
  it('refuses every use while stdio upstreams are off', async () => {
    const off = new StdioSupervisor({ enabled: false, log: quiet });
    expect(await codeOf(off.attach(target(process.execPath)).ready)).toBe('GATEHOUSE_MCP_STDIO_DISABLED');
    expect(off.status('mcs_probe')).toBeUndefined();
  });

  it('starts a failing program again only after an exponential backoff, and fails at once a call that cannot wait that long', async () => {
    let clock = 1_000_000;
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, now: () => clock, backoff: { initialMs: 250, maxMs: 1_000 } });
    const missing = target('/nonexistent/mcp-server');
    expect(await codeOf(supervisor.attach(missing).ready)).toMatch(/ENOENT/);
    expect(supervisor.status('mcs_probe')).toMatchObject({ running: false, restarts: 0, lastExit: { reason: expect.stringContaining('it failed to start') } });
    // 250 ms to wait, the call has 100: refused now, saying when.
    const early = supervisor.attach(missing).ready;
    await expect(early).rejects.toMatchObject({
      code: 'GATEHOUSE_UPSTREAM_UNREACHABLE',
      message: expect.stringContaining('exited 1 times in a row; it is started again in 1 s'),
    });
    clock += 250;
    expect(await codeOf(supervisor.attach(missing).ready)).toMatch(/ENOENT/);
    expect(supervisor.status('mcs_probe')?.restarts).toBe(1);
    // Twice in a row: 500 ms (a wait within the call's 100 ms is waited); then 1 s, the cap.
    clock += 399;
    await expect(supervisor.attach(missing).ready).rejects.toMatchObject({ code: 'GATEHOUSE_UPSTREAM_UNREACHABLE' });
    clock += 50;
    expect(await codeOf(supervisor.attach(missing).ready)).toMatch(/ENOENT/);
    clock += 1_000;
    expect(await codeOf(supervisor.attach(missing).ready)).toMatch(/ENOENT/);
    clock += 1_000;
    expect(await codeOf(supervisor.attach(missing).ready)).toMatch(/ENOENT/);
    expect(supervisor.status('mcs_probe')?.restarts).toBe(4);
    // After the node shuts its children down, none starts again.
    await supervisor.close();
    expect(await codeOf(supervisor.attach(missing).ready)).toBe('GATEHOUSE_NOT_READY');
  });
});
