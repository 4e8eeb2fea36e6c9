import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CallTrace } from '../../core/index.js';
import { forEachRow } from '../record-batch.js';
import { recordFromValues } from '../rows.js';
import type { OnSignalDrop } from './budget.js';
import { createOtelLogs } from './logs.js';
import { readRows } from './read-rows.js';
import { spansOfRecord } from './record-spans.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
import type { OtelSink } from './otel-sink.js';
import { createSpanExport } from './spans.js';
import { readTraces } from './trace-section.js';

/**
 * The library implementation of the sink (GATEHOUSE_FAST_PATHS=off, or `http/json`): records and
 * spans become the official SDK's log records and readable spans, batched by its processors and sent
 * by its OTLP/HTTP exporters in the configured protocol (sdk-exporters.ts), bounded by `maxQueueSize`
 * with drops counted.
 */
export function createLibrarySink(settings: OtelSettings, onDrop: OnSignalDrop): OtelSink {
  const s = { ...OTEL_DEFAULTS, ...settings };
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
