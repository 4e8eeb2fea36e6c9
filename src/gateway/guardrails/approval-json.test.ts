import { describe, expect, it } from 'vitest';
import { bodySha256 } from './approval-digest.js';
import { readJsonExactly } from './approval-json.js';

const digest = (text: string | Buffer) => {
  const raw = typeof text === 'string' ? Buffer.from(text) : text;
  return bodySha256(raw, readJsonExactly(raw));
};

describe('an approval reads a JSON body exactly as an upstream does', () => {
  it('keeps numbers JavaScript rounds apart: beyond double precision, overflowing, -0', () => {
    expect(digest('{"amount":10000000000000001}')).not.toBe(digest('{"amount":10000000000000000}'));
    expect(digest('{"amount":1e400}')).not.toBe(digest('{"amount":1e401}'));
    expect(digest('{"amount":-0}')).not.toBe(digest('{"amount":0}'));
    expect(digest('{"amount":1.50}')).not.toBe(digest('{"amount":1.5}'));
    expect(readJsonExactly(Buffer.from('{"a":10000000000000001}'))?.inexactNumber).toBe('10000000000000001');
    expect(readJsonExactly(Buffer.from('{"a":1e400}'))?.inexactNumber).toBe('1e400');
    expect(readJsonExactly(Buffer.from('{"a":[1.50,0.1,-0,1e21,123456789012]}'))?.inexactNumber).toBeNull();
  });

  it('digests a body with a duplicate key by its bytes, and reports the key (compared decoded)', () => {
    expect(digest('{"amount":1,"amount":1000}')).not.toBe(digest('{"amount":1000,"amount":1000}'));
    expect(digest('{"amount":1,"amount":1000}')).not.toBe(digest('{"amount":1000}'));
    expect(readJsonExactly(Buffer.from('{"x":{"a":1},"y":{"b":2,"\\u0062":3}}'))?.duplicateKey).toBe('b');
    expect(readJsonExactly(Buffer.from('{"a":"a","b":["a","a"],"c":{"a":1}}'))?.duplicateKey).toBeNull();
  });

  it('is not JSON when the bytes are not UTF-8 or carry a byte-order mark: digested as bytes', () => {
    const bad = (b: number) => Buffer.concat([Buffer.from('{"note":"'), Buffer.from([b]), Buffer.from('"}')]);
    expect(readJsonExactly(bad(0xff))).toBeUndefined();
    expect(digest(bad(0xff))).not.toBe(digest(bad(0xfe)));
    expect(readJsonExactly(Buffer.from('\uFEFF{"a":1}'))).toBeUndefined();
  });

  it('treats key order and whitespace as the same call', () => {
    expect(digest('{"note":"x","amount":10}')).toBe(digest('{ "amount": 10,\n "note": "x" }'));
  });
});
