/**
 * JSON written into reusable 64 KB buffers outside V8's heap, for large tool results: a contract
 * with its schemas expanded is up to ~1.4 MB of response. Built as strings, it was four copies of
 * megabytes in V8's large-object space, moved to the old generation whenever a young collection
 * ran while they were being written; here V8 sees only the scalars and flat objects on their way
 * into a buffer, and the buffers go back to a bounded pool once their response is written.
 */

const CHUNK = 65_536;
/** Longest piece of a string written at once: 3 bytes per UTF-16 unit at most, so it fits an empty chunk. */
const PIECE = CHUNK / 4;
/** Buffers kept for reuse: about one large response's worth (2 MB); beyond it they are left to the GC. */
const POOL_MAX = 32;
const pool: Buffer[] = [];
/** Strings up to this length are copied byte by byte when ASCII. */
const SHORT = 32;
const MAX_DEPTH = 1_000;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function take(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
}

/** JSON text as filled buffers (each `used` bytes long). */
export class JsonBytes {
  readonly buffers: Buffer[] = [];
  readonly used: number[] = [];
  #cur: Buffer = take();
  #at = 0;

  /** The bytes written so far, across buffers. */
  get length(): number {
    let n = this.#at;
    for (const u of this.used) n += u;
    return n;
  }

  /** Appends a string as UTF-8, never splitting a surrogate pair between two writes. */
  put(text: string): void {
    // Punctuation, names and short values, ASCII mostly: copied here rather than through a native call each.
    if (text.length <= SHORT && CHUNK - this.#at >= SHORT) {
      const cur = this.#cur;
      const start = this.#at;
      let at = start;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) {
          at = -1;
          break;
        }
        cur[at++] = c;
      }
      if (at !== -1) {
        this.#at = at;
        return;
      }
    }
    let s = text;
    while (s.length > 0) {
      let n = Math.min(s.length, PIECE);
      if (n < s.length && (s.charCodeAt(n - 1) & 0xfc00) === 0xd800) n--;
      if (CHUNK - this.#at < n * 3) this.#next();
      const part = n === s.length ? s : s.slice(0, n);
      this.#at += this.#cur.write(part, this.#at);
      s = n === s.length ? '' : s.slice(n);
    }
  }

  /** Appends the first `end` bytes of JSON text escaped as the contents of a JSON string (see escapedJsonBytes). */
  putEscaped(src: Buffer, end: number): void {
    let cur = this.#cur;
    let at = this.#at;
    for (let i = 0; i < end; i++) {
      if (at + 2 > CHUNK) {
        this.#at = at;
        this.#next();
        cur = this.#cur;
        at = 0;
      }
      const b = src[i]!;
      if (b === QUOTE || b === BACKSLASH) cur[at++] = BACKSLASH;
      cur[at++] = b;
    }
    this.#at = at;
  }

  /** Ends the text: the last buffer joins the filled ones. */
  finish(): this {
    if (this.#at > 0) {
      this.buffers.push(this.#cur);
      this.used.push(this.#at);
    } else pool.push(this.#cur);
    this.#at = 0;
    return this;
  }

  /** The filled part of each buffer, in order. */
  *pieces(): Generator<Buffer> {
    for (let i = 0; i < this.buffers.length; i++) yield this.buffers[i]!.subarray(0, this.used[i]);
  }

  /** Gives the buffers back to the pool: call once nothing can read them any more (their response is finished or closed). */
  release(): void {
    for (const b of this.buffers.splice(0)) if (pool.length < POOL_MAX) pool.push(b);
    this.used.length = 0;
  }

  #next(): void {
    this.buffers.push(this.#cur);
    this.used.push(this.#at);
    this.#cur = take();
    this.#at = 0;
  }
}

/** Whether JSON.stringify leaves the value out of an object (and writes null for it in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

function withToJson(v: unknown, key: string | number): unknown {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON(k: string): unknown }).toJSON(String(key))
    : v;
}

/** What JSON.stringify escapes in a string (surrogates: only lone ones, but any sends the string the slow way). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON.stringify escapes.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: most (names, descriptions, types) need no escape and are written as they are, copying nothing on the heap. */
function putString(out: JsonBytes, s: string): void {
  if (NEEDS_ESCAPE.test(s)) out.put(JSON.stringify(s));
  else {
    out.put('"');
    out.put(s);
    out.put('"');
  }
}

function write(out: JsonBytes, v: unknown, depth: number): void {
  if (typeof v === 'string') {
    putString(out, v);
    return;
  }
  if (typeof v !== 'object' || v === null) {
    out.put(JSON.stringify(v) ?? 'null');
    return;
  }
  // JSON.stringify throws on a cycle; here a cycle shows as nesting no result written this way has
  // (expanded schemas stop at 24 levels), caught before it overflows the stack.
  if (depth > MAX_DEPTH) throw new TypeError('Converting circular structure to JSON');
  if (Array.isArray(v)) {
    out.put('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.put(',');
      const item = withToJson(v[i], i);
      if (omitted(item)) out.put('null');
      else write(out, item, depth + 1);
    }
    out.put(']');
    return;
  }
  out.put('{');
  let first = true;
  // for-in with an own-key check: JSON.stringify's keys in its order, without an array of them per object.
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    const item = withToJson((v as Record<string, unknown>)[key], key);
    if (omitted(item)) continue;
    if (!first) out.put(',');
    first = false;
    putString(out, key);
    out.put(':');
    write(out, item, depth + 1);
  }
  out.put('}');
}

/** A value's JSON text, as JSON.stringify writes it, in pooled buffers. */
export function jsonBytes(value: unknown): JsonBytes {
  const out = new JsonBytes();
  const v = withToJson(value, '');
  if (omitted(v)) out.put('null');
  else write(out, v, 0);
  return out.finish();
}

/**
 * JSON text as the contents of a JSON string (without its quotes), byte for byte what
 * JSON.stringify(text) puts between them: in JSON.stringify's output only `"` and `\` need
 * escaping (control characters and lone surrogates are already escapes), and neither byte occurs
 * inside a multi-byte UTF-8 sequence.
 */
export function escapedJsonBytes(json: JsonBytes): JsonBytes {
  const out = new JsonBytes();
  for (let i = 0; i < json.buffers.length; i++) out.putEscaped(json.buffers[i]!, json.used[i]!);
  return out.finish();
}
