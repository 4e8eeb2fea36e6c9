import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../core/index.js';
import { createDispatcher, type Mounts } from '../http/dispatcher.js';
import { RefusalLog } from './refusal-log.js';

describe('refusals while starting', () => {
  it('are logged for the consumer surfaces only, held until the log opens, at most 1,000 of them', async () => {
    const log = new RefusalLog();
    const mounts: Mounts = { ready: false, health: (_req, res) => res.end(), refused: (...args) => log.record(...args) };
    const server = createServer(createDispatcher({ admin: true, proxy: true }, mounts));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/orders/1', '/mcp', '/mcp/v/tools', '/admin/api/v1/proxies', '/oauth/token', '/console']) {
        const res = await fetch(`${base}${path}`, { headers: { 'x-request-id': `req-${path}` } });
        expect(res.status, path).toBe(503);
        await res.body?.cancel();
      }
      for (let i = 0; i < 1_000; i++) log.record(...fakeRefusal());
      const written: RequestRecord[] = [];
      const dropped = log.open({ record: (e) => written.push(e), flush: async () => {}, close: async () => {} });
      expect(dropped).toBe(3);
      expect(written).toHaveLength(1_000);
      expect(written.slice(0, 3).map((e) => [e.path, e.channel, e.requestId, e.status, e.errorCode])).toEqual([
        ['/orders/1', 'rest', 'req-/orders/1', 503, 'GATEHOUSE_NOT_READY'],
        ['/mcp', 'mcp', 'req-/mcp', 503, 'GATEHOUSE_NOT_READY'],
        ['/mcp/v/tools', 'federation', 'req-/mcp/v/tools', 503, 'GATEHOUSE_NOT_READY'],
      ]);
      // Once open, a refusal is written at once.
      await (await fetch(`${base}/orders/2`)).body?.cancel();
      expect(written.at(-1)).toMatchObject({ path: '/orders/2', status: 503 });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

function fakeRefusal(): Parameters<RefusalLog['record']> {
  const req = { method: 'GET', headers: {}, socket: { remoteAddress: '127.0.0.1' } };
  const res = { statusCode: 503, getHeader: () => undefined };
  return [req as never, res as never, 'rest', '/filler', 'filler', Date.now()];
}
