import type { DatabaseOptions } from '../store/database.js';
import type { OtelDrops } from './otel/batch-export.js';
import type { OtelItems } from './otel/outbox.js';
import type { OtelSettings } from './otel/settings.js';
import type { RowBatch } from './record-batch.js';
import type { RollupCell } from './rollups.js';

/** What the writer worker is started with. */
export interface WriterWorkerData {
  /** The options the main thread opened its own database with; the worker opens a second connection with them. */
  database: DatabaseOptions;
  /** Where batches wait on local disk until the database has them; absent: no spool (a failed write loses its batch). */
  spool?: { dir: string; maxBytes: number };
  /** Where the worker exports each batch's calls as OTLP spans and log records; absent: no OpenTelemetry. */
  otel?: OtelSettings;
}

/** A unit of work for the worker; it runs them one at a time, in the order posted. */
export type WriterRequest =
  /** Rows and rollup cells to store; `otel` is what the batch carries for the export only (never spooled or stored). */
  | { kind: 'write'; batch: RowBatch; cells: RollupCell[]; otel?: OtelItems }
  | { kind: 'prune'; before: string }
  /** A PASSIVE checkpoint of the SQLite file's WAL on the worker's connection, for the main connection (wal-checkpoints.ts). */
  | { kind: 'checkpoint' }
  /** Replays what earlier writers left in the spool (sent at start when there is some). */
  | { kind: 'drain' }
  | { kind: 'close' };

/** A request as posted, numbered so its reply can be matched. */
export interface WriterMessage {
  id: number;
  req: WriterRequest;
}

/** An error as it crosses threads (an Error's own fields do not survive structured clone everywhere). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

/** The worker's answer to one request. */
export interface WriterReply {
  id: number;
  /** For `prune`: rows deleted. */
  deleted?: number;
  /** For `checkpoint`: WAL frames in the log and copied into the database; null when the store has no WAL (PostgreSQL). */
  checkpoint?: { log: number; checkpointed: number } | null;
  error?: WireError;
  /** For a failed `write`: the batch is kept in the spool and written once the database is back. */
  spooled?: boolean;
  /** Rows of earlier spooled batches the database refused (not for being down) and that were dropped. */
  droppedRows?: number;
  /** Bytes waiting in the spool after this request. */
  spoolBytes?: number;
  /** OpenTelemetry items the worker dropped since its last reply, for `gatehouse_otel_dropped_total`. */
  otelDropped?: OtelDrops;
}

/** An error for the wire. */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { name: 'Error', message: String(err) };
}

/** An Error again, for the main thread's logger. */
export function fromWireError(wire: WireError): Error {
  const err = new Error(wire.message);
  err.name = wire.name;
  if (wire.stack) err.stack = wire.stack;
  return err;
}
