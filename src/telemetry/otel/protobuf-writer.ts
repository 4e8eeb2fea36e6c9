const KEY_CACHE_LIMIT = 512;
// Strings up to this length are copied code unit by code unit when they are ASCII: cheaper than a
// native encodeInto call for the short ids, names and paths that make up most of a record.
const SHORT_STRING = 64;
const encoder = new TextEncoder();
// Where nanos puts its number for nanosFrom to read.
const MS = new DataView(new ArrayBuffer(8));

/**
 * An append-only protobuf writer into one growable buffer. A nested message reserves one byte for
 * its length (`begin`) and moves its body over when the length needs more (`end`), so each message
 * is written once, with no size pass first. Field keys and other constant strings are encoded once
 * and copied (`constant`).
 */
export class ProtobufWriter {
  bytes: Uint8Array;
  pos = 0;
  #view: DataView;
  readonly #constants = new Map<string, Uint8Array>();

  constructor(size: number, at = 0) {
    this.bytes = new Uint8Array(new ArrayBuffer(size));
    this.#view = new DataView(this.bytes.buffer);
    this.pos = at;
  }

  /** Starts over at `pos` on another buffer (the previous one was handed away). */
  reset(buffer: ArrayBuffer, pos: number): void {
    this.bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
    this.pos = pos;
  }

  #room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = new Uint8Array(new ArrayBuffer(Math.max(this.bytes.length * 2, this.pos + n)));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  varint(value: number): void {
    this.#room(10);
    let v = value;
    while (v > 0x7f) {
      this.bytes[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.pos++] = v;
  }

  /** A field key: number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
  tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.varint(field * 8 + wire);
  }

  fixed32(value: number): void {
    this.#room(4);
    this.#view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  double(value: number): void {
    this.#room(8);
    this.#view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Epoch milliseconds (with fractions) as fixed64 nanoseconds, exact to the nanosecond without BigInt. */
  nanos(ms: number): void {
    MS.setFloat64(0, ms, true);
    this.nanosFrom(MS, 0);
  }

  /**
   * The float64 epoch milliseconds at `at` in `source` as nanos writes them. The number is read
   * here, not passed in: a double handed to a call that is not inlined is boxed (a heap number each).
   */
  nanosFrom(source: DataView, at: number): void {
    this.#room(8);
    const ms = source.getFloat64(at, true);
    const whole = Math.floor(ms);
    const fraction = Math.round((ms - whole) * 1e6);
    // whole × 10⁶ overflows 2⁵³: split whole at bit 21 so every product stays exact.
    const high = Math.floor(whole / 2 ** 21);
    const scaledHigh = high * 1e6;
    const carry = scaledHigh % 2 ** 11;
    let low = carry * 2 ** 21 + (whole - high * 2 ** 21) * 1e6 + fraction;
    const upper = (scaledHigh - carry) / 2 ** 11 + Math.floor(low / 2 ** 32);
    low %= 2 ** 32;
    this.#view.setUint32(this.pos, low, true);
    this.#view.setUint32(this.pos + 4, upper, true);
    this.pos += 8;
  }

  /** A string's UTF-8 with its length prefix. */
  string(value: string): void {
    const n = value.length;
    if (n <= SHORT_STRING) {
      this.#room(n + 1);
      const start = this.pos;
      const bytes = this.bytes;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[start + 1 + i] = c;
      }
      if (i === n) {
        bytes[start] = n;
        this.pos = start + 1 + n;
        return;
      }
    }
    this.#room(n * 3 + 5);
    const mark = this.begin();
    this.pos += encoder.encodeInto(value, this.bytes.subarray(this.pos)).written;
    this.end(mark);
  }

  /** A string's UTF-8 without a length prefix: one piece of a field made of several. */
  utf8(value: string): void {
    const n = value.length;
    this.#room(n * 3);
    if (n <= SHORT_STRING) {
      const start = this.pos;
      const bytes = this.bytes;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[start + i] = c;
      }
      if (i === n) {
        this.pos = start + n;
        return;
      }
    }
    this.pos += encoder.encodeInto(value, this.bytes.subarray(this.pos)).written;
  }

  /** `length` bytes of `source` from `at` (UTF-8 already), with their length prefix. */
  copy(source: Uint8Array, at: number, length: number): void {
    this.varint(length);
    this.#room(length);
    const bytes = this.bytes;
    const pos = this.pos;
    // Short values (ids) byte by byte: cheaper than the view a native copy needs.
    if (length <= SHORT_STRING) for (let i = 0; i < length; i++) bytes[pos + i] = source[at + i]!;
    else bytes.set(source.subarray(at, at + length), pos);
    this.pos = pos + length;
  }

  /** Lowercase hex (a trace or span id) as its bytes, with their length prefix. */
  hex(value: string): void {
    const n = value.length >> 1;
    this.#room(n + 1);
    const bytes = this.bytes;
    let pos = this.pos;
    bytes[pos++] = n;
    for (let i = 0; i < value.length; i += 2) bytes[pos++] = (NIBBLE[value.charCodeAt(i)]! << 4) | NIBBLE[value.charCodeAt(i + 1)]!;
    this.pos = pos;
  }

  /** Lowercase hex held as ASCII bytes (an id in a trace section) as the bytes it spells, with their length prefix. */
  hexFrom(source: Uint8Array, at: number, length: number): void {
    const n = length >> 1;
    this.#room(n + 1);
    const bytes = this.bytes;
    let pos = this.pos;
    bytes[pos++] = n;
    const end = at + length;
    for (let i = at; i < end; i += 2) bytes[pos++] = (NIBBLE[source[i]!]! << 4) | NIBBLE[source[i + 1]!]!;
    this.pos = pos;
  }

  /** `length` bytes of `source` from `at` (UTF-8 already) without a length prefix: one piece of a field made of several. */
  utf8From(source: Uint8Array, at: number, length: number): void {
    this.#room(length);
    const bytes = this.bytes;
    const pos = this.pos;
    if (length <= SHORT_STRING) for (let i = 0; i < length; i++) bytes[pos + i] = source[at + i]!;
    else bytes.set(source.subarray(at, at + length), pos);
    this.pos = pos + length;
  }

  /** A length-delimited field whose content never changes (a key, a scope), encoded once and copied. */
  constant(field: number, value: string): void {
    let encoded = this.#constants.get(value);
    if (encoded === undefined) {
      const w = new ProtobufWriter(value.length * 3 + 16);
      w.tag(field, 2);
      w.string(value);
      encoded = w.finish();
      if (this.#constants.size < KEY_CACHE_LIMIT) this.#constants.set(value, encoded);
    }
    this.raw(encoded);
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.#room(n);
    // A short run (a cached KeyValue, a key) byte by byte: cheaper than the native copy's call.
    if (n <= SHORT_STRING) {
      const out = this.bytes;
      const pos = this.pos;
      for (let i = 0; i < n; i++) out[pos + i] = bytes[i]!;
    } else this.bytes.set(bytes, this.pos);
    this.pos += n;
  }

  /** Starts a nested message (after its tag); returns the mark `end` takes. */
  begin(): number {
    this.#room(1);
    return this.pos++;
  }

  /** Ends the nested message begun at `mark`, writing its length there. */
  end(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 0x80) {
      this.bytes[mark] = length;
      return;
    }
    let size = 1;
    for (let v = length; v > 0x7f; v = Math.floor(v / 0x80)) size++;
    this.#room(size - 1);
    this.bytes.copyWithin(mark + size, mark + 1, this.pos);
    const end = this.pos + size - 1;
    this.pos = mark;
    this.varint(length);
    this.pos = end;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

// '0'-'9' → 0-9, 'a'-'f' → 10-15 (ids are lowercase hex).
const NIBBLE = new Uint8Array(128);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x61 + i] = 10 + i;
