import { describe, expect, it } from 'vitest';
import { newLogId, timeOfLogId } from './log-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newLogId', () => {
  it('is a UUIDv7 whose first 48 bits are the time in milliseconds', () => {
    const id = newLogId(1_790_000_000_123);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(1_790_000_000_123);
  });

  it('sorts by time as text, so inserts append to the index', () => {
    const ids = [3, 1, 2].map((k) => newLogId(1_790_000_000_000 + k * 1000));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('is unique within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newLogId(1_790_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it('gives back the time of its own ids, and null for anything else', () => {
    expect(timeOfLogId(newLogId(1_790_000_000_123))).toBe(1_790_000_000_123);
    for (const other of ['req_00000001', '0190a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b', '', 'ZZZZZZZZ-ZZZZ-7ZZZ-8ZZZ-ZZZZZZZZZZZZ'])
      expect(timeOfLogId(other)).toBeNull();
  });
});
