import { describe, expect, it } from 'vitest';
import { capResult } from './tool-set.js';

describe('capResult', () => {
  it('cuts long text, saying so, and keeps structured content that fits the limit whole', () => {
    const result = capResult({ content: [{ type: 'text', text: 'x'.repeat(50) }], structuredContent: { temperature: 21, conditions: 'sunny' } }, 20);
    expect(result.content).toEqual([
      { type: 'text', text: 'x'.repeat(20) },
      { type: 'text', text: '[truncated by Gatehouse: 50 characters of text in all, 20 kept]' },
    ]);
    expect(result.structuredContent).toBeUndefined();
    const kept = capResult({ content: [{ type: 'text', text: 'x'.repeat(500) }], structuredContent: { temperature: 21 } }, 100);
    expect(kept.structuredContent).toEqual({ temperature: 21 });
    expect(kept._meta).toMatchObject({ 'gatehouse/truncated': true });
  });

  it('leaves a result within the limit as it is', () => {
    const result = { content: [{ type: 'text' as const, text: 'short' }], structuredContent: { a: 1 } };
    expect(capResult(result, 100)).toBe(result);
  });
});
