import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../../core/index.js';
import { settledLists, UNAVAILABLE_META, unavailableMeta } from './unavailable.js';

const a = { name: 'a' };
const b = { name: 'b' };

describe('settledLists', () => {
  it('keeps the lists that answered and names the upstreams that failed, with their code', async () => {
    const { lists, unavailable } = await settledLists([a, b], async (u) => {
      if (u === b) throw new GatehouseError('GATEHOUSE_UPSTREAM_UNREACHABLE', 'The upstream MCP server b could not be reached.');
      return ['tool'];
    });
    expect(lists).toEqual([{ upstream: a, list: ['tool'] }]);
    expect(unavailableMeta(unavailable)).toEqual({
      [UNAVAILABLE_META]: [{ upstream: 'b', error: 'GATEHOUSE_UPSTREAM_UNREACHABLE: The upstream MCP server b could not be reached.' }],
    });
  });

  it('fails with the first failure when every upstream fails, and says nothing when none does', async () => {
    const down = new GatehouseError('GATEHOUSE_UPSTREAM_TIMEOUT', 'too slow');
    await expect(settledLists([a, b], () => Promise.reject(down))).rejects.toBe(down);
    expect(unavailableMeta((await settledLists([a], async () => [])).unavailable)).toBeUndefined();
  });
});
