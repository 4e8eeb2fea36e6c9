// The OpenTelemetry export, run in a worker thread: turning spans and log records into OTLP and
// sending them costs tens of microseconds per item, which would otherwise be the event loop's.
import { parentPort, workerData } from 'node:worker_threads';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { DropReason } from './budget.js';
import type { ExportWorkerData, FromExportWorker, Signal, ToExportWorker } from './export-protocol.js';
import { createOtelLogs } from './logs.js';
import { OTEL_DEFAULTS } from './settings.js';
import { createChunkExport } from './otlp-send.js';
import { AUDIT_SCOPE, REQUEST_LOG_SCOPE, SPAN_SCOPE } from './scopes.js';
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

/** What the worker does with each kind of batch: the SDK's path for JSON, or sending chunks encoded on the main thread. */
function startExports(): { onBatch(msg: ToExportWorker & { kind: 'batch' | 'encoded' }): number; flush(): Promise<unknown>; shutdown(): Promise<unknown> } {
  if (settings.protocol === 'http/json') {
    const resource = resourceFromAttributes({ 'service.name': settings.serviceName ?? OTEL_DEFAULTS.serviceName });
    const spans = createSpanExport(settings, resource, (reason, n) => dropped('traces', reason, n));
    const logs = createOtelLogs(settings, (reason, n) => dropped('logs', reason, n));
    return {
      onBatch(msg) {
        if (msg.kind !== 'batch') return 0;
        for (const s of msg.spans) spans.add(s);
        for (const r of msg.logs) logs.emitRequestLog(r);
        for (const e of msg.audits) logs.emitAudit(e);
        return msg.spans.length + msg.logs.length + msg.audits.length;
      },
      flush: () => Promise.all([spans.flush().catch(() => {}), logs.flush().catch(() => {})]),
      shutdown: () => Promise.all([spans.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]),
    };
  }
  const traces = createChunkExport('traces', settings, (reason, n) => dropped('traces', reason, n));
  const logs = createChunkExport('logs', settings, (reason, n) => dropped('logs', reason, n));
  // A sent chunk's buffer goes back to the main thread for a later chunk.
  const giveBack = (buffer: ArrayBuffer) => port!.postMessage({ kind: 'buffer', buffer } satisfies FromExportWorker, [buffer]);
  return {
    onBatch(msg) {
      if (msg.kind !== 'encoded') return 0;
      const { spans, requestLogs, audits } = msg.batch;
      if (spans !== null) traces.send(SPAN_SCOPE, spans, giveBack);
      if (requestLogs !== null) logs.send(REQUEST_LOG_SCOPE, requestLogs, giveBack);
      if (audits !== null) logs.send(AUDIT_SCOPE, audits, giveBack);
      return (spans?.count ?? 0) + (requestLogs?.count ?? 0) + (audits?.count ?? 0);
    },
    flush: () => Promise.all([traces.flush().catch(() => {}), logs.flush().catch(() => {})]),
    shutdown: () => Promise.all([traces.shutdown().catch(() => {}), logs.shutdown().catch(() => {})]),
  };
}

const exports = startExports();

port.on('message', async (msg: ToExportWorker) => {
  if (msg.kind === 'batch' || msg.kind === 'encoded') {
    port.postMessage({ kind: 'ack', count: exports.onBatch(msg) } satisfies FromExportWorker);
    return;
  }
  // Failures are already counted as drops; a flush or shutdown always answers.
  await exports.flush();
  if (msg.kind === 'shutdown') await exports.shutdown();
  port.postMessage({ kind: 'done', id: msg.id } satisfies FromExportWorker);
});
