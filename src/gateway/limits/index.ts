/** The door of the limiters a node builds its gateway with: in memory, leased from a primary, or Redis. */
import type { RedisLimiter, RedisLimiterOptions } from './redis.js';

export type { Limiter } from './limiter.js';
export { createMemoryLimiter } from './memory.js';
export { type LeaseGrant, type LeaseRequest, type LeaseReturn, LeaseBank } from './lease-bank.js';
export { createLeasedLimiter, type LeasedLimiter } from './leased.js';
export type { RedisLimiter } from './redis.js';

/** The Redis limiter, loaded on demand so a node without Redis never loads ioredis. */
export async function openRedisLimiter(opts: RedisLimiterOptions): Promise<RedisLimiter> {
  return (await import('./redis.js')).createRedisLimiter(opts);
}
