import { describe, expect, it } from 'vitest';
import { isTwinResult, JsonText } from './json-text.js';

describe('JsonText', () => {
  it('is a text block with the JSON of its value to anything that reads it as one (the SDK path, JSON.stringify, a spread)', () => {
    const value = { a: 'x"y', b: [1, { c: null }] };
    const block = new JsonText(value);
    expect(JSON.parse(JSON.stringify(block))).toEqual({ type: 'text', text: JSON.stringify(value) });
    expect({ ...block }).toEqual({ type: 'text', text: JSON.stringify(value) });
    expect(Object.keys(block)).toEqual(['type', 'text']);
  });

  it('marks a result as a twin only when its one block is the JSON of its structured content', () => {
    const value = { a: 1 };
    expect(isTwinResult({ content: [new JsonText(value)], structuredContent: value })).toBe(true);
    expect(isTwinResult({ content: [new JsonText({ a: 1 })], structuredContent: value })).toBe(false);
    expect(isTwinResult({ content: [new JsonText(value), { type: 'text', text: 'more' }], structuredContent: value })).toBe(false);
    expect(isTwinResult({ content: [{ type: 'text', text: '{"a":1}' }], structuredContent: value })).toBe(false);
  });
});
