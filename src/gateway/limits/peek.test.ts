import { describe, expect, it } from 'vitest';
import { createMemoryLimiter } from './memory.js';

describe('memory limiter peek', () => {
  it('reports what is left without consuming anything', async () => {
    const limiter = createMemoryLimiter();
    const rules = [{ kind: 'rate', window: 'minute', limit: 3 }] as const;
    const now = Date.UTC(2026, 0, 1, 12, 0, 10);
    expect((await limiter.peek!('k', rules, now)).remaining).toBe(3);
    await limiter.consume('k', rules, now);
    await limiter.consume('k', rules, now);
    expect((await limiter.peek!('k', rules, now)).remaining).toBe(1);
    expect((await limiter.peek!('k', rules, now)).remaining).toBe(1);
    expect((await limiter.peek!('k', rules, now + 60_000)).remaining).toBe(3);
  });
});
