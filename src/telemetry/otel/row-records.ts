import type { Attributes } from '@opentelemetry/api';
import { CELL_INLINE, CELL_NULL, RECORD_FIELDS, type RowCells } from '../record-batch.js';
import { addGuardrailAttributes } from './guardrail-attributes.js';
import { attribute, writeLogStartEncoded, writeSpanTail } from './otlp-fields.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { NULL_AT, type TraceReader } from './trace-section.js';

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
const IS_NUMBER = RECORD_FIELDS.map((f) => ['status', 'latencyMs', 'upstreamLatencyMs', 'bytesIn', 'bytesOut'].includes(f));
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

/** Writes rows' log records and spans; its caches last as long as one batch (its string table). */
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
  readonly #serverRun = new Run([CLIENT, PROFILE, IP, MCP_TOOL, MCP_CLIENT]);
  readonly #runs = [...this.#logPlan.filter((p) => p instanceof Run), this.#serverRun];
  // The last log body written (`method path status`) and its cells.
  #body: Uint8Array | null = null;
  #bodyMethod = CELL_NULL;
  #bodyPath = CELL_NULL;
  #bodyStatus = Number.NaN;

  /** Starts the caches over when `cells` is a new batch's. */
  #batch(cells: RowCells): void {
    if (cells.strings === this.#strings) return;
    this.#strings = cells.strings;
    for (const list of this.#keyValues) list.length = 0;
    for (const run of this.#runs) run.bytes = null;
    this.#body = null;
    this.#timeRef = CELL_NULL;
    this.#observedNanos.pos = 0;
    this.#observedNanos.nanos(Date.now());
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

  /** The log body, `method path status` (field 5), written in pieces rather than joined first; copied when the last row's was the same. */
  #logBody(w: ProtobufWriter, cells: RowCells): void {
    const method = cells.ref[METHOD]!;
    const path = cells.ref[PATH]!;
    const status = cells.num[STATUS]!;
    const shared = method >= 0 && path >= 0;
    if (shared && this.#body !== null && method === this.#bodyMethod && path === this.#bodyPath && status === this.#bodyStatus) {
      w.raw(this.#body);
      return;
    }
    const start = w.pos;
    w.tag(5, 2);
    const any = w.begin();
    w.tag(1, 2);
    const body = w.begin();
    w.utf8(String(cells.text(METHOD)));
    w.utf8(' ');
    w.utf8(String(cells.text(PATH)));
    w.utf8(' ');
    w.utf8(String(cells.number(STATUS)));
    w.end(body);
    w.end(any);
    this.#body = shared ? w.bytes.slice(start, w.pos) : null;
    this.#bodyMethod = method;
    this.#bodyPath = path;
    this.#bodyStatus = status;
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

  /** A column's KeyValue, text or number. */
  #cell(w: ProtobufWriter, field: number, c: number, cells: RowCells): void {
    if (IS_NUMBER[c]) this.#number(w, field, c, cells);
    else this.#text(w, field, c, cells);
  }

  /** The row's log record (a `log_records` field of ScopeLogs). */
  log(w: ProtobufWriter, cells: RowCells): void {
    this.#batch(cells);
    w.tag(2, 2);
    const record = w.begin();
    const status = cells.num[STATUS]!;
    const severity = status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
    writeLogStartEncoded(w, this.#time(cells), this.#observedNanos.bytes, severity);
    this.#logBody(w, cells);
    w.constant(12, 'gatehouse.request');
    for (const step of this.#logPlan) {
      if (typeof step === 'number') this.#cell(w, 6, step, cells);
      else this.#run(w, 6, step, cells);
    }
    w.end(record);
  }

  /** The call's SERVER span (a `spans` field of ScopeSpans), from the trace `t` is on: its attributes as record-spans.ts has them. */
  serverSpan(w: ProtobufWriter, cells: RowCells, t: TraceReader): void {
    this.#batch(cells);
    const b = t.bytes;
    w.tag(2, 2);
    const span = w.begin();
    spanHead(w, t, t.spanIdAt, t.spanIdLength, t.parentSpanIdAt, t.parentSpanIdLength);
    w.tag(5, 2);
    const name = w.begin();
    if (cells.text(CHANNEL) === 'mcp') w.utf8('execute_call ');
    w.utf8(String(cells.text(METHOD)));
    if (t.routeAt !== NULL_AT) {
      w.utf8(' ');
      w.utf8From(b, t.routeAt, t.routeLength);
    }
    w.end(name);
    w.tag(6, 0);
    w.varint(KIND_SERVER);
    w.tag(7, 1);
    w.nanosFrom(t.view, t.startAt);
    w.tag(8, 1);
    w.nanosFrom(t.view, t.endAt);
    this.#text(w, 9, CHANNEL, cells);
    this.#text(w, 9, METHOD, cells);
    this.#text(w, 9, PATH, cells);
    this.#text(w, 9, REQUEST_ID, cells);
    textAttribute(w, SPAN_KEY.route, b, t.routeAt, t.routeLength);
    if (cells.ref[PROXY] !== CELL_NULL) {
      this.#text(w, 9, COLLECTION, cells);
      textAttribute(w, SPAN_KEY.collectionSlug, b, t.collectionSlugAt, t.collectionSlugLength);
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
    this.#number(w, 9, UPSTREAM_LATENCY, cells);
    this.#number(w, 9, STATUS, cells);
    this.#text(w, 9, ERROR_CODE, cells);
    const error = cells.ref[ERROR_CODE] !== CELL_NULL;
    writeSpanTail(w, error ? cells.text(ERROR_CODE) : null, error || cells.num[STATUS]! >= 500, t.traceFlags, t.parentRemote);
    w.end(span);
  }

  /** The CLIENT span of the current trace's upstream attempt `i`, child of the call's span. */
  clientSpan(w: ProtobufWriter, cells: RowCells, t: TraceReader, i: number): void {
    this.#batch(cells);
    const b = t.bytes;
    const up = t.readUpstream(i);
    w.tag(2, 2);
    const span = w.begin();
    spanHead(w, t, up.spanIdAt, up.spanIdLength, t.spanIdAt, t.spanIdLength);
    w.tag(5, 2);
    const name = w.begin();
    w.utf8('upstream ');
    w.utf8(String(cells.text(METHOD)));
    w.end(name);
    w.tag(6, 0);
    w.varint(KIND_CLIENT);
    w.tag(7, 1);
    w.nanosFrom(t.view, up.startAt);
    w.tag(8, 1);
    // An attempt still open when the call ended (its response never came) ends with the call.
    w.nanosFrom(t.view, up.endMs === 0 ? t.endAt : up.endAt);
    this.#text(w, 9, METHOD, cells);
    textAttribute(w, SPAN_KEY.serverAddress, b, up.hostAt, up.hostLength);
    numberAttribute(w, SPAN_KEY.serverPort, up.port);
    numberAttribute(w, SPAN_KEY.attempt, up.attempt);
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
    w.end(span);
  }
}

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
  if (Number.isSafeInteger(n) && n >= 0) {
    w.tag(3, 0);
    w.varint(n);
  } else {
    w.tag(4, 1);
    w.double(n);
  }
  w.end(any);
  w.end(kv);
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

/** A span's ids and trace state (fields 1 to 4), copied from the trace section's hex text. */
function spanHead(w: ProtobufWriter, t: TraceReader, spanIdAt: number, spanIdLength: number, parentAt: number, parentLength: number): void {
  const b = t.bytes;
  w.tag(1, 2);
  w.hexFrom(b, t.traceIdAt, t.traceIdLength);
  w.tag(2, 2);
  w.hexFrom(b, spanIdAt, spanIdLength);
  if (t.traceStateAt !== NULL_AT) {
    w.tag(3, 2);
    w.copy(b, t.traceStateAt, t.traceStateLength);
  }
  if (parentAt !== NULL_AT) {
    w.tag(4, 2);
    w.hexFrom(b, parentAt, parentLength);
  }
}
