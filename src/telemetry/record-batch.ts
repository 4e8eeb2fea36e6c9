import type { RequestRecord } from '../core/index.js';

/** `request_logs` columns in the order a batch stores each row's values. */
export const REQUEST_LOG_COLUMNS = [
  'id',
  'request_id',
  'time',
  'channel',
  'collection_id',
  'proxy_id',
  'endpoint_id',
  'client_id',
  'profile_id',
  'method',
  'path',
  'status',
  'latency_ms',
  'upstream_latency_ms',
  'bytes_in',
  'bytes_out',
  'ip',
  'user_agent',
  'error_code',
  'mcp_client',
  'mcp_tool',
  'request_body',
  'response_body',
] as const;

const WIDTH = REQUEST_LOG_COLUMNS.length;
// Which columns hold numbers (stored as float64, NaN for null); every other column is text or null.
const NUMERIC = new Set<(typeof REQUEST_LOG_COLUMNS)[number]>(['status', 'latency_ms', 'upstream_latency_ms', 'bytes_in', 'bytes_out']);
const IS_NUMBER = REQUEST_LOG_COLUMNS.map((c) => NUMERIC.has(c));
const NULL_STRING = 0xffffffff;
const ROW_BYTES_GUESS = 512;

/** Raw rows as they cross to the writer worker: `rows` encoded rows in `bytes` (see RecordBatch). */
export interface RowBatch {
  rows: number;
  bytes: Uint8Array;
}

/**
 * A batch of raw rows encoded into one byte buffer that is transferred (not cloned) to the writer
 * worker. Holding records as objects or as arrays of their values until a batch was full kept
 * ~8 young objects per call alive through each scavenge and then cost a structured clone; encoding
 * at once leaves nothing behind on the main thread's heap. A row is its columns in order: a string
 * as uint32 byte length (0xffffffff for null) then UTF-8, a number as float64 (NaN for null).
 */
export class RecordBatch {
  readonly capacity: number;
  #rows = 0;
  #buf: Buffer;
  #view: DataView;
  #offset = 0;

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
      // A half-written row would make the whole batch undecodable.
      this.#offset = start;
      throw err;
    }
    this.#rows++;
  }

  #encode(r: RequestRecord, time: string): void {
    this.#string(r.id);
    this.#string(r.requestId);
    this.#string(time);
    this.#string(r.channel);
    this.#string(r.collectionId);
    this.#string(r.proxyId);
    this.#string(r.endpointId);
    this.#string(r.clientId);
    this.#string(r.profileId);
    this.#string(r.method);
    this.#string(r.path);
    this.#number(r.status);
    this.#number(r.latencyMs);
    this.#number(r.upstreamLatencyMs);
    this.#number(r.bytesIn);
    this.#number(r.bytesOut);
    this.#string(r.ip);
    this.#string(r.userAgent);
    this.#string(r.errorCode);
    this.#string(r.mcpClient);
    this.#string(r.mcpTool);
    this.#string(r.requestBody);
    this.#string(r.responseBody);
  }

  /** The rows so far, and starts empty on a fresh buffer: the returned bytes are the caller's to transfer. */
  take(): RowBatch {
    if (this.#rows === 0) return { rows: 0, bytes: new Uint8Array(0) };
    const batch = { rows: this.#rows, bytes: this.#buf.subarray(0, this.#offset) };
    this.#rows = 0;
    this.#offset = 0;
    this.#buf = Buffer.allocUnsafeSlow(this.#buf.length);
    this.#view = new DataView(this.#buf.buffer, this.#buf.byteOffset, this.#buf.length);
    return batch;
  }

  #string(s: string | null): void {
    if (s === null) {
      this.#reserve(4);
      this.#view.setUint32(this.#offset, NULL_STRING, true);
      this.#offset += 4;
      return;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.#reserve(4 + s.length * 3);
    const n = this.#buf.write(s, this.#offset + 4, 'utf8');
    this.#view.setUint32(this.#offset, n, true);
    this.#offset += 4 + n;
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

/**
 * Decodes a batch row by row into `row` (reused: one array per batch, not per row) and calls
 * `each` with it; `row` holds the columns in REQUEST_LOG_COLUMNS order.
 */
export function forEachRow(batch: RowBatch, each: (row: unknown[]) => void): void {
  const { bytes } = batch;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const row: unknown[] = new Array<unknown>(WIDTH).fill(null);
  let o = 0;
  for (let r = 0; r < batch.rows; r++) {
    for (let c = 0; c < WIDTH; c++) {
      if (IS_NUMBER[c]) {
        const n = view.getFloat64(o, true);
        row[c] = Number.isNaN(n) ? null : n;
        o += 8;
      } else {
        const len = view.getUint32(o, true);
        o += 4;
        if (len === NULL_STRING) row[c] = null;
        else {
          row[c] = buf.toString('utf8', o, o + len);
          o += len;
        }
      }
    }
    each(row);
  }
  if (o !== bytes.byteLength) throw new Error(`request-log batch is malformed: decoded ${o} of ${bytes.byteLength} bytes`);
}

/** The batch's rows as one flat, row-major array of values (for a multi-row insert). */
export function rowValues(batch: RowBatch): unknown[] {
  const values: unknown[] = [];
  forEachRow(batch, (row) => {
    for (const v of row) values.push(v);
  });
  return values;
}

const insertSql = new Map<string, string>();

/** `insert … values (…), … on conflict (id) do nothing` for `rows` rows, with the most recent shapes cached. */
export function insertRowsSql(dialect: 'sqlite' | 'postgres', rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = insertSql.get(key);
  if (text !== undefined) {
    // Refresh its place so the full-batch shape, used on every busy flush, is never evicted.
    insertSql.delete(key);
  } else {
    let n = 0;
    const param = dialect === 'postgres' ? () => `$${++n}` : () => '?';
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${REQUEST_LOG_COLUMNS.map(param).join(',')})`);
    // A retried or duplicated id must not poison the whole batch.
    text = `insert into request_logs (${REQUEST_LOG_COLUMNS.join(',')}) values ${tuples.join(',')} on conflict (id) do nothing`;
    if (insertSql.size >= 8) insertSql.delete(insertSql.keys().next().value as string);
  }
  insertSql.set(key, text);
  return text;
}
