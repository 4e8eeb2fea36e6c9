import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningGatehouse, startGatehouse } from '../../src/node/index.js';
import { freshDatabase, PG_URL, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// The node reaches PostgreSQL through a forwarder this test cuts: every open connection drops and
// new ones are refused, as in a database restart — without touching the machine's shared server.
const pg = await postgresAvailable();

/** Calls `fn` in `concurrency` loops until `stop` is set; returns every status seen. */
async function load(fn: () => Promise<number>, concurrency: number, stop: { done: boolean }): Promise<number[]> {
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stop.done) statuses.push(await fn().catch(() => 0));
    }),
  );
  return statuses;
}

async function eventually(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms`);
}

describe.runIf(pg)('PostgreSQL down under proxy load', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let gh: RunningGatehouse | undefined;
  let forwarder: TcpProxy;
  let upstream: SampleUpstream;
  afterAll(async () => {
    await gh?.close();
    await forwarder?.close();
    await upstream?.close();
    await db?.drop();
  });

  it('keeps serving on the last config, refuses admin writes with 503, and writes every request log once it is back', async () => {
    upstream = await startUpstream();
    db = await freshDatabase('postgres');
    const target = new URL(PG_URL);
    forwarder = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaForwarder = new URL(PG_URL);
    viaForwarder.port = String(forwarder.port);
    gh = await startGatehouse({
      port: 0,
      dataDir: db.dataDir,
      databaseUrl: viaForwarder.toString(),
      databaseSchema: db.env.GATEHOUSE_DATABASE_SCHEMA,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent',
    });
    const node = gh;
    const { accessToken } = await loginWithPassword({ issuer: node.urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: node.urls.adminApi });
    const admin = (method: string, path: string, body?: unknown) => call(node.urls.adminApi, accessToken, method, path, body);
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await admin(method, path, body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    const col = await ok('POST', '/collections', { slug: 'chaos', name: 'Chaos', published: true });
    const proxy = await ok('POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/chaos', upstreams: [upstream.url] });
    await ok('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders' });
    const client = await ok('POST', '/clients', { name: 'Chaos client', collectionIds: [col.id] });
    const profile = await ok('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    const { token } = await ok('POST', `/profiles/${profile.id}/credentials`, {});

    const stop = { done: false };
    const traffic = load(
      async () => {
        const res = await fetch(`${node.urls.proxy}/chaos/orders`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        return res.status;
      },
      4,
      stop,
    );
    await new Promise((r) => setTimeout(r, 500));
    await forwarder.cut();

    // Down: writes are refused at once with a clear code; the node stays ready and says why.
    const refused = await admin('POST', '/collections', { slug: 'during-outage', name: 'During outage' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body.error.code).toBe('GATEHOUSE_STORE_UNAVAILABLE');
    const ready = await fetch(`${node.urls.proxy}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'unavailable' });
    await new Promise((r) => setTimeout(r, 1_500));

    await forwarder.restore();
    // Back: writes succeed again once the pool has reconnected.
    await eventually(15_000, async () => (await admin('POST', '/collections', { slug: `after-${Date.now()}`, name: 'After' })).status === 201);
    await new Promise((r) => setTimeout(r, 300));
    stop.done = true;
    const statuses = await traffic;

    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // Closing flushes the writer; what the outage spooled is in the database by then.
    await node.close();
    gh = undefined;
    const logged = await db.db
      .selectFrom('request_log_segments')
      .select((eb) => eb.fn.sum<number>('row_count').as('n'))
      .executeTakeFirstOrThrow();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${db.dataDir}/request-log-spool`)).toEqual([]);
    expect(Number(logged.n)).toBe(statuses.length);
  });
});
