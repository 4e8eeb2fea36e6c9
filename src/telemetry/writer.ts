import { join } from 'node:path';
import { pino } from 'pino';
import type { AuditEntry } from '../core/index.js';
import type { DatabaseOptions } from '../store/database.js';
import { OtelOutbox } from './otel/outbox.js';
import { OTEL_DEFAULTS, type OtelSettings } from './otel/settings.js';
import type { SpanRecord } from './otel/span-record.js';
import type { TelemetryMetrics } from './prometheus.js';
import { RecordBatch } from './record-batch.js';
import type { Recorder } from './recorder.js';
import { RollupAccumulator } from './rollups.js';
import { newLogId } from './log-id.js';
import { canonicalTime } from './rows.js';
import type { CheckpointOutcome } from '../store/wal-checkpoints.js';
import { fromWireError, type WireError } from './writer-protocol.js';
import { type WriterChannel, WriterLink } from './writer-link.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

/** Where the writer reports failed writes; a pino logger fits. */
export interface TelemetryLogger {
  error(obj: object, msg: string): void;
  warn?(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface RequestLogWriterOptions {
  /** The options the main thread's `openDatabase` got: the writer's worker opens its own connection with them. */
  database: DatabaseOptions;
  /** Rows per multi-row insert (default 500; at most 1000, SQLite's bound-parameter limit). */
  batchSize?: number;
  /** How often buffered records go to the worker (and so to the spool) at the latest: a kill -9 loses at most this much (default 500 ms). */
  flushIntervalMs?: number;
  /** Raw records held in memory (buffered or on their way to the worker) at most; beyond it records are dropped and counted (default 20,000). */
  maxBuffer?: number;
  /** Where batches wait on local disk while the database cannot take them (default: `request-log-spool` in the data directory; null: no spool). */
  spoolDir?: string | null;
  /** The most bytes the spool holds; beyond it batches are dropped and counted (default 256 MiB). */
  maxSpoolBytes?: number;
  /** Raw logs older than this are deleted (default 7). 0 keeps them forever. Rollups are never deleted. */
  retentionDays?: number;
  retentionIntervalMs?: number;
  metrics?: TelemetryMetrics;
  logger?: TelemetryLogger;
  /** Where batches go instead of a writer thread of this process's own (a `serve --workers` worker sends them to the primary). */
  link?: WriterChannel;
  /**
   * OpenTelemetry export: the writer thread builds a log record per call and the spans of each
   * sampled call from the batches it receives (with a `link`, the primary's writer thread does).
   */
  otel?: OtelSettings;
}

/** What reaches OpenTelemetry besides the calls: spans built outside a request-log record, and audit entries. */
export interface OtelIntake {
  span(r: SpanRecord): void;
  audit(e: AuditEntry): void;
}

export interface RequestLogWriter extends Recorder {
  /** Runs the retention job now; returns the number of raw rows deleted. */
  prune(): Promise<number>;
  /**
   * A PASSIVE checkpoint of the SQLite WAL in the writer's thread, on its connection (with `--workers`,
   * the primary's): the main connection's checkpoints run here instead of in a thread of their own.
   * Null when it failed or the writer is closed.
   */
  checkpoint(): Promise<CheckpointOutcome>;
  /** Where other spans and audit entries go to be exported with the next batch; null when OpenTelemetry is off. */
  otel: OtelIntake | null;
}

type DropReason = 'overflow' | 'write_error' | 'invalid' | 'closed';

const DEFAULT_SPOOL_BYTES = 256 * 1_048_576;

const DAY_MS = 86_400_000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

function openWriterLink(opts: RequestLogWriterOptions): WriterLink {
  const spoolDir = opts.spoolDir === undefined ? join(opts.database.dataDir, 'request-log-spool') : opts.spoolDir;
  return new WriterLink({
    database: opts.database,
    ...(spoolDir === null ? {} : { spool: { dir: spoolDir, maxBytes: opts.maxSpoolBytes ?? DEFAULT_SPOOL_BYTES } }),
    ...(opts.otel ? { otel: opts.otel } : {}),
  });
}

/** The one request-log writer of a `serve --workers` cluster, in the primary: its own (spool replay, retention) and the workers' batches. */
export interface RequestLogWriterHost {
  writer: RequestLogWriter;
  /** Writes a batch a worker sent, with the spool's guarantees, in arrival order. */
  forward(req: WriterRequest): Promise<WriterReply>;
}

/** Starts the writer thread (and its spool) that every worker's batches go through. */
export function hostRequestLogWriter(opts: RequestLogWriterOptions): RequestLogWriterHost {
  const link = openWriterLink(opts);
  const writer = createRequestLogWriter({ ...opts, link });
  return {
    writer,
    forward(req) {
      if (req.kind === 'checkpoint') return link.request(req);
      if (req.kind !== 'write')
        return Promise.resolve({ id: 0, error: { name: 'Error', message: `a worker may only send writes and checkpoints, not ${req.kind}` } });
      // The batch arrived as a copy of its own: its bytes (and its traces) move on to the writer thread without another.
      const transfer: ArrayBuffer[] = [];
      const whole = (bytes: Uint8Array) => bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0;
      if (req.batch.rows > 0 && whole(req.batch.bytes)) transfer.push(req.batch.bytes.buffer as ArrayBuffer);
      if (req.otel?.traces && whole(req.otel.traces)) transfer.push(req.otel.traces.buffer as ArrayBuffer);
      return link.request(req, transfer);
    },
  };
}

/**
 * The request-log recorder. The main thread only counts each call (Prometheus, per-minute rollup
 * cells) and copies its fields into a batch; a worker thread with its own database connection
 * writes each batch, raw rows and rollup upserts in one transaction, in the order posted. Under
 * overload raw records are dropped (and counted) but still folded into the rollups, so metrics
 * stay exact.
 */
export function createRequestLogWriter(opts: RequestLogWriterOptions): RequestLogWriter {
  const { metrics } = opts;
  const batchSize = Math.min(Math.max(opts.batchSize ?? 500, 1), 1000);
  const maxBuffer = opts.maxBuffer ?? 20_000;
  const retentionDays = opts.retentionDays ?? 7;
  const logger = opts.logger ?? pino({ name: 'gatehouse.telemetry' });
  const spoolDir = opts.spoolDir === undefined ? join(opts.database.dataDir, 'request-log-spool') : opts.spoolDir;
  const link = opts.link ?? openWriterLink(opts);
  // Batches spooled since the database last took one: the first is reported, the count when it is back.
  let spooling = 0;
  const spooled = (wire: WireError): void => {
    if (spooling++ > 0) return;
    const err = fromWireError(wire);
    // SQLite busy with a large apply refuses for a moment and the spool absorbs it: a warning, not an outage.
    if (/database is locked|SQLITE_BUSY/i.test(err.message) && logger.warn)
      logger.warn({ err }, 'request-log database busy: spooling request logs on local disk until it takes them');
    else logger.error({ err }, 'request-log database unavailable: spooling request logs on local disk until it is back');
  };

  const countOtelDrops = (drops: WriterReply['otelDropped']): void => {
    for (const [signal, reason, n] of drops ?? []) metrics?.otelDropped.inc({ signal, reason }, n);
  };
  const outbox = opts.otel
    ? new OtelOutbox(opts.otel.maxQueueSize ?? OTEL_DEFAULTS.maxQueueSize, (signal, reason, n) => countOtelDrops([[signal, reason, n]]))
    : null;
  const batch = new RecordBatch(batchSize);
  const rollups = new RollupAccumulator();
  // Records posted to the worker and not yet written: they count against maxBuffer too, so a slow database bounds memory.
  let unwritten = 0;
  let last: Promise<void> = Promise.resolve();
  // With a spool, the worker starts now rather than with the first batch (a batch posted to a worker
  // still starting is not on disk yet), and replays what an earlier process left there.
  if (spoolDir !== null)
    last = link.request({ kind: 'drain' }).then((reply) => {
      countOtelDrops(reply.otelDropped);
      if (reply.spoolBytes !== undefined) metrics?.logSpoolBytes.set(reply.spoolBytes);
      if (reply.spooled) spooled(reply.error!);
    });
  let closed = false;
  let pruning: Promise<number> | undefined;

  const drop = (reason: DropReason, n = 1): void => {
    metrics?.logsDropped.inc({ reason }, n);
  };

  /** Hands everything buffered to the worker; the returned promise settles once it is written (or counted as lost). */
  function post(): Promise<void> {
    if (batch.length === 0 && rollups.size === 0 && (outbox?.size ?? 0) === 0) return last;
    const rows = batch.take();
    // Its segment's id: a batch replayed from the spool after a crash is then not stored twice.
    rows.id = newLogId();
    const cells = rollups.takeCells();
    unwritten += rows.rows;
    const transfer = rows.rows > 0 ? [rows.bytes.buffer as ArrayBuffer] : [];
    const otel = outbox?.take() ?? null;
    if (otel?.traces) transfer.push(otel.traces.buffer as ArrayBuffer);
    last = link.request({ kind: 'write', batch: rows, cells, ...(otel ? { otel } : {}) }, transfer).then((reply) => {
      unwritten -= rows.rows;
      countOtelDrops(reply.otelDropped);
      if (reply.spoolBytes !== undefined) metrics?.logSpoolBytes.set(reply.spoolBytes);
      if (reply.droppedRows) {
        metrics?.logWriteErrors.inc();
        drop('write_error', reply.droppedRows);
        logger.error({ records: reply.droppedRows }, 'spooled request logs refused by the database were dropped');
      }
      if (reply.spooled) {
        metrics?.logWriteErrors.inc();
        spooled(reply.error!);
        return;
      }
      if (!reply.error && spooling > 0) {
        logger.info?.({ spooledBatches: spooling }, 'request-log database is back: the spooled request logs are written');
        spooling = 0;
      }
      if (!reply.error) return;
      // The batch is not retried, so a poison batch cannot wedge the writer.
      metrics?.logWriteErrors.inc();
      drop('write_error', rows.rows);
      logger.error({ err: fromWireError(reply.error), records: rows.rows, rollups: cells.length }, 'request-log batch write failed');
    });
    return last;
  }

  async function flush(): Promise<void> {
    await post();
  }

  function prune(): Promise<number> {
    if (!(retentionDays > 0)) return Promise.resolve(0);
    const before = new Date(Date.now() - retentionDays * DAY_MS).toISOString();
    pruning ??= link
      .request({ kind: 'prune', before })
      .then((reply) => {
        if (!reply.error) return reply.deleted ?? 0;
        logger.error({ err: fromWireError(reply.error) }, 'request-log retention failed');
        return 0;
      })
      .finally(() => {
        pruning = undefined;
      });
    return pruning;
  }

  const flushTimer = setInterval(() => void post(), opts.flushIntervalMs ?? 500);
  flushTimer.unref();
  const retentionTimer = setInterval(() => void prune(), opts.retentionIntervalMs ?? 10 * 60_000);
  retentionTimer.unref();

  return {
    record(entry) {
      try {
        if (closed) return drop('closed');
        // One NaN would fail a NOT NULL column and take the whole batch with it.
        if (!Number.isFinite(entry.latencyMs + entry.bytesIn + entry.bytesOut + entry.status)) return drop('invalid');
        const time = canonicalTime(entry.time);
        metrics?.observeRequest(entry.channel, entry.method, entry.status, entry.latencyMs);
        rollups.add(entry, time);
        if (batch.length + unwritten >= maxBuffer) {
          outbox?.lost(entry);
          return drop('overflow');
        }
        batch.push(entry, time);
        outbox?.row(batch.length - 1, entry);
        // A full batch goes now (its bytes move to the worker without a copy); so does one grown
        // large from captured bodies, to bound the memory a batch holds.
        if (batch.length === batchSize || batch.byteLength >= MAX_BATCH_BYTES) void post();
      } catch {
        drop('invalid');
      }
    },
    flush,
    prune,
    checkpoint: () => link.request({ kind: 'checkpoint' }).then((reply) => (reply.error ? null : (reply.checkpoint ?? null))),
    otel: outbox,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(flushTimer);
      clearInterval(retentionTimer);
      await post();
      await pruning;
      await link.close();
    },
  };
}
