import type { RequestRecord } from '../core/index.js';

/** A record's fields in the order a batch stores each row's values. */
export const RECORD_FIELDS = [
  'id',
  'requestId',
  'time',
  'channel',
  'collectionId',
  'proxyId',
  'endpointId',
  'clientId',
  'profileId',
  'method',
  'path',
  'status',
  'latencyMs',
  'upstreamLatencyMs',
  'bytesIn',
  'bytesOut',
  'ip',
  'userAgent',
  'errorCode',
  'mcpClient',
  'mcpTool',
  'requestBody',
  'responseBody',
  'workflow',
  'subject',
  'actor',
  'mcpMethod',
  'mcpTokens',
  'mcpServer',
] as const satisfies ReadonlyArray<keyof RequestRecord>;

/**
 * The row encoding segments are written in now. Older formats hold a prefix of RECORD_FIELDS:
 * format 1 lacks `workflow` and everything after it, format 2 lacks `subject` and everything after
 * it, format 3 lacks `mcpMethod` and what follows, format 4 lacks `mcpTokens` and `mcpServer`,
 * format 5 lacks `mcpServer`.
 */
export const SEGMENT_FORMAT = 6;
const WIDTH = RECORD_FIELDS.length;
/** How many of RECORD_FIELDS a row of each format holds. */
const WIDTH_OF_FORMAT: Record<number, number> = { 1: WIDTH - 6, 2: WIDTH - 5, 3: WIDTH - 3, 4: WIDTH - 2, 5: WIDTH - 1, 6: WIDTH };
const fieldIndex = (field: (typeof RECORD_FIELDS)[number]): number => RECORD_FIELDS.indexOf(field);
const TIME = fieldIndex('time');
const CHANNEL = fieldIndex('channel');
const COLLECTION = fieldIndex('collectionId');
const PROXY = fieldIndex('proxyId');
const ENDPOINT = fieldIndex('endpointId');
const CLIENT = fieldIndex('clientId');
const PROFILE = fieldIndex('profileId');
const METHOD = fieldIndex('method');
const PATH = fieldIndex('path');
const IP = fieldIndex('ip');
const USER_AGENT = fieldIndex('userAgent');
const ERROR_CODE = fieldIndex('errorCode');
const MCP_CLIENT = fieldIndex('mcpClient');
const MCP_TOOL = fieldIndex('mcpTool');
const WORKFLOW = fieldIndex('workflow');
const SUBJECT = fieldIndex('subject');
const ACTOR = fieldIndex('actor');
const MCP_METHOD = fieldIndex('mcpMethod');
const MCP_SERVER = fieldIndex('mcpServer');
// Which fields hold numbers (stored as float64, NaN for null); every other field is text or null.
const NUMERIC = new Set<(typeof RECORD_FIELDS)[number]>(['status', 'latencyMs', 'upstreamLatencyMs', 'bytesIn', 'bytesOut', 'mcpTokens']);
const IS_NUMBER = RECORD_FIELDS.map((f) => NUMERIC.has(f));
const NULL_STRING = 0xffffffff;
/** Tags at or above this (and below NULL_STRING) refer to the string table: index = tag - SHARED_BASE. */
const SHARED_BASE = 0x80000000;
const ROW_BYTES_GUESS = 256;
// Strings up to this length are copied code unit by code unit when they are ASCII: cheaper than a
// native Buffer.write call for the short ids and paths that make up most of a row.
const SHORT_STRING = 64;

/** Raw rows as they cross to the writer worker: `rows` encoded rows in `bytes`, with their string table (see RecordBatch). */
export interface RowBatch {
  rows: number;
  bytes: Uint8Array;
  strings: string[];
  /** The row encoding; absent means the current one (a batch just encoded). */
  format?: number;
  /**
   * The batch's id, given when it leaves the main thread: its segment is stored under it, so a
   * batch written again (replayed from the spool after a crash) is recognised and not counted twice.
   */
  id?: string;
}

/**
 * A batch of raw rows encoded into one byte buffer that is transferred (not cloned) to the writer
 * worker. Holding records as objects or as arrays of their values until a batch was full kept
 * ~8 young objects per call alive through each scavenge and then cost a structured clone; encoding
 * at once leaves nothing behind on the main thread's heap. A row is its values in RECORD_FIELDS
 * order: a number as float64 (NaN for null); a string as a uint32 tag, 0xffffffff for null,
 * SHARED_BASE + i for entry i of the batch's string table, else the byte length of the UTF-8 that
 * follows.
 */
export class RecordBatch {
  readonly capacity: number;
  #rows = 0;
  #buf: Buffer;
  #view: DataView;
  #offset = 0;
  #table = new Map<string, number>();
  #strings: string[] = [];
  // Per column, the last string written there and its tag. Most values repeat the previous row's
  // as the very same string object (config ids, the millisecond's time, method) or an equal one
  // (path, address, user agent), so a comparison spares hashing the string for the table lookup.
  #lastText: (string | null)[] = new Array<string | null>(WIDTH).fill(null);
  #lastTag: number[] = new Array<number>(WIDTH).fill(0);

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#buf = Buffer.allocUnsafeSlow(capacity * ROW_BYTES_GUESS);
    this.#view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.length);
  }

  get length(): number {
    return this.#rows;
  }

  /** Bytes encoded so far. */
  get byteLength(): number {
    return this.#offset;
  }

  /** Appends a record under its canonical `time`; the caller keeps length below capacity. */
  push(r: RequestRecord, time: string): void {
    const start = this.#offset;
    try {
      this.#encode(r, time);
    } catch (err) {
      // A half-written row would make the whole batch undecodable (a string-table entry it added is unused, and harmless).
      this.#offset = start;
      throw err;
    }
    this.#rows++;
  }

  // The log id and bodies are written inline. All other text goes through the string table: most
  // of it repeats from call to call (ids from the config, method, path, the millisecond's time,
  // caller address, user agent), so it is encoded once per batch here and decoded once per batch;
  // and the stored table doubles as the segment's index of values a search can filter on (the
  // request id among them).
  #encode(r: RequestRecord, time: string): void {
    this.#reserve(WIDTH * 8);
    this.#inline(r.id);
    this.#unique(r.requestId);
    this.#shared(time, TIME);
    this.#shared(r.channel, CHANNEL);
    this.#shared(r.collectionId, COLLECTION);
    this.#shared(r.proxyId, PROXY);
    this.#shared(r.endpointId, ENDPOINT);
    this.#shared(r.clientId, CLIENT);
    this.#shared(r.profileId, PROFILE);
    this.#shared(r.method, METHOD);
    this.#shared(r.path, PATH);
    this.#number(r.status);
    this.#number(r.latencyMs);
    this.#number(r.upstreamLatencyMs);
    this.#number(r.bytesIn);
    this.#number(r.bytesOut);
    this.#shared(r.ip, IP);
    this.#shared(r.userAgent, USER_AGENT);
    this.#shared(r.errorCode, ERROR_CODE);
    this.#shared(r.mcpClient, MCP_CLIENT);
    this.#shared(r.mcpTool, MCP_TOOL);
    this.#inline(r.requestBody);
    this.#inline(r.responseBody);
    this.#shared(r.workflow, WORKFLOW);
    this.#shared(r.subject, SUBJECT);
    this.#shared(r.actor, ACTOR);
    this.#shared(r.mcpMethod, MCP_METHOD);
    this.#number(r.mcpTokens ?? null);
    this.#shared(r.mcpServer ?? null, MCP_SERVER);
  }

  /** The rows so far, and starts empty on a fresh buffer: the returned bytes are the caller's to transfer. */
  take(): RowBatch {
    if (this.#rows === 0) {
      this.#offset = 0;
      this.#resetStrings();
      return { rows: 0, bytes: new Uint8Array(0), strings: [] };
    }
    const batch = { rows: this.#rows, bytes: this.#buf.subarray(0, this.#offset), strings: this.#strings };
    this.#rows = 0;
    this.#offset = 0;
    this.#resetStrings();
    this.#buf = Buffer.allocUnsafeSlow(this.#buf.length);
    this.#view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.length);
    return batch;
  }

  #resetStrings(): void {
    this.#table = new Map();
    this.#strings = [];
    this.#lastText.fill(null);
  }

  #tag(tag: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#offset, tag, true);
    this.#offset += 4;
  }

  /** Text through the string table; `column` is its index in RECORD_FIELDS. */
  #shared(s: string | null, column: number): void {
    if (s === null) {
      this.#tag(NULL_STRING);
      return;
    }
    if (s === this.#lastText[column]) {
      this.#tag(this.#lastTag[column]!);
      return;
    }
    let i = this.#table.get(s);
    if (i === undefined) {
      if (typeof s !== 'string') throw notText(s);
      i = this.#strings.push(s) - 1;
      this.#table.set(s, i);
    }
    const tag = SHARED_BASE + i;
    this.#lastText[column] = s;
    this.#lastTag[column] = tag;
    this.#tag(tag);
  }

  /**
   * Text that is (nearly) always new, the request id: a table entry of its own without a lookup.
   * A repeated value is stored twice, which decodes the same.
   */
  #unique(s: string | null): void {
    if (s === null) {
      this.#tag(NULL_STRING);
      return;
    }
    if (typeof s !== 'string') throw notText(s);
    this.#tag(SHARED_BASE + this.#strings.push(s) - 1);
  }

  #inline(s: string | null): void {
    if (s === null) {
      this.#tag(NULL_STRING);
      return;
    }
    if (typeof s !== 'string') throw notText(s);
    const len = s.length;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.#reserve(4 + len * 3);
    const at = this.#offset + 4;
    if (len <= SHORT_STRING) {
      const buf = this.#buf;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === len) {
        this.#view.setUint32(this.#offset, len, true);
        this.#offset = at + len;
        return;
      }
    }
    const n = this.#buf.write(s, at, 'utf8');
    this.#view.setUint32(this.#offset, n, true);
    this.#offset = at + n;
  }

  #number(n: number | null): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#offset, n ?? Number.NaN, true);
    this.#offset += 8;
  }

  #reserve(bytes: number): void {
    if (this.#offset + bytes <= this.#buf.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.#buf.length * 2, this.#offset + bytes));
    this.#buf.copy(grown, 0, 0, this.#offset);
    this.#buf = grown;
    this.#view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }
}

function notText(value: unknown): TypeError {
  return new TypeError(`request-log text column holds a ${typeof value}`);
}

function malformed(detail: string): Error {
  return new Error(`request-log batch is malformed: ${detail}`);
}

/**
 * Decodes a batch row by row into `row` (reused: one array per batch, not per row) and calls
 * `each` with it; `row` holds the values in RECORD_FIELDS order.
 */
export function forEachRow(batch: RowBatch, each: (row: unknown[]) => void): void {
  walkRows(batch, each, true);
}

/**
 * Like forEachRow, but inline text (the log id, bodies) is skipped unread: '' when present, null
 * when not. For summaries that should not allocate a string per row.
 */
export function scanRows(batch: RowBatch, each: (row: unknown[]) => void): void {
  walkRows(batch, each, false);
}

function walkRows(batch: RowBatch, each: (row: unknown[]) => void, readInline: boolean): void {
  const { bytes, strings } = batch;
  const width = WIDTH_OF_FORMAT[batch.format ?? SEGMENT_FORMAT];
  if (width === undefined) throw malformed(`unknown format ${batch.format}`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  // Fields a row of an older format lacks stay null.
  const row: unknown[] = new Array<unknown>(WIDTH).fill(null);
  let o = 0;
  for (let r = 0; r < batch.rows; r++) {
    for (let c = 0; c < width; c++) {
      if (IS_NUMBER[c]) {
        if (o + 8 > end) throw malformed(`row ${r} ends early`);
        const n = view.getFloat64(o, true);
        row[c] = Number.isNaN(n) ? null : n;
        o += 8;
        continue;
      }
      if (o + 4 > end) throw malformed(`row ${r} ends early`);
      const tag = view.getUint32(o, true);
      o += 4;
      if (tag === NULL_STRING) row[c] = null;
      else if (tag >= SHARED_BASE) {
        const s = strings[tag - SHARED_BASE];
        if (s === undefined) throw malformed(`row ${r} refers to string ${tag - SHARED_BASE} of ${strings.length}`);
        row[c] = s;
      } else {
        if (o + tag > end) throw malformed(`row ${r} ends early`);
        row[c] = readInline ? buf.toString('utf8', o, o + tag) : '';
        o += tag;
      }
    }
    each(row);
  }
  if (o !== end) throw malformed(`decoded ${o} of ${end} bytes`);
}

/** Where a text cell of RowCells points: a string-table index (≥ 0), or one of these. */
export const CELL_NULL = -1;
export const CELL_INLINE = -2;

/**
 * One row of a batch as it lies in the bytes, reused from row to row: `ref[c]` is a text cell's
 * string-table index (CELL_NULL, or CELL_INLINE with its UTF-8 at `at[c]`, `length[c]` bytes of
 * `bytes`), `num[c]` a number cell (NaN for null). For encoders that copy what they need without
 * making a string or an object per cell.
 */
export class RowCells {
  readonly ref = new Int32Array(WIDTH);
  readonly at = new Int32Array(WIDTH);
  readonly length = new Int32Array(WIDTH);
  readonly num = new Float64Array(WIDTH);
  bytes: Uint8Array = new Uint8Array(0);
  strings: string[] = [];

  /** A text cell as a string (inline text is decoded). */
  text(c: number): string | null {
    const ref = this.ref[c]!;
    if (ref >= 0) return this.strings[ref]!;
    if (ref === CELL_NULL) return null;
    const at = this.at[c]!;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + at, this.length[c]!).toString('utf8');
  }

  /** A number cell, null for none. */
  number(c: number): number | null {
    const n = this.num[c]!;
    return Number.isNaN(n) ? null : n;
  }
}

/** Walks a batch's rows as RowCells (one object for the whole batch): nothing is decoded. */
export function forEachRowCells(batch: RowBatch, each: (cells: RowCells) => void): void {
  const { bytes, strings } = batch;
  const width = WIDTH_OF_FORMAT[batch.format ?? SEGMENT_FORMAT];
  if (width === undefined) throw malformed(`unknown format ${batch.format}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  const cells = new RowCells();
  cells.bytes = bytes;
  cells.strings = strings;
  // Fields a row of an older format lacks stay null.
  cells.ref.fill(CELL_NULL);
  cells.num.fill(Number.NaN);
  let o = 0;
  for (let r = 0; r < batch.rows; r++) {
    for (let c = 0; c < width; c++) {
      if (IS_NUMBER[c]) {
        if (o + 8 > end) throw malformed(`row ${r} ends early`);
        cells.num[c] = view.getFloat64(o, true);
        o += 8;
        continue;
      }
      if (o + 4 > end) throw malformed(`row ${r} ends early`);
      const tag = view.getUint32(o, true);
      o += 4;
      if (tag === NULL_STRING) cells.ref[c] = CELL_NULL;
      else if (tag >= SHARED_BASE) {
        const i = tag - SHARED_BASE;
        if (i >= strings.length) throw malformed(`row ${r} refers to string ${i} of ${strings.length}`);
        cells.ref[c] = i;
      } else {
        if (o + tag > end) throw malformed(`row ${r} ends early`);
        cells.ref[c] = CELL_INLINE;
        cells.at[c] = o;
        cells.length[c] = tag;
        o += tag;
      }
    }
    each(cells);
  }
  if (o !== end) throw malformed(`decoded ${o} of ${end} bytes`);
}
