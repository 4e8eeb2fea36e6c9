import type { OnSignalDrop } from './budget.js';
import type { OtelLogs } from './logs.js';
import type { OtelSettings } from './settings.js';
import { createOtelSink } from './sink.js';
import { type CallTracer, createCallTracer } from './tracer.js';

/** OpenTelemetry out of the calling thread: call spans and log records. */
export interface OtelExport {
  tracer: CallTracer;
  logs: OtelLogs;
  /** Sends everything handed over so far (resolves when the collector answered or the export failed). */
  flush(): Promise<void>;
  /** Flushes, then stops; later items are dropped. */
  shutdown(): Promise<void>;
}

/**
 * An export that builds, encodes and sends on the calling thread (the sink the request-log
 * writer's thread runs for the gateway's own calls, see writer-otel.ts), for a process without a
 * request-log writer and for tests: spans from the tracer, request-log records (with the spans
 * their trace describes) and audit entries, each bounded by `maxQueueSize` with drops counted.
 */
export function startOtelExport(settings: OtelSettings, onDrop: OnSignalDrop = () => {}): OtelExport {
  const sink = createOtelSink(settings, onDrop);
  let closed = false;
  const tracer = createCallTracer((span) => (closed ? onDrop('traces', 'overflow', 1) : sink.span(span)), settings.tracesSampleRatio ?? 1);
  const flush = () => (closed ? Promise.resolve() : sink.flush());
  const logs: OtelLogs = {
    emitRequestLog: (record) => (closed ? onDrop('logs', 'overflow', 1) : sink.requestLog(record)),
    emitAudit: (entry) => (closed ? onDrop('logs', 'overflow', 1) : sink.audit(entry)),
    flush,
    shutdown: async () => {},
  };
  return {
    tracer,
    logs,
    flush,
    async shutdown() {
      if (closed) return;
      closed = true;
      await sink.shutdown();
    },
  };
}
