import type { RowBatch } from './record-batch.js';
import type { RollupCell } from './rollups.js';

/** The writer worker's side of the database: batch writes and retention. */
export interface LogStore {
  /**
   * Writes one batch in one transaction: the raw rows (as one segment) and the rollup and total
   * upserts. A batch whose segment is already stored (same id: a replay) is skipped whole; returns
   * whether it was written.
   */
  write(batch: RowBatch, cells: readonly RollupCell[]): Promise<boolean>;
  /** Deletes raw calls older than `before`; returns how many. */
  prune(before: string): Promise<number>;
  /** SQLite: a PASSIVE checkpoint of the WAL (it never waits for, or blocks, another connection); WAL frames in the log and copied. */
  checkpoint?(): { log: number; checkpointed: number };
  close(): Promise<void>;
}
