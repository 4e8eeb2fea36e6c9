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
    // Escaped quotes and backslashes inside strings do not end them.
    expect(readJsonExactly(Buffer.from('{"k\\\\":"x\\"y","a":1,"a":2}'))?.duplicateKey).toBe('a');
  });

  it('tells a number written as JavaScript writes it back from one written otherwise, as String(Number()) does', () => {
    const literals = ['0', '-0', '7', '-7', '10', '1.5', '1.50', '1.0', '0.5', '0.000001', '0.0000001', '123456789012345', '1234567890123456'];
    literals.push('12345678901234567', '0.1', '0.10000000000000001', '1e3', '1E3', '1e21', '123.456', '-0.25', '99999999999999.9', '9007199254740993');
    literals.push('4.35', '0.3', '1.7976931348623157e308', '5e-324', '100', '3.14159265358979', '2.718281828459045');
    for (const literal of literals) {
      const respelled = readJsonExactly(Buffer.from(`[${literal}]`))?.respelledNumber ?? null;
      expect(respelled, literal).toBe(String(Number(literal)) === literal ? null : literal);
    }
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
