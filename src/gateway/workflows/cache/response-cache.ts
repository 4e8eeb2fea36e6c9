import type { StoredHit } from './stored-hit.js';

/** A stored response: what the caller got once the response phase had run. */
export interface CachedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Its head prepared for hits, kept with the entry by the in-process cache (Redis stores only the response). */
  hit?: StoredHit;
}

/** Where the cache node keeps responses: memory (an LRU bounded in bytes) or Redis (shared by the cluster). */
export interface ResponseCache {
  /** The entry under `key`, or undefined (a miss, an expired entry, or an unreachable Redis). */
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  /** Stores an entry for `ttlMs`; never throws (a cache that cannot store simply misses next time). */
  set(key: string, value: CachedResponse, ttlMs: number): void | Promise<void>;
  close(): Promise<void>;
}
