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

/** Raw rows as they cross to the writer worker: row-major values in column order, ready to bind as statement parameters. */
export interface RowBatch {
  rows: number;
  values: unknown[];
}

/**
 * A fixed-capacity, reused buffer of raw rows. Appending copies 23 fields into one flat array, so
 * the record object dies young, and the structured clone of one flat array costs a third of
 * cloning the record objects (no property names per row).
 */
export class RecordBatch {
  readonly capacity: number;
  #rows = 0;
  // Packed (not holey) so V8's serializer takes its dense fast path.
  readonly #values: unknown[];

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#values = Array.from({ length: capacity * WIDTH }, () => null);
  }

  get length(): number {
    return this.#rows;
  }

  /** Appends a record under its canonical `time`; the caller keeps length below capacity. */
  push(r: RequestRecord, time: string): void {
    const v = this.#values;
    let o = this.#rows++ * WIDTH;
    v[o++] = r.id;
    v[o++] = r.requestId;
    v[o++] = time;
    v[o++] = r.channel;
    v[o++] = r.collectionId;
    v[o++] = r.proxyId;
    v[o++] = r.endpointId;
    v[o++] = r.clientId;
    v[o++] = r.profileId;
    v[o++] = r.method;
    v[o++] = r.path;
    v[o++] = r.status;
    v[o++] = r.latencyMs;
    v[o++] = r.upstreamLatencyMs;
    v[o++] = r.bytesIn;
    v[o++] = r.bytesOut;
    v[o++] = r.ip;
    v[o++] = r.userAgent;
    v[o++] = r.errorCode;
    v[o++] = r.mcpClient;
    v[o++] = r.mcpTool;
    v[o++] = r.requestBody;
    v[o] = r.responseBody;
  }

  /**
   * The rows so far, and starts empty. A full batch hands out its own array: postMessage clones
   * it synchronously, so the caller must post before the next push.
   */
  take(): RowBatch {
    const rows = this.#rows;
    this.#rows = 0;
    const values = rows === this.capacity ? this.#values : this.#values.slice(0, rows * WIDTH);
    return { rows, values };
  }
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
