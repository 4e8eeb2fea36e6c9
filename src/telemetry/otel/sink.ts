import type { AuditEntry, RequestRecord } from '../../core/index.js';
import type { RowBatch } from '../record-batch.js';
import type { OnSignalDrop } from './budget.js';
import { createLibrarySink } from './library-sink.js';
import { createRowSink } from './row-sink.js';
import type { OtelSettings } from './settings.js';
import type { SpanRecord } from './span-record.js';

/** Where finished calls, spans and audit entries become OTLP: built, encoded and sent on the thread that owns it. */
export interface OtelSink {
  /** A span built outside a request-log record (a federated tool call's). */
  span(r: SpanRecord): void;
  /** A call's log record, and the SERVER and CLIENT spans its trace describes when it has one. */
  requestLog(r: RequestRecord): void;
  /**
   * A batch's rows as `requestLog` takes records, with the traces of its sampled calls (the batch's
   * TraceSection bytes, in row order; null when none). A batch that cannot be read loses its
   * remaining rows to the export (counted); the database refuses it too.
   */
  requestRows(batch: RowBatch, section: Uint8Array | null): void;
  audit(e: AuditEntry): void;
  /** Sends what is encoded now; resolves when the collector answered (or the export failed). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The OTLP export of one thread: the request-log writer's (the gateway's calls, from the batches it
 * writes) or the caller's own (`startOtelExport`). Two implementations behind this one interface,
 * chosen by the fast-paths switch: the row encoder (row-sink.ts; `http/protobuf` with fast paths on,
 * the default) and the OTel SDK's processors and exporters (library-sink.ts; every protocol with
 * GATEHOUSE_FAST_PATHS=off, and always for `http/json`, which the row encoder does not write).
 */
export function createOtelSink(settings: OtelSettings, onDrop: OnSignalDrop = () => {}): OtelSink {
  const fast = settings.fastPaths !== false && (settings.protocol ?? 'http/protobuf') === 'http/protobuf';
  return fast ? createRowSink(settings, onDrop) : createLibrarySink(settings, onDrop);
}
