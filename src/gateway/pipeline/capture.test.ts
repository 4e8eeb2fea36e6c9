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
});
