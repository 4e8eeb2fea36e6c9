import type { RowBatch } from '../record-batch.js';
import type { OnSignalDrop } from './budget.js';

/** Runs `read` over a batch; a batch that cannot be read loses the rows not yet read (counted as failed). */
export function readRows(batch: RowBatch, read: () => number, onDrop: OnSignalDrop, each: () => void): void {
  try {
    each();
  } catch {
    onDrop('logs', 'export_failed', batch.rows - Math.max(0, read() - 1));
  }
}
