import { resourceFromAttributes } from '@opentelemetry/resources';
import type { AuditEntry, CallTrace, RequestRecord } from '../../core/index.js';
import { forEachRow, forEachRowCells, type RowBatch } from '../record-batch.js';
import { recordFromValues } from '../rows.js';
import type { OnSignalDrop } from './budget.js';
import { createOtelLogs } from './logs.js';
import { OtlpEncoder } from './otlp-records.js';
import { createChunkExport } from './otlp-send.js';
import { spansOfRecord } from './record-spans.js';
import { AUDIT_SCOPE, REQUEST_LOG_SCOPE, SPAN_SCOPE } from './scopes.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
import type { SpanRecord } from './span-record.js';
import { createSpanExport } from './spans.js';
import { readTraces, TraceReader } from './trace-section.js';

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

/** How long encoded items wait for more before their chunks are sent. */
const SEND_INTERVAL_MS = 100;

/**
 * The OTLP export of one thread: the request-log writer's (the gateway's calls, from the batches it
 * writes) or the caller's own (`startOtelExport`). With `http/protobuf` (the default) records are
 * encoded as they come (otlp-records.ts) and each signal's chunk is sent at the export batch size
 * or every 100 ms; at most `maxQueueSize` items wait encoded, and as many again are in flight to the
 * collector; beyond either bound items are dropped and counted. `http/json` goes through the
 * official SDK's batch processors and exporters, bounded the same way.
 */
export function createOtelSink(settings: OtelSettings, onDrop: OnSignalDrop = () => {}): OtelSink {
  const s = { ...OTEL_DEFAULTS, ...settings };
  if (s.protocol === 'http/json') {
    const spans = createSpanExport(s, resourceFromAttributes({ 'service.name': s.serviceName }), (reason, n) => onDrop('traces', reason, n));
    const logs = createOtelLogs(s, (reason, n) => onDrop('logs', reason, n));
    return {
      span: (r) => spans.add(r),
      requestLog(r) {
        if (r.trace) for (const span of spansOfRecord(r)) spans.add(span);
        logs.emitRequestLog(r);
      },
      audit: (e) => logs.emitAudit(e),
      requestRows(batch, section) {
        const traces = new Map<number, CallTrace>();
        let row = 0;
        readRows(
          batch,
          () => row,
          onDrop,
          () => {
            if (section !== null) readTraces(section, (at, trace) => traces.set(at, trace));
            forEachRow(batch, (values) => {
              const record = recordFromValues(values);
              const trace = traces.get(row++);
              if (trace) record.trace = trace;
              this.requestLog(record);
            });
          },
        );
      },
      flush: async () => {
        await Promise.all([spans.flush().catch(() => {}), logs.flush().catch(() => {})]);
      },
      shutdown: async () => {
        await Promise.all([spans.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]);
      },
    };
  }
  const traces = createChunkExport('traces', s, (reason, n) => onDrop('traces', reason, n));
  const logs = createChunkExport('logs', s, (reason, n) => onDrop('logs', reason, n));
  const encoder = new OtlpEncoder();
  // A sent chunk's buffer is kept for a later chunk.
  const recycle = (buffer: ArrayBuffer) => encoder.recycle(buffer);
  // Items encoded and not yet handed to an export, over all signals.
  let encoded = 0;
  let timer: NodeJS.Timeout | null = null;
  /** Sends the chunks holding at least `min` records: every one (the timer, a flush) or the full ones. */
  const sendChunks = (min: number) => {
    const { spans, requestLogs, audits } = encoder.take(min);
    if (spans !== null) {
      encoded -= spans.count;
      traces.send(SPAN_SCOPE, spans, recycle);
    }
    if (requestLogs !== null) {
      encoded -= requestLogs.count;
      logs.send(REQUEST_LOG_SCOPE, requestLogs, recycle);
    }
    if (audits !== null) {
      encoded -= audits.count;
      logs.send(AUDIT_SCOPE, audits, recycle);
    }
  };
  const send = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (encoded > 0) sendChunks(1);
  };
  /**
   * Counts `n` items encoded. A signal's chunk goes once it holds `maxExportBatchSize` records (per
   * request, as the SDK's processors count them); the others wait for the timer, so a call's three
   * records do not make three small requests.
   */
  const added = (n: number) => {
    encoded += n;
    if (encoder.fullest >= s.maxExportBatchSize) sendChunks(s.maxExportBatchSize);
    if (encoded > 0 && timer === null) timer = setTimeout(send, SEND_INTERVAL_MS).unref();
  };
  const span = (r: SpanRecord): void => {
    if (encoded >= s.maxQueueSize) {
      onDrop('traces', 'overflow', 1);
      return;
    }
    if (encoder.span(r)) added(1);
    else onDrop('traces', 'export_failed', 1);
  };
  // A call's log record and spans are kept or dropped together: room for all of them, or the call's
  // items are counted as dropped. `upstreams` is the trace's attempts, -1 for an untraced call.
  const roomForCall = (upstreams: number): boolean => {
    const spans = upstreams < 0 ? 0 : 1 + upstreams;
    if (encoded + 1 + spans <= s.maxQueueSize) return true;
    onDrop('logs', 'overflow', 1);
    if (spans > 0) onDrop('traces', 'overflow', spans);
    return false;
  };
  const reader = new TraceReader();
  return {
    span,
    requestLog(r) {
      if (!roomForCall(r.trace ? r.trace.upstreams.length : -1)) return;
      if (r.trace) for (const one of spansOfRecord(r)) span(one);
      if (encoder.requestLog(r)) added(1);
      else onDrop('logs', 'export_failed', 1);
    },
    requestRows(batch, section) {
      // Written straight from the rows' and the trace section's bytes (row-records.ts): no record, trace or span object per call.
      reader.reset(section);
      let row = 0;
      readRows(
        batch,
        () => row,
        onDrop,
        () =>
          forEachRowCells(batch, (cells) => {
            const traced = reader.nextRow === row++;
            if (traced) reader.next();
            if (!roomForCall(traced ? reader.upstreams : -1)) return;
            if (traced) {
              if (encoder.serverSpanOf(cells, reader)) added(1);
              else onDrop('traces', 'export_failed', 1);
              for (let i = 0; i < reader.upstreams; i++) {
                if (encoder.clientSpanOf(cells, reader, i)) added(1);
                else onDrop('traces', 'export_failed', 1);
              }
            }
            if (encoder.rowLog(cells)) added(1);
            else onDrop('logs', 'export_failed', 1);
          }),
      );
    },
    audit(e) {
      if (encoded >= s.maxQueueSize) {
        onDrop('logs', 'overflow', 1);
        return;
      }
      if (encoder.audit(e)) added(1);
      else onDrop('logs', 'export_failed', 1);
    },
    flush: async () => {
      send();
      await Promise.all([traces.flush().catch(() => {}), logs.flush().catch(() => {})]);
    },
    shutdown: async () => {
      send();
      await Promise.all([traces.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]);
    },
  };
}

/** Runs `read` over a batch; a batch that cannot be read loses the rows not yet read (counted as failed). */
function readRows(batch: RowBatch, read: () => number, onDrop: OnSignalDrop, each: () => void): void {
  try {
    each();
  } catch {
    onDrop('logs', 'export_failed', batch.rows - Math.max(0, read() - 1));
  }
}
