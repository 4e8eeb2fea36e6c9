import { Worker } from 'node:worker_threads';
import type { AuditEntry, RequestRecord } from '../../core/index.js';
import type { DropReason } from './budget.js';
import type { ExportWorkerData, FromExportWorker, Signal, ToExportWorker } from './export-protocol.js';
import type { OtelLogs } from './logs.js';
import { OTEL_DEFAULTS, type OtelSettings } from './settings.js';
import type { SpanRecord } from './span-record.js';
import { type CallTracer, createCallTracer } from './tracer.js';

/** Counts what was dropped, by signal and reason, for `gatehouse_otel_dropped_total`. */
export type OnSignalDrop = (signal: Signal, reason: DropReason, count: number) => void;

/** OpenTelemetry out of one process: call spans and log records, exported by a worker thread. */
export interface OtelExport {
  tracer: CallTracer;
  logs: OtelLogs;
  /** Sends everything handed over so far (resolves when the collector answered or the export failed). */
  flush(): Promise<void>;
  /** Flushes, then stops the worker; later items are dropped. */
  shutdown(): Promise<void>;
}

/**
 * Records kept as objects and cloned to the worker, which builds the spans a request-log record
 * describes and encodes everything there: the main thread builds no span and encodes nothing.
 */
class PendingItems {
  #spans: SpanRecord[] = [];
  #logs: RequestRecord[] = [];
  #audits: AuditEntry[] = [];
  span(r: SpanRecord): void {
    this.#spans.push(r);
  }
  requestLog(r: RequestRecord): void {
    this.#logs.push(r);
  }
  audit(e: AuditEntry): void {
    this.#audits.push(e);
  }
  /** The message to post; starts afresh. */
  take(): ToExportWorker {
    const msg: ToExportWorker = { kind: 'batch', spans: this.#spans, logs: this.#logs, audits: this.#audits };
    this.#spans = [];
    this.#logs = [];
    this.#audits = [];
    return msg;
  }
}

/** How long items wait on the main thread before they are posted to the worker together. */
const POST_INTERVAL_MS = 100;
/**
 * How many items are posted together at most: few enough that the records die in the young
 * generation (held for a whole export batch, they survived scavenges on the main thread).
 */
const POST_ITEMS = 64;

function startWorker(data: ExportWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./export-worker.js', here), { workerData: data });
  // From TypeScript source (vitest): through the transpiling entry the request-log writer uses too.
  return new Worker(new URL('../worker/entry.mjs', here), { workerData: { ...data, tsEntry: new URL('./export-worker.ts', here).href } });
}

/**
 * Starts the export. The main thread only posts request-log records (which carry a sampled call's
 * trace), audit entries and the few spans built outside the pipeline, in batches every 100 ms (or
 * every `maxExportBatchSize` items); the worker builds the call spans from the records, encodes, and runs the official SDK's batch
 * processors and OTLP/HTTP exporters. At most `maxQueueSize` items wait on the main thread or on
 * their way to the worker, and as many again in the worker for the collector: beyond either bound
 * items are dropped and counted, so neither a slow collector nor a busy worker ever holds up a call.
 */
export function startOtelExport(settings: OtelSettings, onDrop: OnSignalDrop = () => {}): OtelExport {
  const s = { ...OTEL_DEFAULTS, ...settings };
  const worker = startWorker({ settings });
  worker.unref();
  const pending = new PendingItems();
  /** Items held here or posted and not yet acknowledged by the worker. */
  let held = 0;
  let queued = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let nextId = 1;
  const waiting = new Map<number, () => void>();

  const post = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (queued === 0) return;
    queued = 0;
    worker.postMessage(pending.take());
  };
  /** Whether one more item may wait, else counts it as dropped (a request-log record with the spans it carries). */
  const admit = (signal: Signal, record?: RequestRecord): boolean => {
    if (closed || held >= s.maxQueueSize) {
      onDrop(signal, 'overflow', 1);
      if (record?.trace) onDrop('traces', 'overflow', 1 + record.trace.upstreams.length);
      return false;
    }
    return true;
  };
  /** Counts an item taken in, posting the batch once it is full. */
  const added = (): void => {
    held++;
    queued++;
    if (queued >= Math.min(POST_ITEMS, s.maxExportBatchSize)) post();
    else if (timer === null) timer = setTimeout(post, POST_INTERVAL_MS).unref();
  };
  const ask = (kind: 'flush' | 'shutdown'): Promise<void> => {
    post();
    const id = nextId++;
    worker.ref();
    return new Promise<void>((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ kind, id } satisfies ToExportWorker);
    });
  };

  worker.on('message', (msg: FromExportWorker) => {
    if (msg.kind === 'ack') held = Math.max(0, held - msg.count);
    else if (msg.kind === 'drops') for (const [signal, reason, n] of msg.drops) onDrop(signal, reason, n);
    else {
      waiting.get(msg.id)?.();
      waiting.delete(msg.id);
      if (waiting.size === 0) worker.unref();
    }
  });
  // A worker that dies takes its queue with it: what it held counts as failed, and nothing waits on it.
  const lost = () => {
    closed = true;
    if (held > 0) onDrop('traces', 'export_failed', held);
    held = 0;
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
  };
  worker.on('error', lost);
  worker.on('exit', lost);

  const tracer = createCallTracer((span) => {
    if (!admit('traces')) return;
    pending.span(span);
    added();
  }, settings.tracesSampleRatio ?? 1);
  const flush = () => (closed ? Promise.resolve() : ask('flush'));
  const otelLogs: OtelLogs = {
    emitRequestLog(record) {
      if (!admit('logs', record)) return;
      pending.requestLog(record);
      added();
    },
    emitAudit(entry) {
      if (!admit('logs')) return;
      pending.audit(entry);
      added();
    },
    flush,
    shutdown: async () => {},
  };
  return {
    tracer,
    logs: otelLogs,
    flush,
    async shutdown() {
      if (closed) return;
      await ask('shutdown');
      closed = true;
      await worker.terminate();
    },
  };
}
