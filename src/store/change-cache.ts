import type { ChangeFeed } from './change-feed.js';

/**
 * Values read from the store for the hot path, kept until the next committed config change
 * (any: changes are rare, and a virtual server depends on several resource types) — or at most
 * `ttlMs`, should another node's change notice be lost. Concurrent reads of one key share one load;
 * a failed load is not kept.
 */
export class ChangeCache<V> {
  readonly #entries = new Map<string, { at: number; value: Promise<V> }>();
  readonly #unsubscribe: () => void;

  constructor(
    feed: ChangeFeed,
    private readonly load: (key: string) => Promise<V>,
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {
    this.#unsubscribe = feed.subscribe(() => this.#entries.clear());
  }

  get(key: string): Promise<V> {
    const now = Date.now();
    const found = this.#entries.get(key);
    if (found && now - found.at < this.ttlMs) return found.value;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    const value = this.load(key);
    const entry = { at: now, value };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }
}
