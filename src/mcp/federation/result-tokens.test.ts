import { describe, expect, it } from 'vitest';
import { capResultTokens, TOKEN_CUT_META_KEY } from './result-tokens.js';

describe('capResultTokens', () => {
  it('passes a result within the cap untouched', async () => {
    const result = { content: [{ type: 'text' as const, text: 'short answer' }], structuredContent: { a: 1 } };
    expect(await capResultTokens(result, 100)).toBe(result);
  });

  it('cuts text past the cap, says how much there was and to narrow the request, and drops structured content too large on its own', async () => {
    const long = Array.from({ length: 500 }, (_, i) => `item-${i}`).join(', ');
    const cut = await capResultTokens({ content: [{ type: 'text', text: long }], structuredContent: { items: long } }, 100);
    const texts = (cut.content as Array<{ text: string }>).map((p) => p.text);
    expect(texts[0]!.length).toBeLessThan(long.length);
    expect(long.startsWith(texts[0]!)).toBe(true);
    expect(texts[1]).toMatch(/^\[result cut at 100 tokens by Gatehouse \(\d+ o200k_base tokens of text in all\); narrow the request/);
    expect(cut.structuredContent).toBeUndefined();
    expect(cut._meta?.[TOKEN_CUT_META_KEY]).toBe(true);
  });

  it('keeps non-text parts', async () => {
    const image = { type: 'image' as const, data: 'AAAA', mimeType: 'image/png' };
    const cut = await capResultTokens({ content: [image, { type: 'text', text: 'word '.repeat(1_000) }] }, 100);
    expect(cut.content[0]).toEqual(image);
  });
});
