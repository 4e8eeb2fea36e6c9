import { randomFillSync } from 'node:crypto';

const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
// Random bytes are drawn from the OS in blocks and used ten per id: one getrandom() per 409 ids.
const pool = new Uint8Array(4096);
let next = pool.length;
// The id is assembled in one reused buffer and read out as a single flat string: building it
// with + made ~20 intermediate strings (~600 bytes of garbage per call, and a flatten later).
const out = Buffer.from('00000000-0000-7000-8000-000000000000', 'latin1');

function putByte(at: number, byte: number): void {
  out[at] = HEX_CODES[byte >>> 4]!;
  out[at + 1] = HEX_CODES[byte & 0x0f]!;
}

/**
 * A UUIDv7 for a request-log entry: 48 bits of Unix milliseconds, then 74 random bits.
 * The time prefix orders ids by time; the random part keeps them unguessable, so a caller cannot
 * predict or collide with another call's entry.
 */
export function newLogId(nowMs: number = Date.now()): string {
  if (next + 10 > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const r = next;
  next += 10;
  const ms = Math.floor(nowMs);
  const high = Math.floor(ms / 0x10000); // the first 32 of the 48 bits
  const low = ms % 0x10000;
  const p = pool;
  // tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr: version 7, variant 0b10.
  putByte(0, (high >>> 24) & 0xff);
  putByte(2, (high >>> 16) & 0xff);
  putByte(4, (high >>> 8) & 0xff);
  putByte(6, high & 0xff);
  putByte(9, low >>> 8);
  putByte(11, low & 0xff);
  out[15] = HEX_CODES[p[r]! & 0x0f]!;
  putByte(16, p[r + 1]!);
  out[19] = HEX_CODES[0x8 | (p[r + 2]! & 0x03)]!;
  out[20] = HEX_CODES[p[r + 2]! >>> 4]!;
  putByte(21, p[r + 3]!);
  for (let i = 0; i < 6; i++) putByte(24 + 2 * i, p[r + 4 + i]!);
  return out.toString('latin1');
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds a UUIDv7 log id was made at, or null when `id` is not one. */
export function timeOfLogId(id: string): number | null {
  if (!UUID_V7.test(id)) return null;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
