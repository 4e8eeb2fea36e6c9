/** A notification an upstream session sent by itself (on its standalone stream): log messages, resource updates, list changes. */
export interface UpstreamNotification {
  method: string;
  params?: Record<string, unknown>;
}

export interface NoticeBudgetOptions {
  /** Notifications one upstream session passes on per second, sustained. */
  perSecond?: number;
  /** … and at once, after a quiet while. */
  burst?: number;
  /** Sessions tracked at most; the longest-tracked is forgotten beyond (it starts again with a full budget). */
  maxSessions?: number;
  now?: () => number;
}

interface Session {
  tokens: number;
  at: number;
  /** Changes waiting for budget, by what they are about: a later one of the same replaces it. */
  waiting: Map<string, UpstreamNotification>;
  timer?: NodeJS.Timeout;
}

/** Waiting changes kept per session at most (distinct resources and lists). */
const MAX_WAITING = 64;

/** What a notification is about when a later one of the same kind makes it redundant: a list, or one resource; null for anything else. */
function changeKey(n: UpstreamNotification): string | null {
  if (n.method.endsWith('/list_changed')) return n.method;
  if (n.method === 'notifications/resources/updated' && typeof n.params?.uri === 'string') return `${n.method} ${n.params.uri.slice(0, 2_048)}`;
  return null;
}

/**
 * Bounds what one upstream session's notifications cost: each one is delivered to this node's
 * listeners and broadcast to every other node (a NOTIFY or Redis message, then each node's streams),
 * so an upstream that floods them would take every node's event loop and grow the change feed's
 * queue. Per session, a token bucket: within it a notification passes at once; beyond it, a
 * change (a list changed, a resource updated) waits for budget, coalesced with later ones of the
 * same (a listener re-reads the list or resource, so one notice says all), and anything else (log
 * messages, progress) is dropped and counted. The last change always arrives.
 */
export class NoticeBudget {
  readonly #sessions = new Map<string, Session>();
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Notifications dropped for want of budget, since the start. */
  dropped = 0;

  constructor(opts: NoticeBudgetOptions = {}) {
    this.#perSecond = opts.perSecond ?? 50;
    this.#burst = opts.burst ?? 100;
    this.#max = opts.maxSessions ?? 4_096;
    this.#now = opts.now ?? Date.now;
  }

  #session(key: string): Session {
    let s = this.#sessions.get(key);
    if (!s) {
      s = { tokens: this.#burst, at: this.#now(), waiting: new Map() };
      this.#sessions.set(key, s);
      for (const [old, state] of this.#sessions) {
        if (this.#sessions.size <= this.#max) break;
        clearTimeout(state.timer);
        this.#sessions.delete(old);
      }
    }
    const now = this.#now();
    s.tokens = Math.min(this.#burst, s.tokens + ((now - s.at) / 1_000) * this.#perSecond);
    s.at = now;
    return s;
  }

  /** Passes `n` of session `key` to `deliver` now, later (coalesced), or not at all (see the class). */
  admit(key: string, n: UpstreamNotification, deliver: (n: UpstreamNotification) => void): void {
    const s = this.#session(key);
    const change = changeKey(n);
    if (s.tokens >= 1 && s.waiting.size === 0) {
      s.tokens -= 1;
      deliver(n);
      return;
    }
    if (change === null || (!s.waiting.has(change) && s.waiting.size >= MAX_WAITING)) {
      this.dropped++;
      return;
    }
    // Re-inserted: the waiting changes go out in the order of their latest notice.
    s.waiting.delete(change);
    s.waiting.set(change, n);
    this.#flushLater(key, s, deliver);
  }

  #flushLater(key: string, s: Session, deliver: (n: UpstreamNotification) => void): void {
    if (s.timer) return;
    const due = Math.max(1, Math.ceil(((1 - s.tokens) / this.#perSecond) * 1_000));
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (this.#sessions.get(key) !== s) return;
      const now = this.#session(key);
      for (const [change, waiting] of now.waiting) {
        if (now.tokens < 1) break;
        now.tokens -= 1;
        now.waiting.delete(change);
        deliver(waiting);
      }
      if (now.waiting.size > 0) this.#flushLater(key, now, deliver);
    }, due);
    s.timer.unref();
  }

  /** Stops the timers (the pool closes). */
  close(): void {
    for (const s of this.#sessions.values()) clearTimeout(s.timer);
    this.#sessions.clear();
  }
}
