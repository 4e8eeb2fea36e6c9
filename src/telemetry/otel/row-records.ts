import type { Attributes } from '@opentelemetry/api';
import { CELL_INLINE, CELL_NULL, RECORD_FIELDS, type RowCells } from '../record-batch.js';
import { addGuardrailAttributes } from './guardrail-attributes.js';
import { attribute, writeLogStartEncoded, writeSpanTail } from './otlp-fields.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { Stamp } from './stamp.js';
import { NULL_AT, TraceReader } from './trace-section.js';

/**
 * A call's OTLP log record and spans written straight from its request-log row as it lies in the
 * batch (RowCells) and its trace as it lies in the batch's trace section (TraceReader: ids copied
 * from their hex, texts from their UTF-8): no RequestRecord, CallTrace, SpanRecord, attribute
 * object or id string per call, and the bodies never decoded. A text cell from the batch's string table (config ids, method, path,
 * address, user agent…) is written as a whole KeyValue encoded once per batch and copied for every
 * row that has it. The bytes are those otlp-records.ts writes for the same record (row-records.test.ts).
 */

const column = (field: (typeof RECORD_FIELDS)[number]): number => RECORD_FIELDS.indexOf(field);
const REQUEST_ID = column('requestId');
const TIME = column('time');
const CHANNEL = column('channel');
const COLLECTION = column('collectionId');
const PROXY = column('proxyId');
const ENDPOINT = column('endpointId');
const CLIENT = column('clientId');
const PROFILE = column('profileId');
const METHOD = column('method');
const PATH = column('path');
const STATUS = column('status');
const UPSTREAM_LATENCY = column('upstreamLatencyMs');
const IP = column('ip');
const ERROR_CODE = column('errorCode');
const MCP_CLIENT = column('mcpClient');
const MCP_TOOL = column('mcpTool');

/** Each column's attribute key (the same on the log record and the SERVER span); bodies and the workflow have none. */
const KEYS: Partial<Record<(typeof RECORD_FIELDS)[number], string>> = {
  id: 'gatehouse.log.id',
  requestId: 'gatehouse.request.id',
  channel: 'gatehouse.channel',
  collectionId: 'gatehouse.collection.id',
  proxyId: 'gatehouse.proxy.id',
  endpointId: 'gatehouse.endpoint.id',
  clientId: 'gatehouse.client.id',
  profileId: 'gatehouse.profile.id',
  method: 'http.request.method',
  path: 'url.path',
  status: 'http.response.status_code',
  latencyMs: 'gatehouse.latency_ms',
  upstreamLatencyMs: 'gatehouse.upstream_latency_ms',
  bytesIn: 'http.request.body.size',
  bytesOut: 'http.response.body.size',
  ip: 'client.address',
  userAgent: 'user_agent.original',
  errorCode: 'error.type',
  mcpClient: 'gatehouse.mcp.client',
  mcpTool: 'gatehouse.mcp.tool',
  subject: 'enduser.id',
  actor: 'gatehouse.actor',
  mcpMethod: 'mcp.method.name',
  // The o200k_base tokens a virtual server showed the model: a tool call's result, or a listing (by mcp.method.name).
  mcpTokens: 'gatehouse.mcp.tokens',
  mcpServer: 'gatehouse.mcp.server',
};
const KEY = RECORD_FIELDS.map((f) => KEYS[f] ?? '');
/** Each column's key as the KeyValue's field 1, encoded once. */
const KEY_FIELD = KEY.map((key) => {
  const w = new ProtobufWriter(key.length + 8);
  w.tag(1, 2);
  w.string(key);
  return w.finish();
});
/** The log record's attributes in the order otlp-records.ts writes them: every column with a key. */
const LOG_COLUMNS = RECORD_FIELDS.flatMap((f, c) => (KEYS[f] === undefined ? [] : [c]));
const IS_NUMBER = RECORD_FIELDS.map((f) => ['status', 'latencyMs', 'upstreamLatencyMs', 'bytesIn', 'bytesOut', 'mcpTokens'].includes(f));
// OTLP span kinds (the API's plus one), and the ERROR status code.
const KIND_SERVER = 2;
const KIND_CLIENT = 3;

/**
 * Consecutive text columns of a record whose KeyValues are copied as one piece while their cells
 * are the previous row's (the same string-table entries, or null): a client's calls share their
 * config ids, method, address and agent, so most rows copy one run of a few hundred bytes instead
 * of a KeyValue per column.
 */
class Run {
  readonly refs: Int32Array;
  bytes: Uint8Array | null = null;
  constructor(readonly columns: readonly number[]) {
    this.refs = new Int32Array(columns.length);
  }
}

/** A record's attributes as runs of text columns (log id, request id and path apart: they change on every row) and single columns. */
function planOf(columns: readonly number[], apart: readonly number[]): (number | Run)[] {
  const plan: (number | Run)[] = [];
  let run: number[] = [];
  const close = () => {
    if (run.length > 1) plan.push(new Run(run));
    else plan.push(...run);
    run = [];
  };
  for (const c of columns) {
    if (IS_NUMBER[c] || apart.includes(c)) {
      close();
      plan.push(c);
    } else run.push(c);
  }
  close();
  return plan;
}

// What a hole of a stamped record holds (Stamp.open's ids; #hole writes each). A column's value is COLUMN_HOLE + its column.
const TIME_HOLE = 0;
const BODY_PATH_HOLE = 1;
const TRACE_ID_HOLE = 2;
const SPAN_ID_HOLE = 3;
const PARENT_HOLE = 4;
const NAME_ROUTE_HOLE = 5;
const TIMES_HOLE = 6;
const ROUTE_HOLE = 7;
const SLUG_HOLE = 8;
const ATTEMPT_SPAN_ID_HOLE = 9;
const ATTEMPT_PARENT_HOLE = 10;
const ATTEMPT_TIMES_HOLE = 11;
const HOST_HOLE = 12;
const PORT_HOLE = 13;
const ATTEMPT_HOLE = 14;
const COLUMN_HOLE = 100;
/** Holes a record has at most (10 for a log record or a SERVER span). */
const MAX_HOLES = 16;

/** The row columns a CLIENT span's shape is keyed by: its name and method attribute. */
const CLIENT_KEY_COLUMNS = [METHOD];
/** The trace a log record's stamp is given: it reads none. */
const NO_TRACE = new TraceReader();

/**
 * Writes rows' log records and spans; its caches last as long as one batch (its string table).
 * Each kind of record is written in full for the first row of a shape and stamped out for the rows
 * after it that share the shape (stamp.ts): a client's calls to one route differ only in their ids,
 * times, request ids, paths and latencies, so most records are one copy and a few values written
 * in place, each attribute's key and every shared value left as the copy has them.
 */
export class RowRecords {
  #strings: string[] | null = null;
  // Per column, the KeyValue (length-prefixed) of each string-table entry met so far.
  readonly #keyValues: (Uint8Array | undefined)[][] = RECORD_FIELDS.map(() => []);
  readonly #scratch = new ProtobufWriter(256);
  #timeRef = CELL_NULL;
  // The row's time and when the batch's records were observed (once a batch: its rows are exported
  // together), as the 8 bytes of their fixed64 nanoseconds: encoded once, copied into each record.
  readonly #timeNanos = new ProtobufWriter(8);
  readonly #observedNanos = new ProtobufWriter(8);
  readonly #logPlan = planOf(LOG_COLUMNS, [column('id'), REQUEST_ID, PATH]);
  // The log record's columns whose values are holes (apart from the runs), and those its shape is keyed by.
  readonly #logHoleColumns = this.#logPlan.filter((p) => typeof p === 'number');
  readonly #logKeyColumns = [METHOD, ...this.#logPlan.flatMap((p) => (typeof p === 'number' ? [] : p.columns))];
  readonly #serverRun = new Run([CLIENT, PROFILE, IP, MCP_TOOL, MCP_CLIENT]);
  readonly #serverKeyColumns = [CHANNEL, METHOD, COLLECTION, PROXY, ENDPOINT, ERROR_CODE, ...this.#serverRun.columns];
  readonly #runs = [...this.#logPlan.filter((p) => p instanceof Run), this.#serverRun];
  readonly #logStamp = new Stamp(this.#logKeyColumns.length + this.#logHoleColumns.length + 1, MAX_HOLES);
  readonly #serverStamp = new Stamp(this.#serverKeyColumns.length + 9, MAX_HOLES);
  readonly #clientStamp = new Stamp(CLIENT_KEY_COLUMNS.length + 2, MAX_HOLES);

  /** Starts the caches over when `cells` is a new batch's. */
  #batch(cells: RowCells): void {
    if (cells.strings === this.#strings) return;
    this.#strings = cells.strings;
    for (const list of this.#keyValues) list.length = 0;
    for (const run of this.#runs) run.bytes = null;
    this.#logStamp.clear();
    this.#serverStamp.clear();
    this.#clientStamp.clear();
    this.#timeRef = CELL_NULL;
    this.#observedNanos.pos = 0;
    this.#observedNanos.nanos(Date.now());
  }

  /** Keys `columns`' string-table refs into the stamp's shape; false when one is inline text (not known by a ref), which is never stamped. */
  #keyRefs(stamp: Stamp, columns: readonly number[], cells: RowCells): boolean {
    for (let i = 0; i < columns.length; i++) {
      const ref = cells.ref[columns[i]!]!;
      if (ref === CELL_INLINE) return false;
      stamp.key(ref);
    }
    return true;
  }

  /** Keys whether each of `columns` (their values are holes) holds a value. */
  #keyPresence(stamp: Stamp, columns: readonly number[], cells: RowCells): void {
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      stamp.key((IS_NUMBER[c] ? Number.isNaN(cells.num[c]!) : cells.ref[c] === CELL_NULL) ? 0 : 1);
    }
  }

  /** Stamps out the record when the stamp's last full one has the shape just keyed; false (nothing written) when it cannot be. */
  #stamped(w: ProtobufWriter, stamp: Stamp, cells: RowCells, t: TraceReader): boolean {
    if (!stamp.fits()) return false;
    const start = stamp.copy(w);
    for (let h = 0; h < stamp.holes; h++) {
      this.#hole(w, stamp.at(w, start, h), cells, t);
      if (!stamp.ended(w, start, h)) {
        w.pos = start;
        return false;
      }
    }
    stamp.done(w, start);
    return true;
  }

  /** Writes what hole `id` holds for this row (and trace, and the attempt `t.upstream` is on). */
  #hole(w: ProtobufWriter, id: number, cells: RowCells, t: TraceReader): void {
    const b = t.bytes;
    const up = t.upstream;
    switch (id) {
      case TIME_HOLE:
        w.raw(this.#time(cells));
        return;
      case BODY_PATH_HOLE:
        this.#utf8(w, PATH, cells);
        return;
      case TRACE_ID_HOLE:
        w.hexFrom(b, t.traceIdAt, t.traceIdLength);
        return;
      case SPAN_ID_HOLE:
      case ATTEMPT_PARENT_HOLE:
        w.hexFrom(b, t.spanIdAt, t.spanIdLength);
        return;
      case PARENT_HOLE:
        w.hexFrom(b, t.parentSpanIdAt, t.parentSpanIdLength);
        return;
      case NAME_ROUTE_HOLE:
        w.utf8From(b, t.routeAt, t.routeLength);
        return;
      case TIMES_HOLE:
        w.nanosFrom(t.view, t.startAt);
        w.tag(8, 1);
        w.nanosFrom(t.view, t.endAt);
        return;
      case ROUTE_HOLE:
        w.tag(1, 2);
        w.copy(b, t.routeAt, t.routeLength);
        return;
      case SLUG_HOLE:
        w.tag(1, 2);
        w.copy(b, t.collectionSlugAt, t.collectionSlugLength);
        return;
      case ATTEMPT_SPAN_ID_HOLE:
        w.hexFrom(b, up.spanIdAt, up.spanIdLength);
        return;
      case ATTEMPT_TIMES_HOLE:
        w.nanosFrom(t.view, up.startAt);
        w.tag(8, 1);
        // An attempt still open when the call ended (its response never came) ends with the call.
        w.nanosFrom(t.view, up.endMs === 0 ? t.endAt : up.endAt);
        return;
      case HOST_HOLE:
        w.tag(1, 2);
        w.copy(b, up.hostAt, up.hostLength);
        return;
      case PORT_HOLE:
        numberValue(w, up.port);
        return;
      case ATTEMPT_HOLE:
        numberValue(w, up.attempt);
        return;
      default:
        this.#cellValue(w, id - COLUMN_HOLE, cells);
    }
  }

  /** Field `field` (tag and length-prefixed content) whose content is hole `id`. */
  #fieldHole(w: ProtobufWriter, stamp: Stamp, field: number, id: number, cells: RowCells, t: TraceReader): void {
    w.tag(field, 2);
    stamp.open(w, id);
    this.#hole(w, id, cells, t);
    stamp.close(w);
  }

  /** A KeyValue (field `field`) under a pre-encoded key whose value (its AnyValue's one field, tag included) is hole `id`. */
  #keyValueHole(w: ProtobufWriter, stamp: Stamp, field: number, key: Uint8Array, id: number, cells: RowCells, t: TraceReader): void {
    w.tag(field, 2);
    const kv = w.begin();
    w.raw(key);
    w.tag(2, 2);
    const any = w.begin();
    stamp.open(w, id);
    this.#hole(w, id, cells, t);
    stamp.close(w);
    stamp.end(w, any);
    stamp.end(w, kv);
  }

  /** A column's KeyValue whose value is a hole; none when null (which the shape keys). */
  #cellHole(w: ProtobufWriter, stamp: Stamp, field: number, c: number, cells: RowCells): void {
    if (IS_NUMBER[c] ? Number.isNaN(cells.num[c]!) : cells.ref[c] === CELL_NULL) return;
    this.#keyValueHole(w, stamp, field, KEY_FIELD[c]!, COLUMN_HOLE + c, cells, NO_TRACE);
  }

  /** A column's value as its AnyValue's field, as #text and #number write it. */
  #cellValue(w: ProtobufWriter, c: number, cells: RowCells): void {
    if (IS_NUMBER[c]) {
      numberValue(w, cells.num[c]!);
      return;
    }
    const ref = cells.ref[c]!;
    w.tag(1, 2);
    if (ref === CELL_INLINE) w.copy(cells.bytes, cells.at[c]!, cells.length[c]!);
    else w.string(cells.strings[ref]!);
  }

  /** A run of text columns' KeyValues as field `field`: copied whole when its cells are the last row's. */
  #run(w: ProtobufWriter, field: number, run: Run, cells: RowCells): void {
    const columns = run.columns;
    const refs = run.refs;
    let same = run.bytes !== null;
    for (let i = 0; i < columns.length; i++) {
      const ref = cells.ref[columns[i]!]!;
      if (ref === CELL_INLINE) {
        // Text in the row itself (not shared): nothing to key the copy by.
        run.bytes = null;
        for (const c of columns) this.#text(w, field, c, cells);
        return;
      }
      if (ref !== refs[i]) {
        same = false;
        refs[i] = ref;
      }
    }
    if (same) {
      w.raw(run.bytes!);
      return;
    }
    const start = w.pos;
    for (const c of columns) this.#text(w, field, c, cells);
    run.bytes = w.bytes.slice(start, w.pos);
  }

  /** A text cell's UTF-8 without a length prefix, as String(cells.text(c)) spells it ('null' for null). */
  #utf8(w: ProtobufWriter, c: number, cells: RowCells): void {
    const ref = cells.ref[c]!;
    if (ref >= 0) w.utf8(cells.strings[ref]!);
    else if (ref === CELL_INLINE) w.utf8From(cells.bytes, cells.at[c]!, cells.length[c]!);
    else w.utf8('null');
  }

  /** The row's time (fixed64 nanoseconds), parsed and encoded once per batch and time. */
  #time(cells: RowCells): Uint8Array {
    const ref = cells.ref[TIME]!;
    if (ref < 0 || ref !== this.#timeRef) {
      this.#timeRef = ref < 0 ? CELL_NULL : ref;
      this.#timeNanos.pos = 0;
      this.#timeNanos.nanos(Date.parse(ref < 0 ? String(cells.text(TIME)) : cells.strings[ref]!));
    }
    return this.#timeNanos.bytes;
  }

  /** A text column's KeyValue as field `field`; none when null. */
  #text(w: ProtobufWriter, field: number, c: number, cells: RowCells): void {
    const ref = cells.ref[c]!;
    if (ref === CELL_NULL) return;
    w.tag(field, 2);
    if (ref === CELL_INLINE || c === REQUEST_ID) {
      // Inline text (the log id) is copied as it lies; the request id is new on every row, not worth keeping.
      const kv = w.begin();
      w.raw(KEY_FIELD[c]!);
      w.tag(2, 2);
      const any = w.begin();
      w.tag(1, 2);
      if (ref === CELL_INLINE) w.copy(cells.bytes, cells.at[c]!, cells.length[c]!);
      else w.string(cells.strings[ref]!);
      w.end(any);
      w.end(kv);
      return;
    }
    let encoded = this.#keyValues[c]![ref];
    if (encoded === undefined) {
      const s = this.#scratch;
      s.pos = 0;
      const kv = s.begin();
      s.raw(KEY_FIELD[c]!);
      s.tag(2, 2);
      const any = s.begin();
      s.tag(1, 2);
      s.string(cells.strings[ref]!);
      s.end(any);
      s.end(kv);
      encoded = s.finish();
      this.#keyValues[c]![ref] = encoded;
    }
    w.raw(encoded);
  }

  /** A number column's KeyValue as otlp-fields.ts `attribute` writes it; none when null. */
  #number(w: ProtobufWriter, field: number, c: number, cells: RowCells): void {
    const n = cells.num[c]!;
    if (!Number.isNaN(n)) numberKeyValue(w, field, KEY_FIELD[c]!, n);
  }

  /** The row's log record (a `log_records` field of ScopeLogs). */
  log(w: ProtobufWriter, cells: RowCells): void {
    this.#batch(cells);
    const stamp = this.#logStamp;
    stamp.shape();
    const status = cells.num[STATUS]!;
    stamp.key(status);
    this.#keyPresence(stamp, this.#logHoleColumns, cells);
    const keyed = this.#keyRefs(stamp, this.#logKeyColumns, cells);
    if (keyed && this.#stamped(w, stamp, cells, NO_TRACE)) return;
    stamp.begin(w);
    w.tag(2, 2);
    const record = w.begin();
    const at = w.pos;
    writeLogStartEncoded(w, this.#time(cells), this.#observedNanos.bytes, status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO');
    // The time's 8 bytes follow its one-byte tag.
    stamp.mark(TIME_HOLE, at + 1, at + 9);
    // The body, `method path status` (field 5), written in pieces rather than joined first.
    w.tag(5, 2);
    const any = w.begin();
    w.tag(1, 2);
    const body = w.begin();
    this.#utf8(w, METHOD, cells);
    w.utf8(' ');
    stamp.open(w, BODY_PATH_HOLE);
    this.#utf8(w, PATH, cells);
    stamp.close(w);
    w.utf8(' ');
    w.utf8(String(status));
    stamp.end(w, body);
    stamp.end(w, any);
    w.constant(12, 'gatehouse.request');
    for (const step of this.#logPlan) {
      if (typeof step === 'number') this.#cellHole(w, stamp, 6, step, cells);
      else this.#run(w, 6, step, cells);
    }
    stamp.end(w, record);
    if (keyed) stamp.keep(w);
  }

  /** The call's SERVER span (a `spans` field of ScopeSpans), from the trace `t` is on: its attributes as record-spans.ts has them. */
  serverSpan(w: ProtobufWriter, cells: RowCells, t: TraceReader): void {
    this.#batch(cells);
    const stamp = this.#serverStamp;
    stamp.shape();
    stamp.key(cells.num[STATUS]!);
    stamp.key(t.traceFlags);
    stamp.key(t.parentRemote ? 1 : 0);
    stamp.key(t.parentSpanIdAt === NULL_AT ? 0 : 1);
    stamp.key(t.routeAt === NULL_AT ? 0 : 1);
    stamp.key(t.collectionSlugAt === NULL_AT ? 0 : 1);
    this.#keyPresence(stamp, SERVER_HOLE_COLUMNS, cells);
    // A trace state or a workflow (its guardrail outcomes) is written in full every time.
    const keyed = t.traceStateAt === NULL_AT && t.workflowIdAt === NULL_AT && this.#keyRefs(stamp, this.#serverKeyColumns, cells);
    if (keyed && this.#stamped(w, stamp, cells, t)) return;
    const b = t.bytes;
    stamp.begin(w);
    w.tag(2, 2);
    const span = w.begin();
    this.#fieldHole(w, stamp, 1, TRACE_ID_HOLE, cells, t);
    this.#fieldHole(w, stamp, 2, SPAN_ID_HOLE, cells, t);
    if (t.traceStateAt !== NULL_AT) {
      w.tag(3, 2);
      w.copy(b, t.traceStateAt, t.traceStateLength);
    }
    if (t.parentSpanIdAt !== NULL_AT) this.#fieldHole(w, stamp, 4, PARENT_HOLE, cells, t);
    w.tag(5, 2);
    const name = w.begin();
    if (cells.text(CHANNEL) === 'mcp') w.utf8('execute_call ');
    this.#utf8(w, METHOD, cells);
    if (t.routeAt !== NULL_AT) {
      w.utf8(' ');
      stamp.open(w, NAME_ROUTE_HOLE);
      this.#hole(w, NAME_ROUTE_HOLE, cells, t);
      stamp.close(w);
    }
    stamp.end(w, name);
    w.tag(6, 0);
    w.varint(KIND_SERVER);
    w.tag(7, 1);
    stamp.open(w, TIMES_HOLE);
    this.#hole(w, TIMES_HOLE, cells, t);
    stamp.close(w);
    this.#text(w, 9, CHANNEL, cells);
    this.#text(w, 9, METHOD, cells);
    this.#cellHole(w, stamp, 9, PATH, cells);
    this.#cellHole(w, stamp, 9, REQUEST_ID, cells);
    if (t.routeAt !== NULL_AT) this.#keyValueHole(w, stamp, 9, SPAN_KEY.route, ROUTE_HOLE, cells, t);
    if (cells.ref[PROXY] !== CELL_NULL) {
      this.#text(w, 9, COLLECTION, cells);
      if (t.collectionSlugAt !== NULL_AT) this.#keyValueHole(w, stamp, 9, SPAN_KEY.collectionSlug, SLUG_HOLE, cells, t);
      this.#text(w, 9, PROXY, cells);
    }
    this.#text(w, 9, ENDPOINT, cells);
    if (t.workflowIdAt !== NULL_AT) {
      textAttribute(w, SPAN_KEY.workflowId, b, t.workflowIdAt, t.workflowIdLength);
      attribute(w, 9, 'gatehouse.workflow.version', nullable(t.workflowVersion));
      const outcomes = t.text(t.guardrailsAt, t.guardrailsLength);
      if (outcomes !== null) {
        const guardrails: Attributes = {};
        addGuardrailAttributes(guardrails, outcomes.split('; '));
        for (const key in guardrails) attribute(w, 9, key, guardrails[key]);
      }
    }
    this.#run(w, 9, this.#serverRun, cells);
    this.#cellHole(w, stamp, 9, UPSTREAM_LATENCY, cells);
    this.#number(w, 9, STATUS, cells);
    this.#text(w, 9, ERROR_CODE, cells);
    const error = cells.ref[ERROR_CODE] !== CELL_NULL;
    writeSpanTail(w, error ? cells.text(ERROR_CODE) : null, error || cells.num[STATUS]! >= 500, t.traceFlags, t.parentRemote);
    stamp.end(w, span);
    if (keyed) stamp.keep(w);
  }

  /** The CLIENT span of the current trace's upstream attempt `i`, child of the call's span. */
  clientSpan(w: ProtobufWriter, cells: RowCells, t: TraceReader, i: number): void {
    this.#batch(cells);
    const up = t.readUpstream(i);
    const stamp = this.#clientStamp;
    stamp.shape();
    stamp.key(up.status);
    stamp.key(t.traceFlags);
    // A trace state, a workflow or an error's name is written in full every time.
    const keyed = t.traceStateAt === NULL_AT && t.workflowIdAt === NULL_AT && up.errorAt === NULL_AT && this.#keyRefs(stamp, CLIENT_KEY_COLUMNS, cells);
    if (keyed && this.#stamped(w, stamp, cells, t)) return;
    const b = t.bytes;
    stamp.begin(w);
    w.tag(2, 2);
    const span = w.begin();
    this.#fieldHole(w, stamp, 1, TRACE_ID_HOLE, cells, t);
    this.#fieldHole(w, stamp, 2, ATTEMPT_SPAN_ID_HOLE, cells, t);
    if (t.traceStateAt !== NULL_AT) {
      w.tag(3, 2);
      w.copy(b, t.traceStateAt, t.traceStateLength);
    }
    this.#fieldHole(w, stamp, 4, ATTEMPT_PARENT_HOLE, cells, t);
    w.tag(5, 2);
    const name = w.begin();
    w.utf8('upstream ');
    this.#utf8(w, METHOD, cells);
    w.end(name);
    w.tag(6, 0);
    w.varint(KIND_CLIENT);
    w.tag(7, 1);
    stamp.open(w, ATTEMPT_TIMES_HOLE);
    this.#hole(w, ATTEMPT_TIMES_HOLE, cells, t);
    stamp.close(w);
    this.#text(w, 9, METHOD, cells);
    this.#keyValueHole(w, stamp, 9, SPAN_KEY.serverAddress, HOST_HOLE, cells, t);
    this.#keyValueHole(w, stamp, 9, SPAN_KEY.serverPort, PORT_HOLE, cells, t);
    this.#keyValueHole(w, stamp, 9, SPAN_KEY.attempt, ATTEMPT_HOLE, cells, t);
    if (t.workflowIdAt !== NULL_AT) {
      textAttribute(w, SPAN_KEY.workflowId, b, t.workflowIdAt, t.workflowIdLength);
      attribute(w, 9, 'gatehouse.workflow.version', nullable(t.workflowVersion));
      if (up.routeNodeAt !== NULL_AT) {
        textAttribute(w, SPAN_KEY.nodeId, b, up.routeNodeAt, up.routeNodeLength);
        attribute(w, 9, 'gatehouse.workflow.node.type', 'route');
        textAttribute(w, SPAN_KEY.routeGroup, b, up.routeGroupAt, up.routeGroupLength);
      }
    }
    // A client span without a code of its own names its failure by the status (the upstream refused what was sent).
    const failed = up.status >= 400;
    // The error's name is decoded only for a failed attempt (its status message needs it as text).
    const error = t.text(up.errorAt, up.errorLength);
    if (!Number.isNaN(up.status)) numberAttribute(w, SPAN_KEY.statusCode, up.status);
    attribute(w, 9, 'error.type', error ?? (failed ? String(up.status) : null));
    writeSpanTail(w, error, error !== null || failed, t.traceFlags, false);
    stamp.end(w, span);
    if (keyed) stamp.keep(w);
  }
}

/** The row columns whose values are holes of a SERVER span (its shape keys whether each is present). */
const SERVER_HOLE_COLUMNS = [PATH, REQUEST_ID, UPSTREAM_LATENCY];

/** A number the trace section holds as NaN for null. */
const nullable = (n: number): number | null => (Number.isNaN(n) ? null : n);

/** A span attribute's key as field 1 of its KeyValue, encoded once. */
function keyField(key: string): Uint8Array {
  const w = new ProtobufWriter(key.length + 8);
  w.tag(1, 2);
  w.string(key);
  return w.finish();
}

/** The keys of the span attributes a trace section (not a row) holds. */
const SPAN_KEY = {
  route: keyField('http.route'),
  collectionSlug: keyField('gatehouse.collection.slug'),
  workflowId: keyField('gatehouse.workflow.id'),
  serverAddress: keyField('server.address'),
  serverPort: keyField('server.port'),
  attempt: keyField('gatehouse.upstream.attempt'),
  nodeId: keyField('gatehouse.workflow.node.id'),
  routeGroup: keyField('gatehouse.workflow.route.group'),
  statusCode: keyField('http.response.status_code'),
};

/** A number attribute (field 9 of a span) under a pre-encoded key. */
function numberAttribute(w: ProtobufWriter, key: Uint8Array, n: number): void {
  numberKeyValue(w, 9, key, n);
}

/** A KeyValue with a number under a pre-encoded key as field `field`, as otlp-fields.ts `attribute` writes a number. */
function numberKeyValue(w: ProtobufWriter, field: number, key: Uint8Array, n: number): void {
  w.tag(field, 2);
  const kv = w.begin();
  w.raw(key);
  w.tag(2, 2);
  const any = w.begin();
  numberValue(w, n);
  w.end(any);
  w.end(kv);
}

/** A number as its AnyValue's field, as otlp-fields.ts `attribute` writes it: int_value when whole and non-negative, else double_value. */
function numberValue(w: ProtobufWriter, n: number): void {
  if (Number.isSafeInteger(n) && n >= 0) {
    w.tag(3, 0);
    w.varint(n);
  } else {
    w.tag(4, 1);
    w.double(n);
  }
}

/** An attribute (field 9 of a span) under a pre-encoded key whose string value lies in `source` as UTF-8, as otlp-fields.ts `attribute` writes it; none when `at` is NULL_AT. */
function textAttribute(w: ProtobufWriter, key: Uint8Array, source: Uint8Array, at: number, length: number): void {
  if (at === NULL_AT) return;
  w.tag(9, 2);
  const kv = w.begin();
  w.raw(key);
  w.tag(2, 2);
  const any = w.begin();
  w.tag(1, 2);
  w.copy(source, at, length);
  w.end(any);
  w.end(kv);
}
