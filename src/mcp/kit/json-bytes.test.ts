import { describe, expect, it } from 'vitest';
import { escapedJsonBytes, jsonBytes } from './json-bytes.js';

const text = (bytes: { pieces(): Iterable<Buffer> }) => Buffer.concat([...bytes.pieces()]).toString('utf8');

// Strings longer than a 64 KB buffer, with surrogate pairs, quotes, backslashes and control characters across its boundaries.
const long = `${'é😀"\\\n\u2028'.repeat(20_000)}${'x'.repeat(70_000)}😀`;
const values: unknown[] = [
  { a: 1, b: [true, null, 'x', { c: [] }], d: {}, e: undefined, f: () => 1, g: -1.5e-7, h: 'lone \ud800 surrogate' },
  [1, undefined, () => 1, Symbol('s'), [[1], { k: 'v' }]],
  { when: new Date(0), nested: { when: new Date(1) } },
  { 'a "quoted" key': 1, clé: 'déjà', '\u0001': '\t', ['x'.repeat(40)]: 'y'.repeat(40), inherited: Object.create({ notOwn: 1 }) },
  { long, nested: [long, { long }] },
  'text',
  0,
  null,
  [],
  {},
];

describe('jsonBytes', () => {
  it('writes what JSON.stringify writes, as UTF-8', () => {
    for (const v of values) {
      const bytes = jsonBytes(v);
      expect(text(bytes)).toBe(JSON.stringify(v));
      expect(bytes.length).toBe(Buffer.byteLength(JSON.stringify(v)));
      bytes.release();
    }
  });

  it('escapes JSON text as JSON.stringify escapes it inside a string', () => {
    for (const v of values) {
      const json = jsonBytes(v);
      const escaped = escapedJsonBytes(json);
      expect(text(escaped)).toBe(JSON.stringify(JSON.stringify(v)).slice(1, -1));
      json.release();
      escaped.release();
    }
  });

  it('reuses released buffers without carrying their bytes into the next text', () => {
    const first = jsonBytes({ secret: 's'.repeat(200_000) });
    first.release();
    const second = jsonBytes({ short: 'x' });
    expect(text(second)).toBe('{"short":"x"}');
    expect(second.buffers).toHaveLength(1);
  });

  it('refuses a cycle, as JSON.stringify does', () => {
    const a: Record<string, unknown> = { b: { c: 1 } };
    (a.b as Record<string, unknown>).a = a;
    expect(() => jsonBytes(a)).toThrow(TypeError);
  });
});
