import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisLimiter, type RedisLimiter } from '../../src/gateway/limits/redis.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { type SampleUpstream, start } from '../support/upstream.js';
import { Fixtures, type RunningGateway, startGateway } from './gateway-fixtures.js';
import { freePort } from '../support/free-port.js';

const REDIS_BIN = '/usr/bin/redis-server';
const available = existsSync(REDIS_BIN);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`${REDIS_BIN} is required under CI=true`);
  console.warn(`SKIP: ${REDIS_BIN} not found; Redis limiter tests are skipped`);
}

/** A throwaway redis-server the test can stop and start again on the same port. */
class RedisProcess {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.child = spawn(REDIS_BIN, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('redis-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const sock = createConnection({ port: this.port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.write('PING\r\n');
        sock.once('data', (d) => {
          sock.destroy();
          resolve(d.toString().startsWith('+PONG'));
        });
      });
      sock.once('error', () => resolve(false));
    });
  }
}

describe.skipIf(!available)('Redis limiter', () => {
  let redis: RedisProcess;
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let fx: Fixtures;
  let collectionId: string;
  const limiters: RedisLimiter[] = [];
  const gateways: RunningGateway[] = [];
  const prefix = `gh-test-${randomBytes(6).toString('hex')}:`;

  /** A limiter on the test's Redis, closed with the suite. */
  function limiterWith(failMode: 'open' | 'closed', commandTimeoutMs?: number): RedisLimiter {
    const limiter = createRedisLimiter({
      url: `redis://127.0.0.1:${redis.port}`,
      keyPrefix: prefix,
      failMode,
      ...(commandTimeoutMs ? { commandTimeoutMs } : {}),
    });
    limiters.push(limiter);
    return limiter;
  }

  async function gatewayWith(failMode: 'open' | 'closed'): Promise<{ gw: RunningGateway; limiter: RedisLimiter }> {
    const limiter = limiterWith(failMode, 200);
    const gw = await startGateway(db.db, { limiter });
    gateways.push(gw);
    return { gw, limiter };
  }

  async function tokenWithLimit(limit: number): Promise<string> {
    const policyId = await fx.policy({ rateLimits: [{ window: 'hour', limit }] });
    const c = await fx.client({ collectionIds: [collectionId], policyId });
    const p = await fx.profile({ clientId: c, authType: 'token' });
    const { token } = await fx.credential(p, c);
    for (const g of gateways) await g.holder.refresh();
    return token;
  }

  async function call(gw: RunningGateway, token: string) {
    const res = await request(`${gw.url}/shop/v1/orders`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.body.text();
    return { status: res.statusCode, code: res.statusCode === 200 ? null : JSON.parse(text).error.code, headers: res.headers };
  }

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    db = await freshDatabase('sqlite');
    upstream = await start();
    fx = new Fixtures(db.db);
    ({ collectionId } = await fx.ordersApi([upstream.url]));
  });

  afterAll(async () => {
    for (const g of gateways) await g.close();
    for (const l of limiters) await l.close();
    await upstream?.close();
    await db?.drop();
    await redis?.stop();
  });

  it('is exact across two gateway nodes sharing one Redis', async () => {
    const { gw: a } = await gatewayWith('closed');
    const { gw: b } = await gatewayWith('closed');
    const token = await tokenWithLimit(10);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => call(i % 2 === 0 ? a : b, token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.code === 'GATEHOUSE_RATE_LIMITED')).toHaveLength(20);
    // Refused calls consumed nothing: the counter still stands at the limit, not above it.
    const after = await call(a, token);
    expect([after.status, after.headers['ratelimit-remaining']]).toEqual([429, '0']);
  });

  it('answers a burst of checks issued together exactly, per caller and per rule', async () => {
    const limiter = limiterWith('closed');
    const rules = [
      { kind: 'rate', window: 'minute', limit: 5 },
      { kind: 'quota', window: 'day', limit: 3 },
    ] as const;
    const now = Date.now();
    // Issued in one turn of the event loop, so they travel as batches (one per caller).
    const a = await Promise.all(Array.from({ length: 6 }, () => limiter.consume('burst-a', rules, now)));
    const b = await Promise.all(Array.from({ length: 2 }, () => limiter.consume('burst-b', rules, now)));
    expect(a.map((d) => d.allowed)).toEqual([true, true, true, false, false, false]);
    // The tighter rule (the quota) is the one reported, and refusals name it.
    expect(a.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0, 0]);
    expect(a.slice(3).map((d) => d.failed?.kind)).toEqual(['quota', 'quota', 'quota']);
    expect(b.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    // Refused checks consumed nothing: the minute window holds 3, not 6.
    const peek = await limiter.peek!('burst-a', [rules[0]], now);
    expect(peek.remaining).toBe(2);
  });

  it('refunds a fail-closed batch that Redis ran after the limiter had given up on it', async () => {
    const limiter = limiterWith('closed', 200);
    const rules = [
      { kind: 'rate', window: 'hour', limit: 10 },
      { kind: 'quota', window: 'day', limit: 4 },
    ] as const;
    const now = Date.now();
    expect((await limiter.consume('late', rules, now)).remaining).toBe(3);

    // Redis holds every command for 700 ms and then runs them in order: the batch times out on
    // the limiter's side (503 for its calls) and is counted afterwards, unless it is refunded.
    const admin = new Redis(`redis://127.0.0.1:${redis.port}`, { lazyConnect: true });
    await admin.connect();
    try {
      await admin.call('CLIENT', 'PAUSE', '700', 'ALL');
      // Four checks in one batch: Redis counts three of them and refuses the fourth (quota 4).
      const late = await Promise.allSettled(Array.from({ length: 4 }, () => limiter.consume('late', rules, now)));
      expect(late.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'allowed'))).toEqual(
        Array(4).fill('GATEHOUSE_LIMITER_UNAVAILABLE'),
      );
      await new Promise((r) => setTimeout(r, 900));
      const counters = async () => (await admin.keys(`${prefix}{late}:*`)).sort();
      const counted = async () => Promise.all((await counters()).map(async (k) => Number(await admin.get(k))));
      let values: number[] = [];
      for (let i = 0; i < 30; i++) {
        values = await counted();
        if (values.every((v) => v === 1)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // Both counters (hour and day) are back to the one call that was served.
      expect(values).toEqual([1, 1]);
    } finally {
      admin.disconnect();
    }
    const next = await limiter.consume('late', rules, Date.now());
    expect([next.allowed, next.remaining]).toEqual([true, 2]);
  });

  it('fails open or closed as configured while Redis is down, without hanging, and recovers', async () => {
    const { gw: open, limiter: openLimiter } = await gatewayWith('open');
    const { gw: closed } = await gatewayWith('closed');
    const token = await tokenWithLimit(1000);
    expect((await call(closed, token)).status).toBe(200);

    await redis.stop();
    // Both answer with Redis gone (each by its fail mode), neither waiting for it to come back.
    const o = await call(open, token);
    const c = await call(closed, token);
    expect(o.status).toBe(200);
    expect(o.headers['ratelimit-limit']).toBeUndefined();
    expect(openLimiter.failOpenCount).toBeGreaterThan(0);
    expect([c.status, c.code]).toEqual([503, 'GATEHOUSE_LIMITER_UNAVAILABLE']);

    await redis.start();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered === 0; i++) {
      const r = await call(closed, token);
      if (r.status === 200) recovered = Number(r.headers['ratelimit-remaining']);
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(recovered).toBe(999);
  });
});
