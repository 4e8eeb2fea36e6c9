import { GatehouseError } from '../../core/index.js';

/** Dry runs (`validate`, `run`, `nodes.test`) one caller may start per minute on one node. */
export const DRY_RUNS_PER_MINUTE = 60;

const WINDOW_MS = 60_000;
/** Callers counted at once; past it the window restarts for everyone (a flood of identities cannot grow the map). */
const MAX_CALLERS = 10_000;

let windowStart = 0;
const counts = new Map<string, number>();

/**
 * Counts a dry run against its caller's minute: each one compiles and runs a workflow under the
 * same budget as a call, so a caller looping on them could still keep a core busy. Refused with
 * 429 past the limit.
 */
export function admitDryRun(subject: string, now = Date.now()): void {
  if (now - windowStart >= WINDOW_MS || counts.size >= MAX_CALLERS) {
    windowStart = now - (now % WINDOW_MS);
    counts.clear();
  }
  const used = (counts.get(subject) ?? 0) + 1;
  counts.set(subject, used);
  if (used > DRY_RUNS_PER_MINUTE) {
    const retryAfter = Math.ceil((windowStart + WINDOW_MS - now) / 1000);
    throw new GatehouseError('GATEHOUSE_RATE_LIMITED', `At most ${DRY_RUNS_PER_MINUTE} workflow dry runs (validate, run, nodes.test) a minute per caller; try again in ${retryAfter} s.`, {
      limit: DRY_RUNS_PER_MINUTE,
      retryAfterSeconds: retryAfter,
    });
  }
}
