import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { call, startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** The request logs read back in one page: calls stop once this many were refused, so every one is on it. */
const LOG_PAGE = 500;

// A node answers 503 GATEHOUSE_NOT_READY between opening its port and having its pipeline; those calls
// failed for someone, so they belong in the request log like any other.
describe('calls refused while the node starts', () => {
  let t: TestGatehouse | undefined;
  afterAll(async () => {
    await t?.close();
  });

  it('are in the request log with their status, error code, request id and channel', async () => {
    const port = await freePort();
    let started = false;
    const starting = startTestGatehouse('sqlite', { port }).then((g) => {
      started = true;
      return g;
    });
    const refused: Array<{ requestId: string; channel: string }> = [];
    for (let i = 0; !started && refused.length < LOG_PAGE && i < 800; i++) {
      const requestId = `starting-${i}`;
      const mcp = i % 2 === 1;
      const res = await fetch(`http://127.0.0.1:${port}${mcp ? '/mcp' : '/starting/orders'}`, {
        method: mcp ? 'POST' : 'GET',
        headers: { 'x-request-id': requestId, ...(mcp ? { 'content-type': 'application/json' } : {}) },
        ...(mcp ? { body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' } : {}),
      }).catch(() => null);
      if (res?.status === 503) {
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GATEHOUSE_NOT_READY');
        refused.push({ requestId, channel: mcp ? 'mcp' : 'rest' });
      } else await res?.body?.cancel();
      if (!res) await new Promise((r) => setTimeout(r, 2));
    }
    t = await starting;
    console.log(`refused while starting: ${refused.length}`);
    // The window is the start-up itself (identity, data plane, admin app): always some calls long.
    expect(refused.length).toBeGreaterThan(0);

    const gateway = t;
    let logged: Array<{ requestId: string; channel: string; status: number; errorCode: string; method: string; path: string }> = [];
    for (let tries = 0; tries < 50 && logged.length < refused.length; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      const res = await call(gateway.api, gateway.adminToken, 'GET', `/request-logs?status=503&limit=${LOG_PAGE}`);
      expect(res.status).toBe(200);
      logged = res.body.items.filter((l: { requestId: string }) => l.requestId.startsWith('starting-'));
    }
    expect(logged.map((l) => ({ requestId: l.requestId, channel: l.channel })).sort((a, b) => a.requestId.localeCompare(b.requestId))).toEqual(
      [...refused].sort((a, b) => a.requestId.localeCompare(b.requestId)),
    );
    for (const l of logged) {
      expect(l).toMatchObject({ status: 503, errorCode: 'GATEHOUSE_NOT_READY' });
      expect(l.path).toBe(l.channel === 'mcp' ? '/mcp' : '/starting/orders');
    }
  });
});
