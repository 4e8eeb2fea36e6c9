import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BodyCapture, redactBody } from './capture.js';

describe('body capture', () => {
  it('redacts named fields at any depth', () => {
    const text = JSON.stringify({ user: 'a', password: 'p', nested: [{ token: 't', keep: 1 }] });
    expect(JSON.parse(redactBody(text, ['password', 'token']))).toEqual({ user: 'a', password: '[REDACTED]', nested: [{ token: '[REDACTED]', keep: 1 }] });
  });

  it('masks fields in JSON cut off by the size cap', () => {
    expect(redactBody('{"password":"hunter2","card":12345,"x":"ab', ['password', 'card'])).toBe('{"password":"[REDACTED]","card":"[REDACTED]","x":"ab');
    expect(redactBody('{"password":"hunt', ['password'])).toBe('{"password":"[REDACTED]"');
  });

  it('keeps only the first max bytes', () => {
    const c = new BodyCapture(5);
    c.push(Buffer.from('abc'));
    c.push(Buffer.from('defgh'));
    c.push(Buffer.from('ij'));
    expect(c.text([])).toBe('abcde');
  });

  it('shows a body sent compressed decoded, a cut one as far as it goes, its named fields redacted', () => {
    const json = JSON.stringify({ password: 'p', items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });
    const whole = new BodyCapture(100_000);
    whole.encodedAs('gzip');
    whole.push(gzipSync(json));
    expect(JSON.parse(whole.text(['password']))).toEqual({ ...JSON.parse(json), password: '[REDACTED]' });
    const cut = new BodyCapture(300);
    cut.encodedAs('br');
    const compressed = brotliCompressSync(json);
    cut.push(compressed.subarray(0, 150));
    expect(json.startsWith(cut.text([]).replace('[REDACTED]', 'p'))).toBe(true);
    expect(cut.text([]).length).toBeGreaterThan(100);
  });

  it('says a body is encoded where it cannot show it: an unknown coding, a bomb, broken bytes', () => {
    const unknown = new BodyCapture(1_000);
    unknown.encodedAs('x-custom');
    unknown.push(Buffer.from('abc'));
    expect(unknown.text([])).toBe('[3 bytes of a x-custom-encoded body]');
    const bomb = new BodyCapture(1_000);
    bomb.encodedAs('gzip');
    const packed = gzipSync(Buffer.alloc(10_000_000, 0x20));
    bomb.push(packed);
    expect(bomb.text([])).toBe(`[${Math.min(1_000, packed.length)} bytes of a gzip-encoded body]`);
    const broken = new BodyCapture(1_000);
    broken.encodedAs('gzip');
    broken.push(Buffer.from('not gzip at all'));
    expect(broken.text([])).toBe('[15 bytes of a gzip-encoded body]');
  });

  it('keeps a body a guardrail rewrote as it is, whatever the original was encoded with', () => {
    const c = new BodyCapture(1_000);
    c.encodedAs('gzip');
    c.push(gzipSync('{"mail":"ada@example.org"}'));
    c.replaceWith(Buffer.from('{"mail":"[EMAIL]"}'));
    expect(c.text([])).toBe('{"mail":"[EMAIL]"}');
  });
});
