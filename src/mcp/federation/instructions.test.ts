import { describe, expect, it } from 'vitest';
import { composeInstructions } from './instructions.js';

describe('composed instructions', () => {
  it("pass one upstream's on as given, and label each of several", () => {
    expect(composeInstructions([{ name: 'a', prefix: 'a__', instructions: 'Use a.' }])).toBe('Use a.');
    const both = composeInstructions([
      { name: 'a', prefix: 'a__', instructions: 'Use a.' },
      { name: 'b', prefix: 'b__', instructions: undefined },
      { name: 'c', prefix: 'c__', instructions: 'Use c.' },
    ]);
    expect(both).toContain('## From the upstream MCP server "a" (its tools and prompts are prefixed a__)\n\nUse a.');
    expect(both).toContain('## From the upstream MCP server "c" (its tools and prompts are prefixed c__)\n\nUse c.');
    expect(both).not.toContain('"b"');
    expect(composeInstructions([{ name: 'a', prefix: 'a__', instructions: ' ' }])).toBeUndefined();
  });

  it('cut what is too long, saying so', () => {
    const long = composeInstructions([{ name: 'a', prefix: 'a__', instructions: 'x'.repeat(9_000) }]) ?? '';
    expect(long.length).toBeLessThan(8_100);
    expect(long).toContain('[cut by Gatehouse: 9000 characters in all]');
  });
});
