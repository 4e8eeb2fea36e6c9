import type { AuditEntry, RequestRecord } from '../../core/index.js';
import type { OnSignalDrop } from './budget.js';
import type { SpanRecord } from './span-record.js';
import { TraceSection } from './trace-section.js';

/** What a request-log batch carries for OpenTelemetry beside its rows; never spooled or stored. */
export interface OtelItems {
  /** The sampled calls' traces (TraceSection), by row index; null when none was sampled. */
  traces: Uint8Array | null;
  /** Spans built outside a request-log record (federated tool calls' CallSpan API); cloned, they are few. */
  spans: SpanRecord[];
  audits: AuditEntry[];
}

/**
 * The main thread's side of the export: what goes to the request-log writer's thread with the next
 * batch. Every row of a batch becomes a log record there, so the call path only encodes a sampled
 * call's trace (a few ids and times) beside its row. Spans and audit entries not tied to a row wait
 * here, at most `max` of them; beyond it they are dropped and counted.
 */
export class OtelOutbox {
  readonly #traces = new TraceSection();
  #spans: SpanRecord[] = [];
  #audits: AuditEntry[] = [];

  constructor(
    private readonly max: number,
    private readonly onDrop: OnSignalDrop,
  ) {}

  /** Items waiting apart from the rows (spans and audit entries). */
  get size(): number {
    return this.#spans.length + this.#audits.length;
  }

  /** The record at the batch's row `row` was added: its trace, if sampled, goes beside it. */
  row(row: number, record: RequestRecord): void {
    if (record.trace) this.#traces.push(row, record.trace);
  }

  /** A record that never reached a batch (dropped for overflow): its log record and spans are lost too. */
  lost(record: RequestRecord): void {
    this.onDrop('logs', 'overflow', 1);
    if (record.trace) this.onDrop('traces', 'overflow', 1 + record.trace.upstreams.length);
  }

  span(r: SpanRecord): void {
    if (this.size >= this.max) this.onDrop('traces', 'overflow', 1);
    else this.#spans.push(r);
  }

  audit(e: AuditEntry): void {
    if (this.size >= this.max) this.onDrop('logs', 'overflow', 1);
    else this.#audits.push(e);
  }

  /** What goes with the batch being posted (its trace buffer to transfer), or null when nothing; starts afresh. */
  take(): OtelItems | null {
    const traces = this.#traces.take();
    if (traces === null && this.size === 0) return null;
    const items = { traces, spans: this.#spans, audits: this.#audits };
    this.#spans = [];
    this.#audits = [];
    return items;
  }
}
