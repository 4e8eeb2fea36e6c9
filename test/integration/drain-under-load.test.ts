import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// SIGTERM in the middle of keep-alive traffic, as a rolling deploy does it: the built CLI, with and
// without `--workers`, and a client that reconnects. Every call must be served (no 503, no reset of a
// call in flight); a connection refused means the node is gone and the call was never sent — a client
// behind a load balancer sends it to another node, so it is counted apart, not as a failure.

const DELAY_MS = 700;
const CLIENTS = 8;
const MAX_CALLS = 400;

const setups = [
  { name: 'one process', args: [] as string[] },
  { name: '--workers 2', args: ['--workers', '2'] },
];

const CONNECT_REFUSED = new Set(['ECONNREFUSED']);

function code(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code ?? String(err);
}

describe.each(setups)('drain on SIGTERM under keep-alive load ($name)', (setup) => {
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await upstream?.close();
    await db?.drop();
  });

  it('serves every call it accepted, closes keep-alive connections with Connection: close, and refuses nothing with a 503', async () => {
    db = await freshDatabase('sqlite');
    upstream = await startUpstream();
    const started = await spawnServe(
      ['--port', '0', ...setup.args],
      {
        ...db.env,
        GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        GATEHOUSE_HOST: '127.0.0.1',
        GATEHOUSE_SHUTDOWN_DELAY_MS: String(DELAY_MS),
        GATEHOUSE_SHUTDOWN_TIMEOUT_MS: '5000',
      },
      110_000,
    );
    child = started.child;
    const urls = started.summary.urls;
    const { accessToken } = await loginWithPassword({ issuer: urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: urls.adminApi });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await call(urls.adminApi, accessToken, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const col = await admin('POST', '/collections', { slug: 'drain', name: 'Drain', published: true });
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/drain', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/slow' });
    const client = await admin('POST', '/clients', { name: 'Drain client', collectionIds: [col.id] });
    const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    const { token } = await admin('POST', `/profiles/${profile.id}/credentials`, {});

    const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000, pipelining: 1 });
    const once = async (ms: number) => {
      const res = await request(`${urls.proxy}/drain/slow?ms=${ms}`, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token}` },
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.dump();
      return { status: res.statusCode, closes: res.headers.connection === 'close' };
    };
    // Both workers have the config once a run of calls passes (a change reaches the other worker by relay).
    for (let streak = 0, tries = 0; streak < 4; tries++) {
      if (tries > 100) throw new Error('the proxy never served');
      streak = (await once(0).catch(() => ({ status: 0 }))).status === 200 ? streak + 1 : 0;
      if (streak === 0) await new Promise((r) => setTimeout(r, 100));
    }

    const statuses = new Map<number, number>();
    const resets: string[] = [];
    let retriedOk = 0;
    let resetThenRefused = 0;
    let refused = 0;
    let closedAfterSignal = 0;
    let issued = 0;
    let signalled = 0;
    const loop = async (n: number) => {
      for (;;) {
        if (issued >= MAX_CALLS) return;
        issued++;
        // Some calls take longer than the drain delay: they are in flight when the listener closes.
        const ms = n === 0 ? 900 : 20 + ((issued * 37) % 80);
        let out: { status: number; closes: boolean };
        try {
          out = await once(ms);
        } catch (err) {
          if (CONNECT_REFUSED.has(code(err))) {
            refused++;
            return;
          }
          resets.push(code(err));
          // A reconnecting client sends it again on a new connection.
          try {
            out = await once(ms);
            retriedOk++;
          } catch (again) {
            if (!CONNECT_REFUSED.has(code(again))) throw again;
            // The idle socket was closed as the node stopped listening: the call was never served and
            // there is no node left to retry on, like the calls refused outright.
            resetThenRefused++;
            refused++;
            return;
          }
        }
        statuses.set(out.status, (statuses.get(out.status) ?? 0) + 1);
        if (signalled && out.closes) closedAfterSignal++;
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => loop(n)));
    await new Promise((r) => setTimeout(r, 400));
    const exited = new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    signalled = Date.now();
    child.kill('SIGTERM');
    await load;
    expect(await exited).toBe(0);
    await agent.close();

    const summary = { statuses: Object.fromEntries(statuses), resets, retriedOk, resetThenRefused, refused, issued, closedAfterSignal };
    console.log(`drain (${setup.name}): ${JSON.stringify(summary)}`);
    // Every call that reached the node was answered 200: no 503 while draining, none cut.
    expect([...statuses.keys()], JSON.stringify(summary)).toEqual([200]);
    // A reset may only hit a call sent on a keep-alive socket as it was being closed idle: its retry
    // passed, or found the node gone (never served, as above).
    expect(retriedOk + resetThenRefused, JSON.stringify(summary)).toBe(resets.length);
    // A socket the node closed idle as it stopped listening can race a call on each client (seen: two
    // under CI's parallel load, both never served); a call reset and then served on retry stays rare.
    expect(retriedOk, JSON.stringify(summary)).toBeLessThanOrEqual(1);
    // Responses after SIGTERM told the client to reconnect, and the load kept going through the delay.
    expect(closedAfterSignal, JSON.stringify(summary)).toBeGreaterThanOrEqual(CLIENTS);
    expect(statuses.get(200)!, JSON.stringify(summary)).toBeGreaterThan(CLIENTS * 4);
  }, 150_000);
});
