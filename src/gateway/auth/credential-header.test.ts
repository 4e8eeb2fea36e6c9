import { describe, expect, it } from 'vitest';
import { bearerOf, presentedCredential } from './credential-header.js';

describe('bearerOf', () => {
  it('takes the token after Bearer in any letter case', () => {
    expect(bearerOf({ authorization: 'Bearer ghk_abc' })).toBe('ghk_abc');
    expect(bearerOf({ authorization: 'bEaReR ghk_abc ' })).toBe('ghk_abc');
    expect(bearerOf({ authorization: ['BEARER first', 'Bearer second'] })).toBe('first');
  });

  it('ignores other schemes, look-alikes and an empty token', () => {
    expect(bearerOf({ authorization: 'Basic dXNlcjpwdw==' })).toBeNull();
    expect(bearerOf({ authorization: 'Bearer\tghk_abc' })).toBeNull();
    expect(bearerOf({ authorization: 'Bearerx ghk_abc' })).toBeNull();
    expect(bearerOf({ authorization: 'B\u0000arer ghk_abc' })).toBeNull();
    expect(bearerOf({ authorization: 'Bearer ' })).toBeNull();
    expect(bearerOf({ authorization: 'Bearer    ' })).toBeNull();
    expect(bearerOf({})).toBeNull();
  });

  it('leaves a non-Bearer Authorization to X-API-Key', () => {
    expect(presentedCredential({ authorization: 'Basic dXNlcjpwdw==', 'x-api-key': 'ghk_key' })).toEqual({
      kind: 'token',
      value: 'ghk_key',
      header: 'x-api-key',
    });
  });
});
