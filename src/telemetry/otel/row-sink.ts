import type { OnSignalDrop } from './budget.js';
import { OtlpEncoder } from './otlp-records.js';
import { createChunkExport } from './otlp-send.js';
import { readRows } from './read-rows.js';
import { spansOfRecord } from './record-spans.js';
import { AUDIT_SCOPE, REQUEST_LOG_SCOPE, SPAN_SCOPE } from './scopes.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
import type { OtelSink } from './otel-sink.js';
import type { SpanRecord } from './span-record.js';
import { TraceReader } from './trace-section.js';
import { forEachRowCells } from '../record-batch.js';

/**
 * The fast path of the sink (`http/protobuf` with the fast paths on, the default): records are
 * encoded as they come, straight from request-log rows' bytes (otlp-records.ts, row-records.ts), and
 * each signal's chunk is sent at the export batch size or `scheduledDelayMillis` after its first
 * record, as the SDK's batch processors send, by the official exporter's HTTP delegate
 * (otlp-send.ts); at most `maxQueueSize` items wait encoded, and as many again are in flight to the
 * collector; beyond either bound items are dropped and counted.
 */
export function createRowSink(settings: OtelSettings, onDrop: OnSignalDrop): OtelSink {
  const s = { ...OTEL_DEFAULTS, ...settings };
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
    if (encoded > 0 && timer === null) timer = setTimeout(send, s.scheduledDelayMillis).unref();
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
