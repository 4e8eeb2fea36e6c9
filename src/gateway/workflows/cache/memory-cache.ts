import type { CachedResponse, ResponseCache } from './response-cache.js';

interface Entry {
  value: CachedResponse;
  expiresAt: number;
  bytes: number;
}

function sizeOf(key: string, value: CachedResponse): number {
  let bytes = key.length * 2 + value.body.length + 64 + (value.hit?.head.length ?? 0);
  for (const [k, v] of Object.entries(value.headers)) bytes += (k.length + (Array.isArray(v) ? v.join(', ').length : v.length)) * 2;
  return bytes;
}

/** The in-process cache: synchronous, and it can say how much it holds. */
export interface MemoryCache extends ResponseCache {
  get(key: string): CachedResponse | undefined;
  readonly bytes: number;
  readonly size: number;
}

/** An in-process response cache: least recently used entries go first once `maxBytes` is reached. */
export function createMemoryCache(maxBytes: number, now: () => number = Date.now): MemoryCache {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.bytes;
  };
  return {
    get bytes() {
      return bytes;
    },
    get size() {
      return entries.size;
    },
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        drop(key, entry);
        return undefined;
      }
      // Most recently used last: Map keeps insertion order.
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, ttlMs) {
      const size = sizeOf(key, value);
      if (size > maxBytes) return;
      const prior = entries.get(key);
      if (prior) drop(key, prior);
      for (const [k, e] of entries) {
        if (bytes + size <= maxBytes) break;
        drop(k, e);
      }
      entries.set(key, { value, expiresAt: now() + ttlMs, bytes: size });
      bytes += size;
    },
    async close() {
      entries.clear();
      bytes = 0;
    },
  };
}
