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
    this.#buf = null;
    this.#view = null;
    this.#at = 0;
    this.#count = 0;
    return out;
  }

  #room(n: number): void {
    if (this.#buf !== null && this.#at + n <= this.#buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, (this.#buf?.length ?? 0) * 2, this.#at + n));
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
