import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// `serve --workers 2` under concurrent load on many connections (spread over both workers): a limit
// of 100 a second or 100 a minute must never admit more than 100 in any window. A call counts in a
// window when it was both sent and answered inside it (the node decided inside it, on the same clock).

const LIMIT = 100;
const CLIENTS = 8;

const dialects: Array<'sqlite' | 'postgres'> = ['sqlite'];
if (await postgresAvailable()) dialects.push('postgres');

interface Admitted {
  sent: number;
  answered: number;
}

/** The most calls admitted inside one window of `ms` (only calls sent and answered inside the same window count). */
function perWindow(admitted: Admitted[], ms: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of admitted) {
    const start = a.sent - (a.sent % ms);
    if (a.answered < start + ms) out.set(start, (out.get(start) ?? 0) + 1);
  }
  return out;
}

describe.each(dialects)('exact rate limits across serve --workers 2 (%s)', (dialect) => {
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let child: ChildProcess | undefined;
  let proxyUrl: string;
  const tokens: Record<'second' | 'minute', string> = { second: '', minute: '' };

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    upstream = await startUpstream();
    const started = await spawnServe(
      ['--workers', '2', '--port', '0'],
      { ...db.env, GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD, GATEHOUSE_HOST: '127.0.0.1' },
      110_000,
    );
    child = started.child;
    const urls = started.summary.urls;
    proxyUrl = urls.proxy;
    const { accessToken } = await loginWithPassword({ issuer: urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: urls.adminApi });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await call(urls.adminApi, accessToken, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const col = await admin('POST', '/collections', { slug: 'lim', name: 'Limits', published: true });
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/lim', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders' });
    const client = await admin('POST', '/clients', { name: 'Limits client', collectionIds: [col.id] });
    for (const window of ['second', 'minute'] as const) {
      const policy = await admin('POST', '/policies', { name: `per-${window}`, rateLimits: [{ window, limit: LIMIT }] });
      const profile = await admin('POST', '/profiles', { clientId: client.id, name: window, authType: 'token', policyId: policy.id });
      tokens[window] = (await admin('POST', `/profiles/${profile.id}/credentials`, {})).token;
    }
    // Both workers know the credentials once a run of calls on fresh connections passes.
    for (let streak = 0, tries = 0; streak < 4; tries++) {
      if (tries > 100) throw new Error('the proxy never served');
      const res = await request(`${proxyUrl}/lim/orders`, { reset: true }).catch(() => null);
      await res?.body.dump();
      streak = res?.statusCode === 401 ? streak + 1 : 0;
      if (streak === 0) await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
    await db?.drop();
  }, 60_000);

  /** Calls as fast as CLIENTS keep-alive connections allow for `ms`; returns the admitted calls and the status counts. */
  async function load(token: string, ms: number) {
    const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000 });
    const admitted: Admitted[] = [];
    const statuses = new Map<number, number>();
    const until = Date.now() + ms;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < until) {
          const sent = Date.now();
          const res = await request(`${proxyUrl}/lim/orders`, { dispatcher: agent, headers: { authorization: `Bearer ${token}` } });
          await res.body.dump();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode === 200) admitted.push({ sent, answered: Date.now() });
        }
      }),
    );
    await agent.close();
    return { admitted, statuses };
  }

  it('admits at most 100 a second in every second, and reaches the limit', async () => {
    const { admitted, statuses } = await load(tokens.second, 3_000);
    const windows = perWindow(admitted, 1_000);
    const report = JSON.stringify({ statuses: Object.fromEntries(statuses), windows: [...windows.values()] });
    console.log(`100/s on 2 workers (${dialect}): ${report}`);
    expect([...statuses.keys()].sort(), report).toEqual([200, 429]);
    expect(Math.max(...windows.values()), report).toBeLessThanOrEqual(LIMIT);
    expect(Math.max(...windows.values()), report).toBeGreaterThanOrEqual(LIMIT * 0.75);
  }, 30_000);

  it('admits at most 100 a minute, exactly 100 within one minute', async () => {
    // Start early in a minute so the load stays inside it.
    const into = Date.now() % 60_000;
    if (into > 55_000) await new Promise((r) => setTimeout(r, 60_100 - into));
    const { admitted, statuses } = await load(tokens.minute, 2_000);
    const windows = perWindow(admitted, 60_000);
    const report = JSON.stringify({ statuses: Object.fromEntries(statuses), windows: [...windows.values()] });
    console.log(`100/min on 2 workers (${dialect}): ${report}`);
    expect(Math.max(...windows.values()), report).toBeLessThanOrEqual(LIMIT);
    expect(statuses.get(200), report).toBe(LIMIT);
  }, 30_000);
});
