import { describe, expect, it } from 'vitest';
import { hasLongList, jsonInSlices } from './json-slices.js';

async function text(value: Record<string, unknown>): Promise<string> {
  let out = '';
  for await (const chunk of jsonInSlices(value)) out += chunk;
  return out;
}

describe('jsonInSlices', () => {
  it('serializes exactly as JSON.stringify, long lists included', async () => {
    const changes = Array.from({ length: 5_001 }, (_, i) => ({ action: 'create', name: `p${i}`, fields: [{ field: 'x', after: i }], gone: undefined }));
    const value = { changes, summary: { create: 5_001 }, skipped: undefined, empty: [] };
    expect(hasLongList(value)).toBe(true);
    expect(await text(value)).toBe(JSON.stringify(value));
    expect(hasLongList({ changes: changes.slice(0, 10) })).toBe(false);
    expect(hasLongList([1, 2])).toBe(false);
    // One level down too: a finished job's result lists every change of its apply.
    const job = { id: 'job_1', state: 'succeeded', result: value, error: null };
    expect(hasLongList(job)).toBe(true);
    expect(await text(job)).toBe(JSON.stringify(job));
    expect(hasLongList({ deeper: { job } })).toBe(false);
  });

  it('lets timers run while a long list is serialized', async () => {
    const value = { items: Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'] })) };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const out = await text(value);
    clearInterval(ticker);
    expect(out.length).toBe(JSON.stringify(value).length);
    expect(ticks).toBeGreaterThan(2);
  });
});
