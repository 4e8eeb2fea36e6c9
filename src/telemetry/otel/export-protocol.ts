import type { AuditEntry, RequestRecord } from '../../core/index.js';
import type { DropReason } from './budget.js';
import type { OtelSettings } from './settings.js';
import type { SpanRecord } from './span-record.js';

/** What the export worker is started with. */
export interface ExportWorkerData {
  settings: OtelSettings;
}

export type Signal = 'traces' | 'logs';

/** Main thread → worker. */
export type ToExportWorker =
  /** Records as objects: the worker builds each traced record's spans and encodes everything. */
  { kind: 'batch'; spans: SpanRecord[]; logs: RequestRecord[]; audits: AuditEntry[] } | { kind: 'flush'; id: number } | { kind: 'shutdown'; id: number };

/** Worker → main thread. */
export type FromExportWorker =
  /** A batch's items are in the worker's own (bounded) queues: their places on the main thread are free again. */
  { kind: 'ack'; count: number } | { kind: 'drops'; drops: Array<[Signal, DropReason, number]> } | { kind: 'done'; id: number };
