// The OpenTelemetry export, run in a worker thread: turning spans and log records into OTLP and
// sending them costs tens of microseconds per item, which would otherwise be the event loop's.
import { parentPort, workerData } from 'node:worker_threads';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { DropReason } from './budget.js';
import type { ExportWorkerData, FromExportWorker, Signal, ToExportWorker } from './export-protocol.js';
import { createOtelLogs } from './logs.js';
import { OTEL_DEFAULTS } from './settings.js';
import { OtlpEncoder } from './otlp-records.js';
import { createChunkExport } from './otlp-send.js';
import { spansOfRecord } from './record-spans.js';
import { AUDIT_SCOPE, REQUEST_LOG_SCOPE, SPAN_SCOPE } from './scopes.js';
import type { SpanRecord } from './span-record.js';
import { createSpanExport } from './spans.js';

const port = parentPort;
if (!port) throw new Error('export-worker.js runs only as a worker thread');
const { settings } = workerData as ExportWorkerData;

// Drops are summed and reported once per turn of the event loop, not one message each.
const drops = new Map<string, [Signal, DropReason, number]>();
let reporting = false;
function dropped(signal: Signal, reason: DropReason, n: number): void {
  const key = `${signal}:${reason}`;
  const entry = drops.get(key);
  if (entry) entry[2] += n;
  else drops.set(key, [signal, reason, n]);
  if (reporting) return;
  reporting = true;
  setImmediate(() => {
    reporting = false;
    const out: FromExportWorker = { kind: 'drops', drops: [...drops.values()] };
    drops.clear();
    port!.postMessage(out);
  });
}

/** How long encoded items wait for more before their chunks are sent (as long as the main thread held them before). */
const SEND_INTERVAL_MS = 100;

/** Posted items in a batch: acknowledged to the main thread, whose places they free. */
function itemsOf(msg: ToExportWorker & { kind: 'batch' }): number {
  return msg.spans.length + msg.logs.length + msg.audits.length;
}

/**
 * What the worker does with each batch: builds the spans each traced request-log record describes,
 * then exports them with the log records through the SDK (`http/json`) or encodes them as OTLP
 * protobuf here and sends the chunks (the default).
 */
function startExports(): { onBatch(msg: ToExportWorker & { kind: 'batch' }): number; flush(): Promise<unknown>; shutdown(): Promise<unknown> } {
  if (settings.protocol === 'http/json') {
    const resource = resourceFromAttributes({ 'service.name': settings.serviceName ?? OTEL_DEFAULTS.serviceName });
    const spans = createSpanExport(settings, resource, (reason, n) => dropped('traces', reason, n));
    const logs = createOtelLogs(settings, (reason, n) => dropped('logs', reason, n));
    return {
      onBatch(msg) {
        for (const s of msg.spans) spans.add(s);
        for (const r of msg.logs) {
          for (const s of spansOfRecord(r)) spans.add(s);
          logs.emitRequestLog(r);
        }
        for (const e of msg.audits) logs.emitAudit(e);
        return itemsOf(msg);
      },
      flush: () => Promise.all([spans.flush().catch(() => {}), logs.flush().catch(() => {})]),
      shutdown: () => Promise.all([spans.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]),
    };
  }
  const traces = createChunkExport('traces', settings, (reason, n) => dropped('traces', reason, n));
  const logs = createChunkExport('logs', settings, (reason, n) => dropped('logs', reason, n));
  const encoder = new OtlpEncoder();
  // A sent chunk's buffer is kept for a later chunk.
  const recycle = (buffer: ArrayBuffer) => encoder.recycle(buffer);
  const span = (r: SpanRecord) => {
    if (!encoder.span(r)) dropped('traces', 'export_failed', 1);
  };
  // The main thread posts small batches (its records die young there); chunks go out at the export's batch size or interval.
  const batchSize = settings.maxExportBatchSize ?? OTEL_DEFAULTS.maxExportBatchSize;
  let encoded = 0;
  let timer: NodeJS.Timeout | null = null;
  const send = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (encoded === 0) return;
    encoded = 0;
    const { spans, requestLogs, audits } = encoder.take();
    if (spans !== null) traces.send(SPAN_SCOPE, spans, recycle);
    if (requestLogs !== null) logs.send(REQUEST_LOG_SCOPE, requestLogs, recycle);
    if (audits !== null) logs.send(AUDIT_SCOPE, audits, recycle);
  };
  return {
    onBatch(msg) {
      for (const s of msg.spans) span(s);
      for (const r of msg.logs) {
        for (const s of spansOfRecord(r)) span(s);
        if (!encoder.requestLog(r)) dropped('logs', 'export_failed', 1);
      }
      for (const e of msg.audits) if (!encoder.audit(e)) dropped('logs', 'export_failed', 1);
      encoded += itemsOf(msg);
      if (encoded >= batchSize) send();
      else if (timer === null) timer = setTimeout(send, SEND_INTERVAL_MS);
      return itemsOf(msg);
    },
    flush: () => {
      send();
      return Promise.all([traces.flush().catch(() => {}), logs.flush().catch(() => {})]);
    },
    shutdown: () => Promise.all([traces.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]),
  };
}

const exports = startExports();

port.on('message', async (msg: ToExportWorker) => {
  if (msg.kind === 'batch') {
    port.postMessage({ kind: 'ack', count: exports.onBatch(msg) } satisfies FromExportWorker);
    return;
  }
  // Failures are already counted as drops; a flush or shutdown always answers.
  await exports.flush();
  if (msg.kind === 'shutdown') await exports.shutdown();
  port.postMessage({ kind: 'done', id: msg.id } satisfies FromExportWorker);
});
