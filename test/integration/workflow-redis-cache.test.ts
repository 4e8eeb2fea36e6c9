import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../src/gateway/workflows/cache/redis-cache.js';
import { startWorkflowGateway, type WorkflowGateway } from './workflow-fixtures.js';

/** The cache node on Redis: what one node stores another serves, and an unreachable Redis is a miss, never a failed call. */

const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port || 6379), hostname);
    s.setTimeout(1_000, () => resolve(false));
    s.on('error', () => resolve(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      s.destroy();
      resolve(String(d).startsWith('+PONG'));
    });
  });
}

const available = await redisAnswers(REDIS_URL);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`Redis at ${REDIS_URL} is required under CI=true`);
  console.warn(`SKIP: no Redis at ${REDIS_URL}; the Redis response-cache tests are skipped`);
}

describe.skipIf(!available)('workflow cache on Redis', () => {
  const prefix = `gatehouse-test-${randomBytes(6).toString('hex')}:`;
  let g: WorkflowGateway;

  beforeAll(async () => {
    g = await startWorkflowGateway({ redisUrl: REDIS_URL, redisPrefix: prefix });
  });
  afterAll(async () => g?.close());

  it('stores a response in Redis and serves the next call from it', async () => {
    await g.attach({ request: [{ type: 'cache', id: 'shared', ttlSeconds: 30 }], bodyLimitBytes: 65_536 });
    const first = await g.send('GET', '/counted');
    const second = await g.send('GET', '/counted');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect(g.upstream.hits.get('/counted')).toBe(1);
    // The entry is in Redis, where every node of the cluster finds it.
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${prefix}cache:*`);
      expect(keys.length).toBe(1);
      expect(await redis.pttl(keys[0]!)).toBeGreaterThan(25_000);
    } finally {
      redis.disconnect();
    }
  });

  it('treats an unreachable Redis as a miss', async () => {
    const dead = createRedisCache({ url: 'redis://127.0.0.1:1', prefix: 'x:', timeoutMs: 50 });
    try {
      expect(await dead.get('anything')).toBeUndefined();
      await dead.set('anything', { status: 200, headers: {}, body: Buffer.from('x') }, 1_000);
    } finally {
      await dead.close();
    }
  });
});
