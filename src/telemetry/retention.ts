import type { RequestLogSegmentTable } from '../store/schema.js';
import { filterSegment, type StoredSegment, segmentRow } from './segments.js';

/** What retention needs from a store of request-log segments (one per dialect). */
export interface SegmentRetentionAccess {
  /** Deletes the segments whose every call is older than `before`; returns their call counts. */
  deleteEnded(before: string): Promise<Array<Pick<RequestLogSegmentTable, 'row_count'>>>;
  /** The segments holding calls on both sides of `before`. */
  straddling(before: string): Promise<Array<StoredSegment & { id: string }>>;
  /** Atomically replaces a segment with `kept` (or just deletes it when null). */
  replace(id: string, kept: RequestLogSegmentTable | null): Promise<void>;
}

/**
 * Deletes raw request logs older than `before` (ISO time); rollups are kept. Whole segments go in
 * one statement; the few that straddle the cutoff are rewritten with their newer calls only.
 * Returns how many calls were deleted.
 */
export async function pruneSegments(access: SegmentRetentionAccess, before: string): Promise<number> {
  let deleted = 0;
  for (const gone of await access.deleteEnded(before)) deleted += Number(gone.row_count);
  for (const segment of await access.straddling(before)) {
    const kept = filterSegment(segment, (r) => r.time >= before);
    await access.replace(segment.id, kept === null ? null : segmentRow(kept));
    deleted += Number(segment.row_count) - (kept?.rows ?? 0);
  }
  return deleted;
}
