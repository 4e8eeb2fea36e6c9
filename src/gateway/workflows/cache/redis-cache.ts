import { Redis } from 'ioredis';
import type { CachedResponse, ResponseCache } from './response-cache.js';

export interface RedisCacheOptions {
  url: string;
  /** Prefix of every key, e.g. `gatehouse:cache:`. */
  prefix: string;
  /** How long a lookup may take before it counts as a miss. */
  timeoutMs?: number;
}

const SEPARATOR = 0x0a;

function encode(value: CachedResponse): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify({ s: value.status, h: value.headers })), Buffer.from([SEPARATOR]), value.body]);
}

function decode(raw: Buffer): CachedResponse | undefined {
  const at = raw.indexOf(SEPARATOR);
  if (at < 0) return undefined;
  try {
    const head = JSON.parse(raw.subarray(0, at).toString('utf8')) as { s: number; h: Record<string, string | string[]> };
    return { status: head.s, headers: head.h, body: raw.subarray(at + 1) };
  } catch {
    return undefined;
  }
}

/** A response cache every node shares, in Redis; an unreachable Redis is a miss, never a failed call. */
export function createRedisCache(opts: RedisCacheOptions): ResponseCache {
  const redis = new Redis(opts.url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {
    // Reconnects on its own; lookups meanwhile are misses.
  });
  const timeout = opts.timeoutMs ?? 100;
  const withTimeout = <T>(p: Promise<T>): Promise<T | undefined> =>
    Promise.race([p, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeout).unref())]).catch(() => undefined);
  return {
    async get(key) {
      const raw = await withTimeout(redis.getBuffer(opts.prefix + key));
      return raw ? decode(raw) : undefined;
    },
    async set(key, value, ttlMs) {
      await withTimeout(redis.set(opts.prefix + key, encode(value), 'PX', ttlMs));
    },
    async close() {
      redis.disconnect();
    },
  };
}
