const MAX_KEYS = 10_000;

/** A fixed-window counter per key (client IP), in memory: each node limits on its own. */
export class WindowRateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(limit: number, windowMs = 60_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts one hit for `key`; false when the key is over its limit for the current window. */
  take(key: string, now = Date.now()): boolean {
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.#windowMs) {
      if (!window && this.#windows.size >= MAX_KEYS) this.#prune(now);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.#limit;
  }

  /** True when `key` has used up the current window, without counting a hit. */
  exhausted(key: string, now = Date.now()): boolean {
    const window = this.#windows.get(key);
    return window !== undefined && now - window.start < this.#windowMs && window.count >= this.#limit;
  }

  // Drops finished windows; if every window is live (a flood of distinct keys), the oldest go.
  #prune(now: number): void {
    for (const [key, w] of this.#windows) if (now - w.start >= this.#windowMs) this.#windows.delete(key);
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_KEYS) break;
      this.#windows.delete(key);
    }
  }
}
