import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { startTcpBalancer, type TcpBalancer } from '../support/tcp-balancer.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

/**
 * A rolling restart of a two-node cluster (one PostgreSQL store) behind a layer-4 balancer that
 * probes `/readyz`, under keep-alive load from a client that never retries (POST calls): every call
 * is answered 200, and every call is in the request log. A node told to stop fails its readiness,
 * keeps serving what reaches it (kept-alive connections stay with it), tells each connection to
 * close on its next response, stops accepting only after the balancer has stopped sending, and
 * never resets a connection that may hold a request.
 */

const pg = await postgresAvailable();
const CLIENTS = 24;
const DELAY_MS = 1_500;

describe.skipIf(!pg)('a rolling restart of two nodes under load', () => {
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let lb: TcpBalancer;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await lb?.close();
    await upstream?.close();
    await db?.drop();
  });

  const secretKey = randomBytes(32).toString('base64');
  // One cluster: the store, the secret key and the public URL (the balancer's) shared; a data dir (spool) each.
  const env = () => ({
    ...db.env,
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-roll-')),
    GATEHOUSE_SECRET_KEY: secretKey,
    GATEHOUSE_PUBLIC_URL: lb.url,
    GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GATEHOUSE_HOST: '127.0.0.1',
    GATEHOUSE_SHUTDOWN_DELAY_MS: String(DELAY_MS),
    GATEHOUSE_SHUTDOWN_TIMEOUT_MS: '10000',
  });
  const startNode = async () => {
    // Its URLs are the balancer's (the public URL): the port it listens on is chosen here.
    const port = await freePort();
    const { child, summary } = await spawnServe(['--port', String(port)], env(), 110_000);
    children.push(child);
    return { child, urls: summary.urls as { proxy: string; adminApi: string; issuer: string }, port };
  };
  const stop = (child: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });

  it('answers every call, and logs every one, while each node is replaced in turn', async () => {
    db = await freshDatabase('postgres');
    upstream = await startUpstream();
    lb = await startTcpBalancer();
    const nodes = [await startNode(), await startNode()];
    lb.setBackends(nodes.map((n) => n.port));
    await Promise.all(nodes.map((n) => lb.waitReady(n.port)));
    const { urls } = nodes[0]!;
    const { accessToken } = await loginWithPassword({ issuer: urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: urls.adminApi });
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await call(urls.adminApi, accessToken, method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const col = await admin('POST', '/collections', { slug: 'roll', name: 'Roll', published: true });
    const proxy = await admin('POST', '/proxies', { collectionId: col.id, name: 'P', basePath: '/roll', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'POST', path: '/slow' });
    const client = await admin('POST', '/clients', { name: 'Roll client', collectionIds: [col.id] });
    const profile = await admin('POST', '/profiles', { clientId: client.id, name: 'p', authType: 'token' });
    const { token } = await admin('POST', `/profiles/${profile.id}/credentials`, {});

    const agent = new Agent({ connections: CLIENTS, keepAliveTimeout: 30_000, pipelining: 1 });
    let sent = 0;
    const send = async (id: string, ms: number) => {
      const res = await request(`${lb.url}/roll/slow?ms=${ms}`, {
        method: 'POST',
        dispatcher: agent,
        body: '{}',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': id },
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      await res.body.dump();
      return res.statusCode;
    };
    // Both nodes hold the new proxy and credential (the change feed) before the load starts.
    for (const n of nodes) {
      await expect
        .poll(
          async () => (await fetch(`http://127.0.0.1:${n.port}/roll/slow?ms=0`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status,
          {
            timeout: 15_000,
          },
        )
        .toBe(200);
    }

    const ok: string[] = [];
    const failures: string[] = [];
    let running = true;
    const loop = async (n: number) => {
      while (running) {
        const id = `roll-${n}-${sent++}`;
        // Some calls outlast the drain delay: they are in flight when a node stops accepting.
        const ms = sent % 100 === 0 ? 2_000 : sent % 4;
        try {
          const status = await send(id, ms);
          if (status === 200) ok.push(id);
          else failures.push(`${id}: ${status}`);
        } catch (err) {
          const e = err as { code?: string; cause?: { code?: string }; message: string };
          failures.push(`${id}: ${e.cause?.code ?? e.code ?? e.message}`);
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => loop(n)));
    await new Promise((r) => setTimeout(r, 500));
    // Replace each node in turn: the new one joins the balancer once ready, then the old one is stopped.
    for (const i of [0, 1]) {
      const fresh = await startNode();
      lb.setBackends([...nodes.map((n) => n.port), fresh.port]);
      await lb.waitReady(fresh.port);
      const old = nodes[i]!;
      expect(await stop(old.child)).toBe(0);
      nodes[i] = fresh;
      lb.setBackends(nodes.map((n) => n.port));
    }
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await load;
    await agent.close();

    const summary = { ok: ok.length, failures: failures.slice(0, 10), failed: failures.length, dropped: lb.dropped };
    console.log(`rolling restart: ${JSON.stringify(summary)}`);
    expect(failures, JSON.stringify(summary)).toEqual([]);
    expect(lb.dropped).toBe(0);
    expect(ok.length).toBeGreaterThan(CLIENTS * 20);

    // Every call answered is in the request log: the stopped nodes wrote theirs before exiting.
    const logged = async () => {
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await call(urls.adminApi, accessToken, 'GET', `/request-logs?profileId=${profile.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        for (const item of page.body.items as { requestId: string }[]) ids.add(item.requestId);
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      return ok.filter((id) => !ids.has(id)).length;
    };
    await expect.poll(logged, { timeout: 15_000, interval: 1_000 }).toBe(0);
  }, 240_000);
});
