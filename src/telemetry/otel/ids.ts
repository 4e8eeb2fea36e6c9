import { randomFillSync } from 'node:crypto';

// Random bytes drawn in blocks: one randomFillSync per 512 span ids instead of a Math.random call per
// byte (the SDK's RandomIdGenerator), and each id is one native hex slice of the pool.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let at = POOL_BYTES;

/** Lowercase hex of `bytes` random bytes, never all zeros (an invalid W3C id). */
function randomHex(bytes: 8 | 16): string {
  for (;;) {
    if (at + bytes > POOL_BYTES) {
      randomFillSync(pool);
      at = 0;
    }
    const start = at;
    at += bytes;
    for (let i = start; i < at; i++) if (pool[i] !== 0) return pool.toString('hex', start, at);
  }
}

/** A new W3C span id: 16 lowercase hex digits. */
export const randomSpanId = (): string => randomHex(8);

/** A new W3C trace id: 32 lowercase hex digits. */
export const randomTraceId = (): string => randomHex(16);
