import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Mounts } from './dispatcher.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(mounts: Mounts): Promise<string> {
  const server = createServer(createDispatcher({ admin: true, proxy: true }, mounts));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('calls that reach a starting cluster worker', () => {
  it('wait for its start and are served, body and all, instead of a 503', async () => {
    const start = deferred();
    const mounts: Mounts = { ready: false, health: (_req, res) => res.end('ok'), starting: start.promise };
    const base = await serve(mounts);
    const pending = fetch(`${base}/orders`, { method: 'POST', body: '{"qty":2}', headers: { 'content-type': 'application/json' } });
    // Health answers at once while calls wait.
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    mounts.proxy = (req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => res.end(`served ${req.method} ${req.url} ${body}`));
    };
    mounts.ready = true;
    start.resolve();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('served POST /orders {"qty":2}');
  });

  it('get GATEHOUSE_NOT_READY when the worker stops waiting without getting ready', async () => {
    const start = deferred();
    const mounts: Mounts = { ready: false, health: (_req, res) => res.end(), starting: start.promise };
    const base = await serve(mounts);
    const pending = fetch(`${base}/orders`);
    mounts.starting = undefined;
    start.resolve();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_NOT_READY');
  });

  it('are refused at once by a single node (no hold), so its load balancer moves on', async () => {
    const base = await serve({ ready: false, health: (_req, res) => res.end() });
    const res = await fetch(`${base}/orders`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    await res.body?.cancel();
  });
});
