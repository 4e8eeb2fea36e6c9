import { SpanKind } from '@opentelemetry/api';
import type { AuditEntry, CallTrace, RequestRecord } from '../../core/index.js';
import type { RowCells } from '../record-batch.js';
import { attribute, type Severity, writeLogStart, writeSpanTail } from './otlp-fields.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { RowRecords } from './row-records.js';
import { TraceReader, TraceSection } from './trace-section.js';
import type { SpanRecord } from './span-record.js';

/**
 * Spans and log records encoded as OTLP protobuf on the spot: each record becomes the bytes of one
 * repeated `spans` (ScopeSpans) or `log_records` (ScopeLogs) field, appended to its signal's chunk.
 * The worker only wraps a chunk in its resource and scope and sends it, so no record object is
 * kept, cloned to the worker or rebuilt there for the SDK's serializer (that hand-off and
 * rebuilding cost more than the encoding itself).
 */

/**
 * One signal's encoded records, transferred to the export worker: `bytes` from HEADROOM to
 * `length`. The worker writes the request's envelope (resource and scope) into the headroom just
 * before them and sends the buffer as it is, then gives it back for another chunk.
 */
export interface OtlpChunk {
  bytes: ArrayBuffer;
  length: number;
  count: number;
}

/** Bytes left free before a chunk's records for the envelope (resource, scope) the worker writes there. */
export const HEADROOM = 256;
const INITIAL_BYTES = 64 * 1024;
/** Buffers kept for reuse: allocating (and collecting) a large ArrayBuffer per post cost more than the encoding. */
const SPARE_BUFFERS = 8;
// The OTLP enum is the API's SpanKind plus one (0 is "unspecified").
const OTLP_KIND_OFFSET = 1;

class Chunk {
  readonly w = new ProtobufWriter(INITIAL_BYTES, HEADROOM);
  count = 0;
  #need = INITIAL_BYTES;

  constructor(private readonly spares: ArrayBuffer[]) {}

  /** Appends one record; one that fails half-way is rolled back, never left half-written. */
  add<T, U>(write: (w: ProtobufWriter, value: T, extra: U) => void, value: T, extra: U): boolean {
    const at = this.w.pos;
    try {
      write(this.w, value, extra);
    } catch {
      this.w.pos = at;
      return false;
    }
    this.count++;
    return true;
  }

  take(): OtlpChunk | null {
    if (this.count === 0) return null;
    const out = { bytes: this.w.bytes.buffer as ArrayBuffer, length: this.w.pos, count: this.count };
    // The next chunk likely needs as much room as this one: a spare that small would have to grow (a copy and a new buffer).
    this.#need = Math.max(this.#need, this.w.pos + (this.w.pos >> 2));
    const i = this.spares.findIndex((b) => b.byteLength >= this.#need);
    this.w.reset(i === -1 ? new ArrayBuffer(this.#need) : this.spares.splice(i, 1)[0]!, HEADROOM);
    this.count = 0;
    return out;
  }
}

/**
 * The status an HTTP span ends with, as the semantic conventions have it: an error code, or a
 * status from 500 (a server's own span) or from 400 (a client's: the upstream refused what the
 * gateway sent) is an error.
 */
function failedStatus(r: SpanRecord): boolean {
  if (r.httpStatus === null) return false;
  return r.httpStatus >= (r.kind === SpanKind.CLIENT ? 400 : 500);
}

function writeSpan(w: ProtobufWriter, r: SpanRecord): void {
  w.tag(2, 2);
  const span = w.begin();
  w.tag(1, 2);
  w.hex(r.traceId);
  w.tag(2, 2);
  w.hex(r.spanId);
  if (r.traceState !== null) {
    w.tag(3, 2);
    w.string(r.traceState);
  }
  if (r.parentSpanId !== null) {
    w.tag(4, 2);
    w.hex(r.parentSpanId);
  }
  w.tag(5, 2);
  w.string(r.name);
  w.tag(6, 0);
  w.varint(r.kind + OTLP_KIND_OFFSET);
  w.tag(7, 1);
  w.nanos(r.startMs);
  w.tag(8, 1);
  w.nanos(r.endMs);
  const attributes = r.attributes;
  for (const key in attributes) attribute(w, 9, key, attributes[key]);
  const failed = failedStatus(r);
  attribute(w, 9, 'http.response.status_code', r.httpStatus);
  // A client span without a code of its own names its failure by the status, as `error.type` should.
  attribute(w, 9, 'error.type', r.errorType ?? (failed && r.kind === SpanKind.CLIENT ? String(r.httpStatus) : null));
  writeSpanTail(w, r.errorType, r.errorType !== null || failed, r.traceFlags, r.parentRemote);
  w.end(span);
}

function logHead(w: ProtobufWriter, timeMs: number, severity: Severity, event: string, body: string): void {
  writeLogStart(w, timeMs, Date.now(), severity);
  w.tag(5, 2);
  const any = w.begin();
  w.tag(1, 2);
  w.string(body);
  w.end(any);
  w.constant(12, event);
}

function writeRequestLog(w: ProtobufWriter, r: RequestRecord, timeMs: number): void {
  w.tag(2, 2);
  const record = w.begin();
  logHead(w, timeMs, r.status >= 500 ? 'ERROR' : r.status >= 400 ? 'WARN' : 'INFO', 'gatehouse.request', `${r.method} ${r.path} ${r.status}`);
  attribute(w, 6, 'gatehouse.log.id', r.id);
  attribute(w, 6, 'gatehouse.request.id', r.requestId);
  attribute(w, 6, 'gatehouse.channel', r.channel);
  attribute(w, 6, 'gatehouse.collection.id', r.collectionId);
  attribute(w, 6, 'gatehouse.proxy.id', r.proxyId);
  attribute(w, 6, 'gatehouse.endpoint.id', r.endpointId);
  attribute(w, 6, 'gatehouse.client.id', r.clientId);
  attribute(w, 6, 'gatehouse.profile.id', r.profileId);
  attribute(w, 6, 'http.request.method', r.method);
  attribute(w, 6, 'url.path', r.path);
  attribute(w, 6, 'http.response.status_code', r.status);
  attribute(w, 6, 'gatehouse.latency_ms', r.latencyMs);
  attribute(w, 6, 'gatehouse.upstream_latency_ms', r.upstreamLatencyMs);
  attribute(w, 6, 'http.request.body.size', r.bytesIn);
  attribute(w, 6, 'http.response.body.size', r.bytesOut);
  attribute(w, 6, 'client.address', r.ip);
  attribute(w, 6, 'user_agent.original', r.userAgent);
  attribute(w, 6, 'error.type', r.errorCode);
  attribute(w, 6, 'gatehouse.mcp.client', r.mcpClient);
  attribute(w, 6, 'gatehouse.mcp.tool', r.mcpTool);
  attribute(w, 6, 'enduser.id', r.subject);
  attribute(w, 6, 'gatehouse.actor', r.actor);
  attribute(w, 6, 'mcp.method.name', r.mcpMethod);
  attribute(w, 6, 'gatehouse.mcp.tokens', r.mcpTokens ?? null);
  attribute(w, 6, 'gatehouse.mcp.server', r.mcpServer ?? null);
  w.end(record);
}

function writeAudit(w: ProtobufWriter, e: AuditEntry): void {
  w.tag(2, 2);
  const record = w.begin();
  logHead(w, Date.parse(e.time), e.outcome === 'success' ? 'INFO' : 'WARN', 'gatehouse.audit', `${e.actor.name} ${e.action} ${e.outcome}`);
  attribute(w, 6, 'gatehouse.audit.id', e.id);
  attribute(w, 6, 'gatehouse.audit.seq', e.seq);
  attribute(w, 6, 'gatehouse.audit.hash', e.hash);
  attribute(w, 6, 'gatehouse.actor.subject', e.actor.subject);
  attribute(w, 6, 'gatehouse.actor.name', e.actor.name);
  attribute(w, 6, 'gatehouse.actor.kind', e.actor.kind);
  attribute(w, 6, 'gatehouse.channel', e.channel);
  attribute(w, 6, 'gatehouse.client_app', e.clientApp);
  attribute(w, 6, 'client.address', e.ip);
  attribute(w, 6, 'gatehouse.action', e.action);
  attribute(w, 6, 'gatehouse.resource.type', e.resourceType);
  attribute(w, 6, 'gatehouse.resource.id', e.resourceId);
  attribute(w, 6, 'gatehouse.outcome', e.outcome);
  attribute(w, 6, 'http.response.status_code', e.status);
  attribute(w, 6, 'error.type', e.errorCode);
  attribute(w, 6, 'gatehouse.request.id', e.requestId);
  w.end(record);
}

/** What one post hands the worker: each signal's chunk, or null when it has none. */
export interface OtlpBatch {
  spans: OtlpChunk | null;
  requestLogs: OtlpChunk | null;
  audits: OtlpChunk | null;
}

/** Encodes records as they finish, one chunk per signal and scope, until `take` hands them over. */
export class OtlpEncoder {
  readonly #spares: ArrayBuffer[] = [];
  readonly #spans = new Chunk(this.#spares);
  readonly #requestLogs = new Chunk(this.#spares);
  readonly #audits = new Chunk(this.#spares);
  readonly #rows = new RowRecords();
  readonly #writeServerSpan = (w: ProtobufWriter, cells: RowCells, t: TraceReader) => this.#rows.serverSpan(w, cells, t);
  readonly #writeClientSpan = (w: ProtobufWriter, cells: RowCells, i: number) => this.#rows.clientSpan(w, cells, this.#reader!, i);
  readonly #writeRowLog = (w: ProtobufWriter, cells: RowCells) => this.#rows.log(w, cells);
  // The trace whose CLIENT span is being written (Chunk.add passes two values).
  #reader: TraceReader | null = null;
  // For a trace given as an object: encoded into a section of its own and read back as the writer thread reads a batch's.
  #single: { section: TraceSection; reader: TraceReader; trace: CallTrace | null } | null = null;
  // Calls finishing in the same millisecond share their time string: parsed once.
  #lastTime = '';
  #lastTimeMs = 0;

  /** Encodes a finished span; false (nothing written) when it cannot be. */
  span(r: SpanRecord): boolean {
    return this.#spans.add(writeSpan, r, undefined);
  }

  requestLog(r: RequestRecord): boolean {
    if (r.time !== this.#lastTime) {
      this.#lastTime = r.time;
      this.#lastTimeMs = Date.parse(r.time);
    }
    return this.#requestLogs.add(writeRequestLog, r, this.#lastTimeMs);
  }

  audit(e: AuditEntry): boolean {
    return this.#audits.add(writeAudit, e, undefined);
  }

  /** A row's SERVER span, from the trace `reader` is on (written from the row and the trace section's bytes, see row-records.ts). */
  serverSpanOf(cells: RowCells, reader: TraceReader): boolean {
    return this.#spans.add(this.#writeServerSpan, cells, reader);
  }

  /** A row's CLIENT span for upstream attempt `i` of the trace `reader` is on. */
  clientSpanOf(cells: RowCells, reader: TraceReader, i: number): boolean {
    this.#reader = reader;
    return this.#spans.add(this.#writeClientSpan, cells, i);
  }

  /** A row's SERVER span from a trace object (as serverSpanOf writes it once the trace is in a section). */
  serverSpan(cells: RowCells, trace: CallTrace): boolean {
    return this.serverSpanOf(cells, this.#readerOf(trace));
  }

  /** A row's CLIENT span for one upstream attempt of a trace object. */
  clientSpan(cells: RowCells, trace: CallTrace, i: number): boolean {
    return this.clientSpanOf(cells, this.#readerOf(trace), i);
  }

  #readerOf(trace: CallTrace): TraceReader {
    this.#single ??= { section: new TraceSection(), reader: new TraceReader(), trace: null };
    const single = this.#single;
    if (single.trace !== trace) {
      single.section.push(0, trace);
      single.reader.reset(single.section.take());
      single.reader.next();
      single.trace = trace;
    }
    return single.reader;
  }

  /** A row's log record. */
  rowLog(cells: RowCells): boolean {
    return this.#requestLogs.add(this.#writeRowLog, cells, undefined);
  }

  /** Takes back a chunk's buffer the worker has sent, for a later chunk. */
  recycle(buffer: ArrayBuffer): void {
    if (this.#spares.length < SPARE_BUFFERS) this.#spares.push(buffer);
    else {
      // Keep the larger ones: a small spare is what the log chunks outgrew.
      const smallest = this.#spares.reduce((min, b, i, all) => (b.byteLength < all[min]!.byteLength ? i : min), 0);
      if (this.#spares[smallest]!.byteLength < buffer.byteLength) this.#spares[smallest] = buffer;
    }
  }

  /** Records in the fullest chunk. */
  get fullest(): number {
    return Math.max(this.#spans.count, this.#requestLogs.count, this.#audits.count);
  }

  /**
   * The chunks encoded so far that hold at least `min` records (every non-empty one by default);
   * their buffers are the caller's to transfer, and the encoder starts fresh ones for them.
   */
  take(min = 1): OtlpBatch {
    const take = (chunk: Chunk) => (chunk.count >= min ? chunk.take() : null);
    return { spans: take(this.#spans), requestLogs: take(this.#requestLogs), audits: take(this.#audits) };
  }
}
