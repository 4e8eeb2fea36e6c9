import type { RedisLimiter, RedisLimiterOptions } from './limits/redis.js';

export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export type { LimitDecision, LimitRule, Limiter, LimitWindow } from './limits/limiter.js';
export { createMemoryLimiter, type MemoryLimiterOptions } from './limits/memory.js';
export type { RedisLimiter, RedisLimiterOptions } from './limits/redis.js';
export type { PreauthenticatedCaller } from './pipeline/context.js';
export type { ExecuteLimits } from './pipeline/core.js';
export type { GatewayRequest, GatewayResponse } from './pipeline/execute.js';
export { compileSnapshot } from './snapshot/compile.js';
export { createSnapshotHolder, type SnapshotHolder, type SnapshotHolderOptions } from './snapshot/holder.js';
export { loadSnapshotInput, type SnapshotInput } from './snapshot/load.js';
export type { Snapshot } from './snapshot/types.js';
export { warmResponseParser } from './upstream/warm-parser.js';

/** The Redis limiter, loaded on demand so a node without Redis never loads ioredis. */
export async function openRedisLimiter(opts: RedisLimiterOptions): Promise<RedisLimiter> {
  return (await import('./limits/redis.js')).createRedisLimiter(opts);
}
