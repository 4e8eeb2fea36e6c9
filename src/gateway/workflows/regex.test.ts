import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { Re2RegExp, schemaRegExp } from './regex.js';

describe('Re2RegExp (JSONata’s regex engine)', () => {
  it('keeps the exec and lastIndex contract of a global RegExp', () => {
    const re = new Re2RegExp(/a(\d+)/g);
    const first = re.exec('xa12 a3');
    expect([...first!]).toEqual(['a12', '12']);
    expect(first!.index).toBe(1);
    expect(re.lastIndex).toBe(4);
    const second = re.exec('xa12 a3');
    expect([...second!]).toEqual(['a3', '3']);
    expect(re.exec('xa12 a3')).toBeNull();
    expect(re.lastIndex).toBe(0);
  });

  it('takes the i and m flags', () => {
    expect(new Re2RegExp(/^abc$/gim).exec('x\nABC')?.index).toBe(2);
  });

  // Backtracking, this never ends (the test's timeout fails it); its time is a bench figure (npm run bench -- --timing-bounds).
  it('answers a catastrophic pattern (no backtracking)', () => {
    expect(new Re2RegExp(/^(a+)+$/g).exec(`${'a'.repeat(5_000)}!`)).toBeNull();
  });
});

describe('schemaRegExp (contract validation)', () => {
  const ajv = new Ajv({ code: { regExp: schemaRegExp } });

  it('runs a schema’s pattern on RE2, so a caller’s value cannot make it backtrack', () => {
    const validate = ajv.compile({ type: 'string', pattern: '^(a+)+$' });
    expect(validate(`${'a'.repeat(40)}!`)).toBe(false);
    expect(validate('aaa')).toBe(true);
  });

  it('keeps JavaScript’s engine for what only it can run (lookahead)', () => {
    const validate = ajv.compile({ type: 'string', pattern: '^(?=.*\\d).+$' });
    expect(validate('abc1')).toBe(true);
    expect(validate('abc')).toBe(false);
  });
});
