import { GatehouseError } from '../../core/index.js';

/** Dry runs (`validate`, `run`, `nodes.test`) one caller may start per minute on one node. */
export const DRY_RUNS_PER_MINUTE = 60;

const WINDOW_MS = 60_000;
/** Callers counted at once; past it the longest-counted caller's window is dropped (a flood of identities cannot grow the map). */
const MAX_CALLERS = 10_000;

/** Each caller's minute starts at their first dry run in it. */
const windows = new Map<string, { start: number; count: number }>();

/**
 * Counts a dry run against its caller's minute: each one compiles and runs a workflow under the
 * same budget as a call, so a caller looping on them could still keep a core busy. Refused with
 * 429 past the limit.
 */
export function admitDryRun(subject: string, now = Date.now()): void {
  let w = windows.get(subject);
  if (w === undefined || now - w.start >= WINDOW_MS) {
    windows.delete(subject);
    if (windows.size >= MAX_CALLERS) windows.delete(windows.keys().next().value!);
    w = { start: now, count: 0 };
    windows.set(subject, w);
  }
  w.count++;
  if (w.count > DRY_RUNS_PER_MINUTE) {
    const retryAfter = Math.ceil((w.start + WINDOW_MS - now) / 1000);
    throw new GatehouseError(
      'GATEHOUSE_RATE_LIMITED',
      `At most ${DRY_RUNS_PER_MINUTE} workflow dry runs (validate, run, nodes.test) a minute per caller; try again in ${retryAfter} s.`,
      {
        limit: DRY_RUNS_PER_MINUTE,
        retryAfterSeconds: retryAfter,
      },
    );
  }
}
