import type { RowBatch } from '../record-batch.js';
import type { DropReason, Signal } from './budget.js';
import type { OtelItems } from './outbox.js';
import type { OtelSettings } from './settings.js';
import { createOtelSink } from './sink.js';

/** Drops as they are reported back to the main thread: [signal, reason, count]. */
export type OtelDrops = Array<[Signal, DropReason, number]>;

/** The OpenTelemetry export run by the request-log writer's thread. */
export interface BatchExport {
  /** Exports a batch the main thread posted: a log record per row, the spans of each traced row, the spans and audit entries beside. */
  add(batch: RowBatch, items: OtelItems | undefined): void;
  /** Drops since the last call, or undefined when none. */
  takeDrops(): OtelDrops | undefined;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Builds spans and log records from the binary batches the writer thread already receives (written
 * straight from the rows' and the trace section's bytes with http/protobuf) and exports them through a sink
 * of its own (createOtelSink): the main thread builds, clones and encodes nothing per call.
 */
export function createBatchExport(settings: OtelSettings): BatchExport {
  const drops = new Map<string, [Signal, DropReason, number]>();
  const count = (signal: Signal, reason: DropReason, n: number): void => {
    const key = `${signal}:${reason}`;
    const entry = drops.get(key);
    if (entry) entry[2] += n;
    else drops.set(key, [signal, reason, n]);
  };
  const sink = createOtelSink(settings, count);
  return {
    add(batch, items) {
      // A batch (or trace section) that cannot be read loses its rows to the export, counted by the sink.
      if (batch.rows > 0) sink.requestRows(batch, items?.traces ?? null);
      for (const span of items?.spans ?? []) sink.span(span);
      for (const audit of items?.audits ?? []) sink.audit(audit);
    },
    takeDrops() {
      if (drops.size === 0) return undefined;
      const out = [...drops.values()];
      drops.clear();
      return out;
    },
    flush: () => sink.flush(),
    shutdown: () => sink.shutdown(),
  };
}
