import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { loadedTokenizer } from '../../gateway/federation/index.js';
import type { ToolSet } from '../kit/endpoint.js';
import { withinBudget } from './context-budget.js';

const tools: Tool[] = Array.from({ length: 30 }, (_, i) => ({
  name: `tool-${i}`,
  description: `Does thing number ${i} to a record, with a long enough description to cost some tokens in a listing.`,
  inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
}));

function setOf(calls: string[]): ToolSet<null> {
  return {
    tools,
    listJson: JSON.stringify({ tools }),
    has: (name) => tools.some((t) => t.name === name),
    call: async (_s, name): Promise<CallToolResult> => {
      calls.push(name);
      return { content: [{ type: 'text', text: `called ${name}` }] };
    },
  };
}

describe('withinBudget', () => {
  // First in this file: nothing before it has loaded the encoding.
  it('leaves a server without a budget as it is, and never loads the tokenizer for it', async () => {
    const set = setOf([]);
    expect(await withinBudget({}, set, true, async () => set)).toBe(set);
    expect(loadedTokenizer()).toBeUndefined();
  });

  it('lists search mode over the budget, the tools under it', async () => {
    const set = setOf([]);
    const over = await withinBudget({ contextBudget: 100 }, set, true, async () => set);
    expect(over.tools.map((t) => t.name)).toEqual(['call_tool', 'describe_tool', 'search_tools']);
    expect(JSON.parse(over.listJson).tools).toHaveLength(3);
    const under = await withinBudget({ contextBudget: 1_000_000 }, set, true, async () => set);
    expect(under.tools).toBe(tools);
  });

  it('runs call_tool as the tool set’s own call of the named tool', async () => {
    const calls: string[] = [];
    const set = setOf(calls);
    // A call is built without a listing: search mode's tools are callable all the same.
    const budgeted = await withinBudget({ contextBudget: 100 }, set, false, async () => set);
    expect(budgeted.has('call_tool')).toBe(true);
    const result = await budgeted.call(null, 'call_tool', { name: 'tool-3', arguments: { id: 'x' } });
    expect(result.content).toEqual([{ type: 'text', text: 'called tool-3' }]);
    expect(calls).toEqual(['tool-3']);
    const hits = await budgeted.call(null, 'search_tools', { query: 'thing number 7' });
    expect((hits.structuredContent as { tools: Array<{ name: string }> }).tools[0]?.name).toBe('tool-7');
  });
});
