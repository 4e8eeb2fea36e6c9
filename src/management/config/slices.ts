// How long config work runs between giving way to the event loop.
const SLICE_MS = 10;
/** Other work that ran while a slice gave way, past which the loop counts as busy with traffic. */
const BUSY_MS = 0.5;
/**
 * The share of wall time background config work (an apply's planning and steps, a job's result)
 * may be active while traffic waits: after each slice it rests (1 − share) / share times the slice.
 * The share bounds everything the work causes, not only its JavaScript: a slice's wall time includes
 * its statements' round trips, so the store's CPU for them and the garbage they leave shrink with it.
 * At 4 rests per slice (a fifth of the loop) a 100,000-item apply on PostgreSQL still cut proxied
 * throughput to 0.52× of idle on 2 cores (issue 56): each millisecond of the loop's time the apply
 * took cost ~2.4 ms of the proxy's, in the database backend, in GC and on the other core. On an idle
 * loop it never rests, and runs as fast as before.
 */
export const BUSY_SHARE = 0.05;
/** The longest rest: a slice that overran (a batch statement's round trip on a loaded store) does not pause the work for long. */
const MAX_REST_MS = 1_000;

/**
 * Time slices for a long loop of config work (planning or applying 100,000 items): `due` turns
 * true once the current slice has run SLICE_MS, and `giveWay` lets health checks and proxied
 * calls in before the next slice starts — and, when they were waiting, rests long enough that
 * the work takes no more than BUSY_SHARE of the time: it uses the loop's idle time, and the
 * traffic keeps the rest.
 */
export class Slices {
  #start = performance.now();

  /** The current slice has run its time. */
  get due(): boolean {
    return performance.now() - this.#start > SLICE_MS;
  }

  /**
   * Yields to the event loop (after pending I/O) and starts a new slice. Two turns, not one: what
   * the I/O just queued for the check phase (undici writes a request to a kept-alive upstream
   * socket from an immediate) then runs before the next slice, not after it, so a proxied call
   * waits one slice fewer.
   */
  async giveWay(): Promise<void> {
    const ran = performance.now() - this.#start;
    const yielded = performance.now();
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    // Others ran in those two turns: traffic is waiting, so rest (timers let every phase of the loop through).
    if (performance.now() - yielded > BUSY_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_REST_MS, (ran * (1 - BUSY_SHARE)) / BUSY_SHARE)));
    }
    this.#start = performance.now();
  }
}
