import { describe, expect, it } from 'vitest';
import { servesGateway } from './serves-gateway.js';

describe('servesGateway', () => {
  it('finds serve as the command, after the global --data-dir, and nowhere else', () => {
    expect(servesGateway(['serve', '--port', '0'])).toBe(true);
    expect(servesGateway(['--data-dir', 'serve', 'serve'])).toBe(true);
    expect(servesGateway(['--data-dir=/d', 'serve'])).toBe(true);
    expect(servesGateway(['--data-dir', 'serve', 'users', 'list'])).toBe(false);
    expect(servesGateway(['apply', '-f', 'serve'])).toBe(false);
    expect(servesGateway([])).toBe(false);
  });
});
