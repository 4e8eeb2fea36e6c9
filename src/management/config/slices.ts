// How long config work runs between giving way to the event loop.
const SLICE_MS = 10;
/** Other work that ran while a slice gave way, past which the loop counts as busy with traffic. */
const BUSY_MS = 0.5;
/**
 * While the loop is busy, a slice is followed by a rest this many times its length: the apply
 * takes at most a fifth of a saturated loop and proxied calls keep the rest. On an idle loop it
 * never rests, and runs as fast as before.
 */
const REST_FACTOR = 4;
/** The longest rest: a progress heartbeat or a health check never waits on the apply's pacing. */
const MAX_REST_MS = 50;

/**
 * Time slices for a long loop of config work (planning or applying 100,000 items): `due` turns
 * true once the current slice has run SLICE_MS, and `giveWay` lets health checks and proxied
 * calls in before the next slice starts — and, when they were waiting, rests long enough that
 * they keep most of the loop (a 100,000-item apply with 10 ms slices and no rest cut proxied
 * throughput to 0.31× of idle, issue 56).
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
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_REST_MS, ran * REST_FACTOR)));
    }
    this.#start = performance.now();
  }
}
