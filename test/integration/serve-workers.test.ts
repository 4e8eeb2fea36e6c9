import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../support/cli.js';
import { freshDatabase, postgresAvailable, type TestDatabase } from '../support/databases.js';
import { ADMIN_PASSWORD, call } from '../support/gatehouse.js';
import { loginWithPassword } from '../support/oauth.js';
import { type SampleUpstream, start as startUpstream } from '../support/upstream.js';

// `gatehouse serve --workers 2` as a user runs it: the built CLI, one primary and two worker
// processes on one loopback port. Once over the embedded SQLite store with everything on one port
// (the primary relays config changes between the workers), once over PostgreSQL with the admin
// surfaces on their own port (changes travel by LISTEN/NOTIFY, both listeners shared by the workers).

const LIMIT = 25;

interface Setup {
  name: string;
  dialect: 'sqlite' | 'postgres';
  args: string[];
}

const setups: Setup[] = [{ name: 'SQLite, one port', dialect: 'sqlite', args: [] }];
if (await postgresAvailable()) setups.push({ name: 'PostgreSQL, --admin-port', dialect: 'postgres', args: ['--admin-port', '0'] });

describe.each(setups)('serve --workers 2 ($name)', (setup) => {
  let db: TestDatabase;
  let upstream: SampleUpstream;
  let primary: ChildProcess;
  let urls: { proxy: string; admin: string; adminApi: string; issuer: string };
  let adminToken: string;
  let open: string;
  let limited: string;

  /** Starts `serve --json --workers 2` and resolves with its summary (start-up is slow on a loaded machine: three processes). */
  function serveWorkers(env: Record<string, string>): Promise<{ child: ChildProcess; summary: any }> {
    return spawnServe(['--workers', '2', '--port', '0', ...setup.args], env, 110_000);
  }

  async function admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await call(urls.adminApi, adminToken, method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** One proxy call on a connection of its own, so node:cluster hands each call to the next worker. */
  async function proxyCall(token: string, requestId = randomUUID()): Promise<number> {
    const res = await request(`${urls.proxy}/shop/v1/orders`, {
      headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId },
      reset: true,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await res.body.dump();
    return res.statusCode;
  }

  async function metrics(): Promise<string> {
    const res = await request(`${urls.admin}/metrics`, { headers: { authorization: `Bearer ${adminToken}` }, reset: true });
    return res.body.text();
  }

  function workerCalls(text: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of text.matchAll(/^gatehouse_worker_requests_total\{worker="(\d+)"\} (\d+)/gm)) out.set(m[1]!, Number(m[2]));
    return out;
  }

  function workerPids(): number[] {
    try {
      return execFileSync('pgrep', ['-P', String(primary.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    db = await freshDatabase(setup.dialect);
    upstream = await startUpstream();
    const started = await serveWorkers({ ...db.env, GATEHOUSE_ADMIN_PASSWORD: ADMIN_PASSWORD, GATEHOUSE_HOST: '127.0.0.1' });
    primary = started.child;
    urls = started.summary.urls;
    expect(started.summary.workers).toBe(2);
    expect(urls.admin === urls.proxy).toBe(!setup.args.includes('--admin-port'));
    ({ accessToken: adminToken } = await loginWithPassword({ issuer: urls.issuer, username: 'admin', password: ADMIN_PASSWORD, resource: urls.adminApi }));
    // Admin writes land on whichever worker takes the connection; the primary relays each change to the other.
    const shop = await admin('POST', '/collections', { slug: 'shop', name: 'Shop', published: true });
    const proxy = await admin('POST', '/proxies', { collectionId: shop.id, name: 'Orders', basePath: '/shop/v1', upstreams: [upstream.url] });
    await admin('POST', `/proxies/${proxy.id}/endpoints`, { method: 'GET', path: '/orders', summary: 'List orders' });
    const policy = await admin('POST', '/policies', { name: 'tight', rateLimits: [{ window: 'hour', limit: LIMIT }] });
    const client = await admin('POST', '/clients', { name: 'partner', collectionIds: [shop.id] });
    const issue = async (extra: object) => {
      const p = await admin('POST', '/profiles', { clientId: client.id, name: `p-${randomUUID().slice(0, 8)}`, authType: 'token', ...extra });
      return (await admin('POST', `/profiles/${p.id}/credentials`, {})).token as string;
    };
    open = await issue({});
    limited = await issue({ policyId: policy.id });
    // Both workers have the new config once four calls in a row (two per worker, round robin) pass.
    let streak = 0;
    await until('the config on both workers', 10_000, async () => {
      streak = (await proxyCall(open)) === 200 ? streak + 1 : 0;
      return streak >= 4 || undefined;
    });
  }, 180_000);

  afterAll(async () => {
    if (primary && primary.exitCode === null) {
      const exited = new Promise((r) => primary.once('exit', r));
      primary.kill('SIGTERM');
      await exited;
    }
    await upstream?.close();
    await db?.drop();
  }, 60_000);

  describe('serves', () => {
    const sent: string[] = [];

    it('serves the proxy and both MCP surfaces, and the traffic reaches both workers', async () => {
      const before = workerCalls(await metrics());
      for (let i = 0; i < 20; i++) {
        const id = randomUUID();
        sent.push(id);
        expect(await proxyCall(open, id)).toBe(200);
      }
      const mcp = new Client({ name: 'workers-test', version: '1.0.0' });
      await mcp.connect(new StreamableHTTPClientTransport(new URL(`${urls.proxy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${open}` } } }));
      const { tools } = await mcp.listTools();
      expect(tools.map((t) => t.name)).toContain('execute_call');
      await mcp.close();
      const management = await fetch(`${urls.admin}/management/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(management.status).toBe(401);
      expect(management.headers.get('www-authenticate')).toContain('/.well-known/oauth-protected-resource/management/mcp');
      if (urls.admin !== urls.proxy) {
        // The admin surfaces live only on their own port, on every worker.
        for (let i = 0; i < 4; i++) expect((await request(`${urls.proxy}/admin/api/v1/collections`, { reset: true })).statusCode).toBe(404);
      }

      // /metrics is the aggregate of every worker, whichever one answers the scrape.
      const text = await metrics();
      const after = workerCalls(text);
      expect([...after.keys()].sort()).toEqual(['1', '2']);
      for (const w of ['1', '2']) expect(after.get(w)! - (before.get(w) ?? 0)).toBeGreaterThanOrEqual(8);
      // Summed over the workers: every call counted once, whichever worker served it.
      const total = [...text.matchAll(/^gatehouse_requests_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
      expect(total).toBe([...after.values()].reduce((n, v) => n + v, 0));
      expect(total).toBeGreaterThanOrEqual(24);
    }, 60_000);

    it('admits exactly the rate limit across both workers, not the limit per worker', async () => {
      const statuses: number[] = [];
      const queue = Array.from({ length: 2 * LIMIT + 10 }, () => () => proxyCall(limited));
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) statuses.push(await next());
        }),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT + 10);
    }, 60_000);

    it('writes the request logs of both workers once each, through the one writer', async () => {
      const logged = await until('the request logs', 15_000, async () => {
        const page = await admin('GET', '/request-logs?path=/shop/v1/orders&limit=500');
        const ids = (page.items as Array<{ requestId: string }>).map((r) => r.requestId).filter((id) => sent.includes(id));
        return ids.length >= sent.length ? ids : undefined;
      });
      expect(logged.sort()).toEqual([...sent].sort());
    }, 60_000);

    it('replaces a worker killed with kill -9 and keeps serving', async () => {
      const pids = workerPids();
      expect(pids).toHaveLength(2);
      process.kill(pids[0]!, 'SIGKILL');
      // A connection handed to the killed worker before the primary saw it die may fail; the other
      // worker serves the rest, and calls given to the starting replacement wait for it: never a 503.
      const during: number[] = [];
      for (let i = 0; i < 10; i++) during.push(await proxyCall(open).catch(() => 0));
      expect(during.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
      expect(during.filter((s) => s !== 200 && s !== 0)).toEqual([]);
      const replaced = await until('a replacement worker', 60_000, async () => {
        const now = workerPids();
        return now.length === 2 && !now.includes(pids[0]!) ? now : undefined;
      });
      expect(replaced).toContain(pids[1]);
      // The replacement serves once it has started; from then on every call passes.
      await until('the replacement serving', 60_000, async () => (workerCalls(await metrics()).has('3') ? true : undefined));
      const afterwards: number[] = [];
      for (let i = 0; i < 10; i++) afterwards.push(await proxyCall(open));
      expect(afterwards).toEqual(Array(10).fill(200));
    }, 150_000);

    it('stops on SIGTERM: every worker drains and exits, then the primary exits 0', async () => {
      const pids = workerPids();
      const exited = new Promise<number | null>((r) => primary.once('exit', (code) => r(code)));
      primary.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    }, 60_000);
  });
});
