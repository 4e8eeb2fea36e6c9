// Keys spread over this many buckets: a change to 100,000 entries' map copies ~400 of them, not all.
const BUCKETS = 256;

/** FNV-1a of the key, to its bucket. */
function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % BUCKETS;
}

// Shared by every empty bucket: `with` copies a bucket before it writes to it.
const NO_ENTRIES: ReadonlyMap<string, unknown> = new Map();

/**
 * An immutable map whose next version (`with`) copies only the buckets its changes fall in and
 * shares the rest, so a snapshot holding every policy takes one policy's change without copying
 * the others. Iteration goes bucket by bucket: compare two by their entries, not their order.
 */
export class BucketedMap<V> implements ReadonlyMap<string, V> {
  readonly #buckets: ReadonlyArray<ReadonlyMap<string, V>>;
  readonly size: number;

  private constructor(buckets: ReadonlyArray<ReadonlyMap<string, V>>, size: number) {
    this.#buckets = buckets;
    this.size = size;
  }

  /** A map with no entries. */
  static empty<V>(): BucketedMap<V> {
    return new BucketedMap<V>(new Array(BUCKETS).fill(NO_ENTRIES as ReadonlyMap<string, V>), 0);
  }

  /** This map with `changes` applied (a value sets its key, undefined deletes it); this one is left as it was. */
  with(changes: Iterable<readonly [string, V | undefined]>): BucketedMap<V> {
    const buckets = [...this.#buckets];
    const copied = new Set<number>();
    let size = this.size;
    for (const [key, value] of changes) {
      const at = bucketOf(key);
      let bucket = buckets[at] as Map<string, V>;
      if (!copied.has(at)) {
        bucket = new Map(bucket);
        buckets[at] = bucket;
        copied.add(at);
      }
      const had = bucket.has(key);
      if (value === undefined) {
        if (had) size--;
        bucket.delete(key);
      } else {
        if (!had) size++;
        bucket.set(key, value);
      }
    }
    return copied.size === 0 ? this : new BucketedMap(buckets, size);
  }

  get(key: string): V | undefined {
    return this.#buckets[bucketOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.#buckets[bucketOf(key)]!.has(key);
  }

  *entries(): MapIterator<[string, V]> {
    for (const bucket of this.#buckets) yield* bucket.entries();
  }

  *keys(): MapIterator<string> {
    for (const bucket of this.#buckets) yield* bucket.keys();
  }

  *values(): MapIterator<V> {
    for (const bucket of this.#buckets) yield* bucket.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
}
