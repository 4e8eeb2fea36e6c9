import type { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../core/index.js';
import { StdioSupervisor } from './stdio-supervisor.js';
import { UpstreamPool } from './upstream-pool.js';

const PROBE = new URL('../../../test/support/stdio-probe-server.mjs', import.meta.url).pathname;

const quiet = { info: () => undefined, warn: () => undefined };

function target(command: string, timeoutMs = 100, args: string[] = []): UpstreamTarget {
  return {
    id: 'mcs_probe',
    version: 1,
    name: 'probe',
    url: 'stdio:probe',
    timeoutMs,
    maxResultChars: 1_000,
    definitionsTtlMs: 0,
    allowPrivateNetwork: false,
    headers: {},
    stdio: { command, args, env: {}, secrets: [] },
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

const pidOf = async (client: Client) => Number(((await client.callTool({ name: 'pid', arguments: {} })).content as { text: string }[])[0]?.text);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the stdio supervisor, on a child that hangs', () => {
  it('kills a child that stops answering (its event loop blocked), fails the calls under way saying why, and starts a new one', async () => {
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, liveness: { intervalMs: 60_000, timeoutMs: 300 } });
    const probe = target(process.execPath, 5_000, [PROBE]);
    try {
      const client = await supervisor.attach(probe).ready;
      const pid = await pidOf(client);
      // An answering child passes the check.
      expect(await supervisor.probe('mcs_probe')).toBe(true);
      const blocked = client.callTool({ name: 'block', arguments: {} }).catch((err: unknown) => err);
      const queued = client.callTool({ name: 'pid', arguments: {} }).catch((err: unknown) => err);
      // The block reaches the child before the ping does.
      await new Promise((r) => setTimeout(r, 200));
      expect(await supervisor.probe('mcs_probe')).toBe(false);
      for (const err of [await blocked, await queued]) {
        expect(supervisor.failureOf(probe, err)).toMatchObject({
          code: 'GATEHOUSE_MCP_UPSTREAM_ERROR',
          message:
            'The upstream MCP server probe ended before it answered (it stopped answering: no answer to a ping within 300 ms); it is started again at the next call.',
        });
      }
      expect(alive(pid)).toBe(false);
      expect(supervisor.status('mcs_probe')).toMatchObject({ running: false, lastExit: { reason: expect.stringContaining('stopped answering') } });
      const next = await pidOf(await supervisor.attach(probe).ready);
      expect(next).not.toBe(pid);
      expect(supervisor.status('mcs_probe')).toMatchObject({ running: true, pid: next, restarts: 1 });
    } finally {
      await supervisor.close();
    }
  }, 20_000);

  it('finds a stopped child (SIGSTOP) by its periodic ping while idle, and kills it', async () => {
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, liveness: { intervalMs: 200, timeoutMs: 200 } });
    try {
      const pid = await pidOf(await supervisor.attach(target(process.execPath, 5_000, [PROBE])).ready);
      process.kill(pid, 'SIGSTOP');
      for (let i = 0; i < 50 && supervisor.status('mcs_probe')?.running; i++) await new Promise((r) => setTimeout(r, 100));
      expect(supervisor.status('mcs_probe')).toMatchObject({ running: false, lastExit: { reason: expect.stringContaining('stopped answering') } });
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
    } finally {
      await supervisor.close();
    }
  }, 20_000);

  it('leaves a child that is still starting alone (a slow start is not a hang)', async () => {
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, liveness: { intervalMs: 60_000, timeoutMs: 100 } });
    const slow = target(process.execPath, 5_000, ['-e', `setTimeout(() => import(${JSON.stringify(PROBE)}), 1_000)`]);
    try {
      const { ready } = supervisor.attach(slow);
      await new Promise((r) => setTimeout(r, 200));
      expect(await supervisor.probe('mcs_probe')).toBe(true);
      const pid = await pidOf(await ready);
      expect(supervisor.status('mcs_probe')).toMatchObject({ running: true, pid, restarts: 0 });
    } finally {
      await supervisor.close();
    }
  }, 20_000);

  it('through the pool: a call that times out on a hung child has it checked and replaced; the next call succeeds', async () => {
    const supervisor = new StdioSupervisor({
      enabled: true,
      log: quiet,
      liveness: { intervalMs: 60_000, timeoutMs: 300 },
      backoff: { initialMs: 10, maxMs: 10 },
    });
    const pool = new UpstreamPool({ stdio: supervisor });
    // The call's time limit also covers the replacement child's start: on two loaded cores a second was once too little.
    const probe = target(process.execPath, 3_000, [PROBE]);
    const pid = async () => Number((((await pool.callTool(probe, 'pid', {})).content as { text: string }[])[0] as { text: string }).text);
    try {
      const first = await pid();
      await expect(pool.callTool(probe, 'block', {})).rejects.toMatchObject({ code: 'GATEHOUSE_UPSTREAM_TIMEOUT' });
      for (let i = 0; i < 50 && alive(first); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(first)).toBe(false);
      expect(await pid()).not.toBe(first);
    } finally {
      await pool.close();
      await supervisor.close();
    }
  }, 20_000);
});

/** A wrapper that runs the probe server as its own child, as `npx` or `uvx` run the server they fetched. */
const WRAPPER = [
  '-e',
  `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(PROBE)}], { stdio: 'inherit' }); c.on('exit', (code) => process.exit(code ?? 1));`,
];

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe('the stdio supervisor, on a program that runs the server as its child (a package runner)', () => {
  it('runs it in a process group of its own, and a hung server is killed with its runner', async () => {
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, liveness: { intervalMs: 60_000, timeoutMs: 300 } });
    try {
      const client = await supervisor.attach(target(process.execPath, 5_000, WRAPPER)).ready;
      const server = await pidOf(client);
      const runner = supervisor.status('mcs_probe')?.pid as number;
      expect(server).not.toBe(runner);
      const blocked = client.callTool({ name: 'block', arguments: {} }).catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 200));
      expect(await supervisor.probe('mcs_probe')).toBe(false);
      await blocked;
      // The grandchild got the signal too: it is what hung.
      expect(await until(() => !alive(server) && !alive(runner))).toBe(true);
    } finally {
      await supervisor.close();
    }
  }, 20_000);

  it('stops the server with its runner when the upstream is deleted, even one that ignores its stdin closing', async () => {
    const supervisor = new StdioSupervisor({ enabled: true, log: quiet, liveness: { intervalMs: 60_000, timeoutMs: 5_000 } });
    try {
      const client = await supervisor.attach(target(process.execPath, 5_000, WRAPPER)).ready;
      const server = await pidOf(client);
      const runner = supervisor.status('mcs_probe')?.pid as number;
      // A blocked server reads no stdin: only a signal ends it, and the runner was the only process signalled.
      void client.callTool({ name: 'block', arguments: {} }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      await supervisor.stop('mcs_probe', 'it was deleted');
      expect(await until(() => !alive(server) && !alive(runner), 3_000)).toBe(true);
      expect(supervisor.status('mcs_probe')).toMatchObject({ running: false, lastExit: { reason: 'it was deleted' } });
    } finally {
      await supervisor.close();
    }
  }, 20_000);
});
