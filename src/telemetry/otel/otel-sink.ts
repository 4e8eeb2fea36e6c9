import type { AuditEntry, RequestRecord } from '../../core/index.js';
import type { RowBatch } from '../record-batch.js';
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
