import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamRegistry, type UpstreamSet } from './targets.js';

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => res.end('ok'), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function call(set: UpstreamSet, path = '/'): Promise<number> {
  const res = await set.pick(Date.now()).pool.request({ path, method: 'GET' });
  await res.body.text();
  return res.statusCode;
}

describe('UpstreamRegistry pools', () => {
  it('keeps the open pools bounded while a proxy’s connect timeout is edited 50 times under calls, and no call fails', async () => {
    const registry = new UpstreamRegistry({ idleCloseMs: 20 });
    const statuses: number[] = [];
    let most = 0;
    for (let edit = 0; edit < 50; edit++) {
      // Each edit compiles a proxy with a new connect timeout: a new pool key.
      const set = registry.setForUrls([url], 1_000 + edit, null);
      const calls = Array.from({ length: 5 }, () => call(set));
      most = Math.max(most, registry.openPools());
      statuses.push(...(await Promise.all(calls)));
      await sleep(10);
    }
    expect(statuses).toHaveLength(250);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Only pools taken within the last two sweep periods stay open, not one per edit.
    expect(most).toBeLessThanOrEqual(6);
    await sleep(80);
    expect(registry.openPools()).toBe(0);
    await registry.close();
  });

  it('lets a call in flight on an abandoned pool finish, and reopens a swept pool for a set still in use', async () => {
    const registry = new UpstreamRegistry({ idleCloseMs: 20 });
    const old = registry.setForUrls([url], 1_000, null);
    const slow = call(old, '/?delay=150');
    registry.setForUrls([url], 2_000, null);
    await sleep(100);
    // The slow call keeps its pool open through several sweeps; the unused new pool is closed.
    expect(registry.openPools()).toBe(1);
    expect(await slow).toBe(200);
    await sleep(80);
    expect(registry.openPools()).toBe(0);
    expect(await call(old)).toBe(200);
    expect(registry.openPools()).toBe(1);
    await registry.close();
  });
});
