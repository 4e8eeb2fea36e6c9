import { describe, expect, it } from 'vitest';
import { parseInSlices, stringifyInSlices } from './stringify.js';

describe('stringifyInSlices and parseInSlices', () => {
  const changes = Array.from({ length: 5_123 }, (_, i) => ({
    action: 'create',
    name: `p-${i}\nwith "a newline", ] and [`,
    fields: [{ field: 'limit', after: i }],
    gone: undefined,
  }));
  const values = [
    { changes, summary: { create: 5_123 } },
    { first: changes.slice(0, 2_001), between: { x: [1] }, second: changes.slice(0, 4_000), last: 'end' },
    {},
    { a: undefined, b: [1, undefined] },
    null,
    'x',
    [1, 2],
    { only: [] },
  ];

  it('writes the JSON JSON.stringify writes, give or take whitespace between a long list’s items', async () => {
    for (const value of values) {
      const text = await stringifyInSlices(value);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value ?? null)));
    }
    expect(await stringifyInSlices({ changes: changes.slice(0, 10) })).toBe(JSON.stringify({ changes: changes.slice(0, 10) }));
  });

  it('reads back what it wrote, a slice at a time, and what JSON.stringify wrote (results stored before)', async () => {
    for (const value of values) {
      const expected = JSON.parse(JSON.stringify(value ?? null));
      expect(await parseInSlices(await stringifyInSlices(value))).toEqual(expected);
      expect(await parseInSlices(JSON.stringify(value ?? null))).toEqual(expected);
    }
  });
});
