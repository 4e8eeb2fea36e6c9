/**
 * A small least-recently-used map: what a snapshot keeps of expanded documents and compiled
 * contracts. Bounded by entries and by the sum of the weights given with each value (bytes, for the
 * documents: one expanded document of a large estate is ~100 KB, so a count alone bounds nothing).
 */
export class Lru<K, V> {
  readonly #map = new Map<K, { value: V; weight: number }>();
  #weight = 0;
  constructor(
    readonly capacity: number,
    readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.#map.size;
  }

  /** The sum of the weights of the entries held. */
  get weight(): number {
    return this.#weight;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  /** The weight an entry was stored with, without touching its recency. */
  weightOf(key: K): number | undefined {
    return this.#map.get(key)?.weight;
  }

  /** Stores a value; the least recently used go until both bounds hold, but the newest entry always stays. */
  set(key: K, value: V, weight = 0): void {
    this.#drop(key);
    this.#map.set(key, { value, weight });
    this.#weight += weight;
    while (this.#map.size > 1 && (this.#map.size > this.capacity || this.#weight > this.maxWeight)) this.#drop(this.#map.keys().next().value as K);
  }

  #drop(key: K): void {
    const entry = this.#map.get(key);
    if (entry === undefined) return;
    this.#map.delete(key);
    this.#weight -= entry.weight;
  }
}
