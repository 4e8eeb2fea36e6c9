// How long config work runs between giving way to the event loop.
const SLICE_MS = 10;

/**
 * Time slices for a long loop of config work (planning or applying 100,000 items): `due` turns
 * true once the current slice has run SLICE_MS, and `giveWay` lets health checks and proxied
 * calls in before the next slice starts.
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
    await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    this.#start = performance.now();
  }
}
