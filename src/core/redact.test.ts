import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';

describe('redact', () => {
  it('replaces secret-looking values at any depth, and leaves booleans named like them readable', () => {
    expect(
      redact({ name: 'a', clientSecret: 's3cret', nested: [{ token: 'abc', allowPrivateNetwork: true }], hasOAuthClientSecret: false, password: null }),
    ).toEqual({
      name: 'a',
      clientSecret: '[REDACTED]',
      nested: [{ token: '[REDACTED]', allowPrivateNetwork: true }],
      hasOAuthClientSecret: false,
      password: null,
    });
  });
});
