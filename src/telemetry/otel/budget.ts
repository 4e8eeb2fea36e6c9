import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

/** Why a record or span never left: the queue was full, or its export failed. */
export type DropReason = 'overflow' | 'export_failed';

/** Counts drops for the dropped-records metric. */
export type OnDrop = (reason: DropReason, count: number) => void;

/**
 * Bounds what waits to be exported: `take` refuses (and counts) once `max` items are queued or
 * in flight, so a slow or absent collector costs memory up to the bound and never blocks a caller.
 */
export class ExportBudget {
  #pending = 0;
  constructor(
    readonly max: number,
    readonly onDrop: OnDrop,
  ) {}

  /** True when `count` more items may queue; false (counted as overflow) when the queue has no room for them. */
  take(count = 1): boolean {
    if (this.#pending + count > this.max) {
      this.onDrop('overflow', count);
      return false;
    }
    this.#pending += count;
    return true;
  }

  /** Wraps an exporter's result callback: frees the items' places and counts a failed export as drops. */
  settle(count: number, callback: (result: ExportResult) => void): (result: ExportResult) => void {
    return (result) => {
      this.#pending = Math.max(0, this.#pending - count);
      if (result.code !== ExportResultCode.SUCCESS) this.onDrop('export_failed', count);
      callback(result);
    };
  }
}

export type Signal = 'traces' | 'logs';

/** Counts what was dropped, by signal and reason, for `gatehouse_otel_dropped_total`. */
export type OnSignalDrop = (signal: Signal, reason: DropReason, count: number) => void;
