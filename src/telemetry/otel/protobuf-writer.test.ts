import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';

const written = (w: ProtobufWriter) => Buffer.from(w.bytes.subarray(0, w.pos));

describe('protobuf writer', () => {
  it('writes epoch milliseconds as exact fixed64 nanoseconds', () => {
    const w = new ProtobufWriter(8);
    for (const ms of [0, 1.5, 1_764_000_000_123.456, 4_102_444_800_000.999, 1_700_000_000_000]) {
      w.pos = 0;
      w.nanos(ms);
      const whole = Math.floor(ms);
      expect(written(w).readBigUInt64LE(0)).toBe(BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6)));
    }
  });

  it('writes strings as UTF-8 with minimal length prefixes, ASCII or not, short or long', () => {
    const w = new ProtobufWriter(4);
    for (const s of ['', 'GET', 'héllo wörld ✓', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(20_000), `é${'a'.repeat(300)}`]) {
      w.pos = 0;
      w.string(s);
      const utf8 = Buffer.from(s, 'utf8');
      let length = 0;
      let shift = 0;
      let at = 0;
      for (;;) {
        const b = w.bytes[at++]!;
        length += (b & 0x7f) * 2 ** shift;
        shift += 7;
        if ((b & 0x80) === 0) break;
      }
      expect(length).toBe(utf8.length);
      expect(at).toBe(length < 128 ? 1 : length < 16_384 ? 2 : 3);
      expect(written(w).subarray(at).equals(utf8)).toBe(true);
    }
  });

  it('moves a nested message over when its length needs more than one byte', () => {
    const w = new ProtobufWriter(2);
    w.tag(1, 2);
    const outer = w.begin();
    w.tag(2, 2);
    const inner = w.begin();
    for (let i = 0; i < 100; i++) w.constant(3, 'key');
    w.end(inner);
    w.end(outer);
    const out = written(w);
    // outer: tag 0x0a, length 503 (two bytes); inner: tag 0x12, length 500 (two bytes); then 100 × (0x1a 03 'key').
    expect([...out.subarray(0, 6)]).toEqual([0x0a, 0xf7, 0x03, 0x12, 0xf4, 0x03]);
    expect(out.length).toBe(506);
    expect(out.subarray(6, 11).toString('latin1')).toBe('\x1a\x03key');
  });

  it('writes hex ids as their bytes', () => {
    const w = new ProtobufWriter(1);
    w.hex('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(written(w).toString('hex')).toBe('104bf92f3577b34da6a3ce929d0e0e4736');
  });
});
