import { describe, expect, it } from 'vitest';
import { warmResponseParser } from './warm-parser.js';

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

describe('warmResponseParser', () => {
  it('completes a real exchange and leaves no server or socket open behind it', async () => {
    const before = tcpHandles();
    await warmResponseParser();
    // Closed handles leave the active list once libuv has run their close callbacks.
    for (let i = 0; i < 100 && tcpHandles() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tcpHandles()).toBe(before);
  });

  it('can run again (a second start-up in the same process)', async () => {
    await expect(warmResponseParser()).resolves.toBeUndefined();
    await expect(warmResponseParser()).resolves.toBeUndefined();
  });
});
