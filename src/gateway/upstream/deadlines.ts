/**
 * An upstream exchange whose response timeout a DeadlineSweeper enforces. The links make the
 * sweeper's list intrusive: arming, refreshing and disarming allocate nothing.
 */
export interface Timed {
  /** When the exchange times out (performance.now() milliseconds); meaningful only while armed. */
  deadline: number;
  prevTimed: Timed | null;
  nextTimed: Timed | null;
  /** Not due while paused (the caller is slow to read, not the upstream to send); re-armed on resuming, as undici's timers are. */
  readonly timeoutPaused: boolean;
  /** The deadline passed: fail the exchange (the timed object is already disarmed). */
  expire(): void;
}

/**
 * Response timeouts for many exchanges, checked by one interval instead of a timer per call.
 * undici's own headers and body timeouts create a timer object per request that lives on in its
 * timer list for up to a second after the call, so under load every call's timer survived two
 * scavenges into the old generation: about half of what a proxied call promoted, and so about half
 * of the major GCs, each marking the gateway's whole heap. Like undici's, the timeouts fire within
 * one tick after they are due; unlike undici's, never before the bytes that arrived in time are read.
 */
export class DeadlineSweeper {
  #head: Timed | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #tickMs: number;

  constructor(tickMs: number) {
    this.#tickMs = tickMs;
  }

  /** Starts (or restarts) `t`'s timeout of `ms` from now; `t` must be disarmed or armed here. */
  arm(t: Timed, ms: number): void {
    t.deadline = performance.now() + ms;
    if (t.prevTimed !== null || this.#head === t) return;
    t.nextTimed = this.#head;
    if (this.#head !== null) this.#head.prevTimed = t;
    this.#head = t;
    if (this.#timer === null) {
      // The sweep runs in the check phase, after the poll phase has read what arrived: a loop held
      // past a deadline (GC, a long task) must not expire an exchange whose bytes are waiting unread.
      this.#timer = setInterval(() => setImmediate(() => this.#sweep()), this.#tickMs);
      this.#timer.unref();
    }
  }

  /** Stops `t`'s timeout; a no-op when it is not armed. */
  disarm(t: Timed): void {
    const prev = t.prevTimed;
    const next = t.nextTimed;
    if (prev === null && this.#head !== t) return;
    if (prev === null) this.#head = next;
    else prev.nextTimed = next;
    if (next !== null) next.prevTimed = prev;
    t.prevTimed = null;
    t.nextTimed = null;
  }

  /** Whether `t` is armed here. */
  armed(t: Timed): boolean {
    return t.prevTimed !== null || this.#head === t;
  }

  #sweep(): void {
    // Nothing to watch: the interval stops until the next arm (not at each disarm, which would churn timers under light load).
    if (this.#head === null) {
      if (this.#timer !== null) clearInterval(this.#timer);
      this.#timer = null;
      return;
    }
    const now = performance.now();
    let t: Timed | null = this.#head;
    while (t !== null) {
      const next: Timed | null = t.nextTimed;
      if (t.deadline <= now && !t.timeoutPaused) {
        this.disarm(t);
        t.expire();
      }
      t = next;
    }
  }
}

/** The REST path's upstream response timeouts: a quarter-second tick, finer than undici's own (about a second). */
export const responseDeadlines = new DeadlineSweeper(250);
