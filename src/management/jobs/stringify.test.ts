import { describe, expect, it } from 'vitest';
import { stringifyInSlices } from './stringify.js';

describe('stringifyInSlices', () => {
  it('gives what JSON.stringify gives, long lists included', async () => {
    const changes = Array.from({ length: 5_123 }, (_, i) => ({ action: 'create', name: `p-${i}`, fields: [{ field: 'limit', after: i }], gone: undefined }));
    for (const value of [{ changes, summary: { create: 5_123 } }, {}, { a: undefined, b: [1, undefined] }, null, 'x', [1, 2], { only: [] }]) {
      expect(await stringifyInSlices(value)).toBe(JSON.stringify(value ?? null));
    }
  });
});
