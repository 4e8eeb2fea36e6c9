/** One batch to withdraw: REFUND_LUA's keys and arguments. */
export interface Refund {
  readonly keys: readonly string[];
  readonly argv: readonly number[];
}

interface Pending {
  refund: Refund;
  giveUpAt: number;
}

/** Options for a refund queue. */
export interface RefundQueueOptions {
  /** Runs one refund in Redis; rejects when Redis could not be reached. */
  send: (refund: Refund) => Promise<unknown>;
  /** How long a refund is retried before it is given up (its marker must outlive this). */
  retryForMs: number;
  /** Refunds held at most; past it the oldest are given up. */
  max: number;
  /** Between retries while Redis is unreachable. */
  retryEveryMs?: number;
}

/**
 * Refunds of batches the limiter gave up on, sent at once and retried while Redis is unreachable.
 * A refund that never goes through leaves its batch counted: the calls were refused, so the caller
 * loses at most that part of its window (the fail-closed behaviour before refunds existed).
 */
export class RefundQueue {
  readonly #opts: RefundQueueOptions;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(opts: RefundQueueOptions) {
    this.#opts = opts;
  }

  /** Refunds not yet confirmed by Redis. */
  get size(): number {
    return this.#pending.length;
  }

  /** Sends `refund` now; if Redis does not confirm it, keeps retrying until `retryForMs` has passed. */
  add(refund: Refund): void {
    if (this.#closed) return;
    const entry = { refund, giveUpAt: Date.now() + this.#opts.retryForMs };
    this.#opts.send(refund).catch(() => this.#keep(entry));
  }

  #keep(entry: Pending): void {
    if (this.#closed) return;
    this.#pending.push(entry);
    if (this.#pending.length > this.#opts.max) this.#pending.shift();
    this.#timer ??= setTimeout(() => this.#retry(), this.#opts.retryEveryMs ?? 1_000).unref();
  }

  #retry(): void {
    this.#timer = null;
    const now = Date.now();
    const due = this.#pending.filter((p) => p.giveUpAt > now);
    this.#pending = [];
    for (const entry of due) this.#opts.send(entry.refund).catch(() => this.#keep(entry));
  }

  /** Stops retrying; refunds still pending are given up. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#pending = [];
  }
}
