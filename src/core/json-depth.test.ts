import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan } from './json-depth.js';

describe('jsonNestsDeeperThan', () => {
  it('counts nesting of arrays and objects, on strings and on UTF-8 bytes', () => {
    const at = (n: number) => '{"a":['.repeat(n) + ']}'.repeat(n);
    for (const text of [at(5), Buffer.from(at(5))]) {
      expect(jsonNestsDeeperThan(text, 10)).toBe(false);
      expect(jsonNestsDeeperThan(text, 9)).toBe(true);
    }
    expect(jsonNestsDeeperThan('['.repeat(5000), 128)).toBe(true);
    expect(jsonNestsDeeperThan('[1,[2,[3]],{"b":{}}]', 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ s: '[[[[{{{{ \\" "[[[[', t: ['é', '"[[['] });
    expect(jsonNestsDeeperThan(text, 2)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(text), 2)).toBe(false);
    expect(jsonNestsDeeperThan(`["\\\\",[[[]]]]`, 3)).toBe(true);
  });
});
