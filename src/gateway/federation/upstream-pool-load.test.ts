import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startStatefulUpstream, type TestUpstream } from '../../../test/support/mcp-upstream.js';
import type { UpstreamTarget } from '../../core/index.js';
import { withOwnSignal } from './own-signal.js';
import { UpstreamPool } from './upstream-pool.js';

/** Many concurrent calls on one pooled session, on both paths: no listener piles up on a long-lived signal. */

let upstream: TestUpstream;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

beforeAll(async () => {
  upstream = await startStatefulUpstream('load', (s) => {
    s.registerTool('plain', { description: 'lean path', inputSchema: z.object({ n: z.number() }) }, async ({ n }) => ({
      content: [{ type: 'text', text: String(n) }],
    }));
    s.registerTool(
      'typed',
      { description: 'SDK path', inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }) },
      async ({ n }) => ({
        content: [{ type: 'text', text: String(n) }],
        structuredContent: { n },
      }),
    );
  });
  process.on('warning', onWarning);
});

afterAll(async () => {
  process.off('warning', onWarning);
  await upstream?.close();
});

describe('the pool under 20-way load', () => {
  it('answers every call on both paths without a MaxListenersExceededWarning', async () => {
    const pool = new UpstreamPool();
    const target: UpstreamTarget = {
      id: 'load',
      version: 1,
      name: 'load',
      url: upstream.url,
      timeoutMs: 10_000,
      maxResultChars: 10_000,
      headers: {},
      definitionsTtlMs: 60_000,
      allowPrivateNetwork: true,
    };
    await pool.listTools(target);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.callTool(target, i % 2 ? 'typed' : 'plain', { n: i })));
      expect(results.map((r) => (r.content[0] as { text: string }).text)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    }
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  }, 30_000);
});

describe('withOwnSignal', () => {
  it('leaves no abort listener on a long-lived signal shared by concurrent requests, and still aborts them with it', async () => {
    const server = createServer((_req, res) => setTimeout(() => res.end('ok'), 100));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const send = withOwnSignal(fetch);
    const shared = new AbortController();
    try {
      const inFlight = Array.from({ length: 30 }, () => send(url, { signal: shared.signal }).then((r) => r.text()));
      expect(EventEmitter.getEventListeners(shared.signal, 'abort')).toHaveLength(0);
      expect(await Promise.all(inFlight)).toEqual(Array(30).fill('ok'));
      const aborted = send(url, { signal: shared.signal });
      shared.abort();
      await expect(aborted).rejects.toThrow();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
