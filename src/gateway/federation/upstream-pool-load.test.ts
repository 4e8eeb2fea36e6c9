import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startStatefulUpstream, type TestUpstream } from '../../../test/support/mcp-upstream.js';
import type { UpstreamTarget } from '../../core/index.js';
import { UpstreamPool } from './upstream-pool.js';

/** Many concurrent calls on one pooled session, on both paths: no listener piles up on a long-lived signal. */

let upstream: TestUpstream;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

beforeAll(async () => {
  upstream = await startStatefulUpstream('load', (s) => {
    s.registerTool('plain', { description: 'lean path', inputSchema: z.object({ n: z.number() }) }, async ({ n }) => ({ content: [{ type: 'text', text: String(n) }] }));
    s.registerTool('typed', { description: 'SDK path', inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }) }, async ({ n }) => ({
      content: [{ type: 'text', text: String(n) }],
      structuredContent: { n },
    }));
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
    const target: UpstreamTarget = { id: 'load', version: 1, name: 'load', url: upstream.url, timeoutMs: 10_000, maxResultChars: 10_000, headers: {}, definitionsTtlMs: 60_000 };
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
