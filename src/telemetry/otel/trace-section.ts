import type { CallTrace, UpstreamTrace } from '../../core/index.js';

const NULL_TEXT = 0xffffffff;
const INITIAL_BYTES = 16 * 1024;
// ASCII strings up to this length (ids, hosts, routes) are copied code unit by code unit: cheaper
// than a native Buffer.write for the short values a trace is made of.
const SHORT_STRING = 64;
const PARENT_REMOTE = 1;

/**
 * The traces of a batch's sampled calls, encoded beside its rows (the row's index, then the
 * trace's fields) into one buffer that is transferred with the batch to the request-log writer's
 * thread, which builds the spans there. The call path thus neither builds spans nor has objects
 * cloned; the section is never spooled or stored. Numbers are float64 (NaN for null) or uint32;
 * text is its UTF-8 byte length (0xffffffff for null) and bytes.
 */
export class TraceSection {
  #buf: Buffer | null = null;
  #view: DataView | null = null;
  #at = 0;
  #count = 0;
  // The next buffer's size: as large as the last section (with room to spare), so a batch's traces are not copied as the buffer doubles.
  #size = INITIAL_BYTES;

  /** Traces held. */
  get count(): number {
    return this.#count;
  }

  /** Adds the trace of the batch's row `row`. */
  push(row: number, t: CallTrace): void {
    this.#u32(row);
    this.#room(2);
    this.#buf![this.#at++] = t.parentRemote ? PARENT_REMOTE : 0;
    this.#buf![this.#at++] = t.traceFlags & 0xff;
    this.#text(t.traceId);
    this.#text(t.spanId);
    this.#text(t.parentSpanId);
    this.#text(t.traceState);
    this.#f64(t.startMs);
    this.#f64(t.endMs);
    this.#text(t.route);
    this.#text(t.collectionSlug);
    this.#text(t.workflowId);
    this.#f64(t.workflowVersion ?? Number.NaN);
    this.#text(t.guardrails);
    this.#u32(t.upstreams.length);
    for (const up of t.upstreams) {
      this.#text(up.spanId);
      this.#f64(up.startMs);
      this.#f64(up.endMs);
      this.#f64(up.status ?? Number.NaN);
      this.#text(up.error);
      this.#text(up.host);
      this.#u32(up.port);
      this.#u32(up.attempt);
      this.#text(up.routeNode);
      this.#text(up.routeGroup);
    }
    this.#count++;
  }

  /** The encoded traces (a buffer of their own, to transfer), or null when none; starts afresh. */
  take(): Uint8Array | null {
    if (this.#count === 0 || this.#buf === null) return null;
    const out = new Uint8Array(this.#buf.buffer, this.#buf.byteOffset, this.#at);
    this.#size = Math.max(INITIAL_BYTES, this.#at + (this.#at >> 2));
    this.#buf = null;
    this.#view = null;
    this.#at = 0;
    this.#count = 0;
    return out;
  }

  #room(n: number): void {
    if (this.#buf !== null && this.#at + n <= this.#buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.#size, (this.#buf?.length ?? 0) * 2, this.#at + n));
    this.#buf?.copy(grown, 0, 0, this.#at);
    this.#buf = grown;
    this.#view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  #u32(n: number): void {
    this.#room(4);
    this.#view!.setUint32(this.#at, n, true);
    this.#at += 4;
  }

  #f64(n: number): void {
    this.#room(8);
    this.#view!.setFloat64(this.#at, n, true);
    this.#at += 8;
  }

  #text(s: string | null): void {
    if (s === null) {
      this.#u32(NULL_TEXT);
      return;
    }
    if (s.length <= SHORT_STRING) {
      this.#room(4 + s.length);
      const buf = this.#buf!;
      const at = this.#at + 4;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === s.length) {
        this.#view!.setUint32(this.#at, s.length, true);
        this.#at = at + s.length;
        return;
      }
    }
    const length = Buffer.byteLength(s, 'utf8');
    this.#room(4 + length);
    this.#view!.setUint32(this.#at, length, true);
    this.#buf!.write(s, this.#at + 4, length, 'utf8');
    this.#at += 4 + length;
  }
}

/** Reads a TraceSection's traces, each with the index of the row it belongs to. */
export function readTraces(bytes: Uint8Array, each: (row: number, trace: CallTrace) => void): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const u32 = () => {
    const n = view.getUint32(at, true);
    at += 4;
    return n;
  };
  const f64 = () => {
    const n = view.getFloat64(at, true);
    at += 8;
    return n;
  };
  const nullable = (n: number) => (Number.isNaN(n) ? null : n);
  const text = (): string | null => {
    const length = u32();
    if (length === NULL_TEXT) return null;
    if (at + length > buf.length) throw new RangeError('trace section ends early');
    const s = buf.toString('utf8', at, at + length);
    at += length;
    return s;
  };
  while (at < buf.length) {
    const row = u32();
    const parentRemote = (buf[at]! & PARENT_REMOTE) !== 0;
    const traceFlags = buf[at + 1]!;
    at += 2;
    const traceId = text()!;
    const spanId = text()!;
    const parentSpanId = text();
    const traceState = text();
    const startMs = f64();
    const endMs = f64();
    const route = text();
    const collectionSlug = text();
    const workflowId = text();
    const workflowVersion = nullable(f64());
    const guardrails = text();
    const upstreams: UpstreamTrace[] = new Array<UpstreamTrace>(u32());
    for (let i = 0; i < upstreams.length; i++) {
      upstreams[i] = {
        spanId: text()!,
        startMs: f64(),
        endMs: f64(),
        status: nullable(f64()),
        error: text(),
        host: text()!,
        port: u32(),
        attempt: u32(),
        routeNode: text(),
        routeGroup: text(),
      };
    }
    each(row, {
      traceId,
      spanId,
      parentSpanId,
      parentRemote,
      traceFlags,
      traceState,
      startMs,
      endMs,
      route,
      collectionSlug,
      workflowId,
      workflowVersion,
      guardrails,
      upstreams,
    });
  }
}

/** A text field read in place: its UTF-8 at `at` for `length` bytes in the section; `at` is -1 for null. */
export const NULL_AT = -1;

/** One upstream attempt of the trace a TraceReader is on, read in place. */
export class UpstreamReader {
  spanIdAt = 0;
  spanIdLength = 0;
  startMs = 0;
  endMs = 0;
  /** Where startMs and endMs lie (float64) in the section, for ProtobufWriter.nanosFrom. */
  startAt = 0;
  endAt = 0;
  /** NaN for none (the attempt failed before a response). */
  status = Number.NaN;
  errorAt = NULL_AT;
  errorLength = 0;
  hostAt = 0;
  hostLength = 0;
  port = 0;
  attempt = 0;
  routeNodeAt = NULL_AT;
  routeNodeLength = 0;
  routeGroupAt = NULL_AT;
  routeGroupLength = 0;
}

/**
 * Walks a TraceSection trace by trace without decoding it: each text field is an offset and a length
 * into `bytes` (ids stay hex text, copied or converted straight into the protobuf), numbers are read
 * as they lie. One reader (and one UpstreamReader) serves a whole batch: no object or string per
 * trace. Traces are in the order they were pushed, which is their rows' order.
 */
export class TraceReader {
  bytes: Uint8Array = new Uint8Array(0);
  #view = new DataView(this.bytes.buffer);
  #at = 0;
  // The read position within a trace, and the length of the text last read.
  #pos = 0;
  #length = 0;
  /** The row of the next trace, or -1 when none is left. */
  nextRow = -1;
  parentRemote = false;
  traceFlags = 0;
  traceIdAt = 0;
  traceIdLength = 0;
  spanIdAt = 0;
  spanIdLength = 0;
  parentSpanIdAt = NULL_AT;
  parentSpanIdLength = 0;
  traceStateAt = NULL_AT;
  traceStateLength = 0;
  startMs = 0;
  endMs = 0;
  /** Where startMs and endMs lie (float64) in the section, for ProtobufWriter.nanosFrom. */
  startAt = 0;
  endAt = 0;
  routeAt = NULL_AT;
  routeLength = 0;
  collectionSlugAt = NULL_AT;
  collectionSlugLength = 0;
  workflowIdAt = NULL_AT;
  workflowIdLength = 0;
  /** NaN for none. */
  workflowVersion = Number.NaN;
  guardrailsAt = NULL_AT;
  guardrailsLength = 0;
  upstreams = 0;
  readonly upstream = new UpstreamReader();
  // Where each upstream attempt of the current trace starts (grown when a trace has more; never
  // emptied: an array's `length = 0` frees its store, and the next push allocated one per trace).
  #upstreamAt = new Int32Array(8);

  /** The section's bytes as a view, for the numbers in it. */
  get view(): DataView {
    return this.#view;
  }

  /** Starts on a section's bytes (none: no trace). */
  reset(bytes: Uint8Array | null): void {
    this.bytes = bytes ?? new Uint8Array(0);
    this.#view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.#at = 0;
    this.nextRow = this.bytes.length >= 4 ? this.#view.getUint32(0, true) : -1;
  }

  /** Reads the next trace (the one of row `nextRow`); throws a RangeError on a section that ends early. */
  next(): void {
    const view = this.#view;
    this.#pos = this.#at + 4;
    this.parentRemote = (this.bytes[this.#pos]! & PARENT_REMOTE) !== 0;
    this.traceFlags = this.bytes[this.#pos + 1]!;
    this.#pos += 2;
    this.traceIdAt = this.#text();
    this.traceIdLength = this.#length;
    this.spanIdAt = this.#text();
    this.spanIdLength = this.#length;
    this.parentSpanIdAt = this.#text();
    this.parentSpanIdLength = this.#length;
    this.traceStateAt = this.#text();
    this.traceStateLength = this.#length;
    this.startAt = this.#pos;
    this.endAt = this.#pos + 8;
    this.startMs = view.getFloat64(this.#pos, true);
    this.endMs = view.getFloat64(this.#pos + 8, true);
    this.#pos += 16;
    this.routeAt = this.#text();
    this.routeLength = this.#length;
    this.collectionSlugAt = this.#text();
    this.collectionSlugLength = this.#length;
    this.workflowIdAt = this.#text();
    this.workflowIdLength = this.#length;
    this.workflowVersion = view.getFloat64(this.#pos, true);
    this.#pos += 8;
    this.guardrailsAt = this.#text();
    this.guardrailsLength = this.#length;
    this.upstreams = view.getUint32(this.#pos, true);
    this.#pos += 4;
    if (this.upstreams > this.#upstreamAt.length) this.#upstreamAt = new Int32Array(Math.max(this.upstreams, this.#upstreamAt.length * 2));
    for (let i = 0; i < this.upstreams; i++) {
      this.#upstreamAt[i] = this.#pos;
      this.#text();
      this.#pos += 24;
      this.#text();
      this.#text();
      this.#pos += 8;
      this.#text();
      this.#text();
    }
    if (this.#pos > this.bytes.length) throw new RangeError('trace section ends early');
    this.#at = this.#pos;
    this.nextRow = this.#at + 4 <= this.bytes.length ? view.getUint32(this.#at, true) : -1;
  }

  /** Reads the current trace's upstream attempt `i` into `upstream` (and returns it). */
  readUpstream(i: number): UpstreamReader {
    const view = this.#view;
    const up = this.upstream;
    this.#pos = this.#upstreamAt[i]!;
    up.spanIdAt = this.#text();
    up.spanIdLength = this.#length;
    up.startAt = this.#pos;
    up.endAt = this.#pos + 8;
    up.startMs = view.getFloat64(this.#pos, true);
    up.endMs = view.getFloat64(this.#pos + 8, true);
    up.status = view.getFloat64(this.#pos + 16, true);
    this.#pos += 24;
    up.errorAt = this.#text();
    up.errorLength = this.#length;
    up.hostAt = this.#text();
    up.hostLength = this.#length;
    up.port = view.getUint32(this.#pos, true);
    up.attempt = view.getUint32(this.#pos + 4, true);
    this.#pos += 8;
    up.routeNodeAt = this.#text();
    up.routeNodeLength = this.#length;
    up.routeGroupAt = this.#text();
    up.routeGroupLength = this.#length;
    return up;
  }

  /** The text at the read position: where its bytes start (NULL_AT for null), its length in `#length`. */
  #text(): number {
    const length = this.#view.getUint32(this.#pos, true);
    if (length === NULL_TEXT) {
      this.#pos += 4;
      this.#length = 0;
      return NULL_AT;
    }
    const start = this.#pos + 4;
    if (start + length > this.bytes.length) throw new RangeError('trace section ends early');
    this.#pos = start + length;
    this.#length = length;
    return start;
  }

  /** A text field as a string (for the rare fields that are parsed: guardrail outcomes, an error's name); null for null. */
  text(at: number, length: number): string | null {
    if (at === NULL_AT) return null;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, length).toString('utf8');
  }
}
