// `npm run bench -- --listen-fanout` (or `node bench/listen-fanout.mjs`): the cost of carrying an
// upstream session's notifications to a listen stream on another node (#52): two Gatehouse nodes on
// one PostgreSQL, their change feed over PostgreSQL NOTIFY, then over Redis; an SDK v1 upstream
// (Streamable HTTP, stateful) whose session's event stream is held by node B; a 2026-07-28 caller's
// `subscriptions/listen` stream on node A, subscribed to one resource. The upstream sends
// `notifications/resources/updated` straight from this process, so send and arrival share a clock.
// - latency: one notification in flight at a time, send → arrival on node A's listen stream (p50/p99);
// - throughput: a burst sent back to back; arrivals per second at the listener, and how many arrived;
// - CPU per notification: this process's CPU time (both nodes, the upstream and the client: an
//   upper bound of what the two nodes spend) over the burst, divided by the notifications sent;
// - storm: sequential `tools/call`s through node A for a few seconds, idle and while the upstream
//   sends as fast as it can, and the heap before and after.
// Everything listens on loopback and runs in this one process (the nodes compete for one thread:
// the storm figure is pessimistic). Bounded: BENCH_FANOUT_LATENCY (300) notifications one by one,
// BENCH_FANOUT_BURST (5000) in the burst, BENCH_FANOUT_SECONDS (3) per storm phase, 30 s per wait.
// Env: GATEHOUSE_BENCH_PG (postgres://postgres@127.0.0.1:5432/test), GATEHOUSE_BENCH_REDIS
// (redis://127.0.0.1:6379; set it empty to skip the Redis run). Needs `npm run build` first.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import pg from 'pg';
import { z } from 'zod';
import { SYSTEM_PRINCIPAL } from '../dist/management/bootstrap.js';
import { startGatehouse } from '../dist/node/index.js';
import { clientCredentialsToken } from './lib.mjs';

const env = process.env;
const PG_URL = env.GATEHOUSE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = env.GATEHOUSE_BENCH_REDIS ?? 'redis://127.0.0.1:6379';
const LATENCY_N = Number(env.BENCH_FANOUT_LATENCY ?? 300);
const BURST_N = Number(env.BENCH_FANOUT_BURST ?? 5_000);
const STORM_SECONDS = Number(env.BENCH_FANOUT_SECONDS ?? 3);
const WAIT_MS = 30_000;
const URI = 'bench://resource/watched';

/** The upstream: `echo`, one subscribable resource; remembers the session that subscribed, to send it updates. */
async function startUpstream() {
  const sessions = new Map();
  const subscribers = [];
  const build = () => {
    const server = new McpServer({ name: 'fanout-upstream', version: '1' }, { capabilities: { resources: { subscribe: true } } });
    server.registerTool('echo', { description: 'Echoes', inputSchema: { message: z.string() } }, async ({ message }) => ({
      content: [{ type: 'text', text: message }],
    }));
    server.registerResource('watched', URI, { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'watched' }] }));
    server.server.setRequestHandler(SubscribeRequestSchema, async () => {
      subscribers.push(server);
      return {};
    });
    server.server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
    return server;
  };
  const http = createServer((req, res) => {
    void (async () => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      const id = req.headers['mcp-session-id'];
      let transport = id ? sessions.get(id) : undefined;
      if (!transport) {
        if (id || req.method !== 'POST' || !isInitializeRequest(body)) return void res.writeHead(400).end();
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => sessions.set(sid, created),
        });
        await build().connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res, body);
    })().catch((err) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/mcp`,
    /** Sends an update on every subscribed session (one: the caller's). */
    send: () => {
      for (const s of subscribers) void s.server.sendResourceUpdated({ uri: URI }).catch(() => undefined);
    },
    close: () => new Promise((resolve) => http.close(resolve, http.closeAllConnections())),
  };
}

async function tokenFor(issuer, clientId, clientSecret, resource) {
  const meta = await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json();
  return clientCredentialsToken(meta.token_endpoint, { clientId, clientSecret }, resource);
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n) => `${n.toFixed(2)} ms`;

/** One run over one change feed: the figures, as a row. */
async function run(feed, noticesPerSecond) {
  const schema = `bench_fanout_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  const dir = mkdtempSync(join(tmpdir(), 'gh-fanout-'));
  const upstream = await startUpstream();
  const nodes = [];
  const clients = [];
  try {
    const shared = {
      dataDir: dir,
      databaseUrl: PG_URL,
      databaseSchema: schema,
      secretKey: randomBytes(32).toString('base64'),
      adminPassword: 'bench-admin-password-1',
      logLevel: 'silent',
      mcpAllowPrivateUpstreams: true,
      mcpNoticesPerSecond: noticesPerSecond,
      ...(feed === 'redis' ? { redisUrl: REDIS_URL, redisPrefix: `gh-bench-${randomBytes(4).toString('hex')}:` } : {}),
    };
    // Node A: the listener's; node B: the node holding the upstream session's event stream.
    for (let i = 0; i < 2; i++) nodes.push(await startGatehouse({ ...shared, port: 0 }));
    const [a, b] = nodes;
    const local = { principal: SYSTEM_PRINCIPAL, channel: 'cli', requestId: 'bench-fanout', localAdmin: true };
    const dispatch = (op, input) => a.executor.dispatch(op, input, local);
    const server = await dispatch('mcp-servers.create', { name: 'fanout', url: upstream.url, timeoutMs: 15_000 });
    await dispatch('virtual-mcps.create', {
      slug: 'fanout',
      name: 'Fanout',
      upstreamIds: [server.id],
      tools: [{ upstreamId: server.id, name: 'echo' }],
      resources: [{ upstreamId: server.id, uri: URI }],
      published: true,
    });
    const sa = await dispatch('service-accounts.create', { name: 'fanout-listener', role: 'viewer', scope: {} });
    const connect = async (node) => {
      const resource = `${node.urls.proxy}/mcp/v/fanout`;
      // The virtual server reaches the other node through the change feed: retried until it has.
      let token;
      for (let i = 0; ; i++) {
        try {
          token = await tokenFor(node.urls.issuer, sa.serviceAccount.clientId, sa.clientSecret, resource);
          break;
        } catch (err) {
          if (i >= 40) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      const client = new Client({ name: 'fanout-bench', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(new URL(resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      clients.push(client);
      return client;
    };
    // Node B opens the caller's upstream session, and holds its event stream.
    const onB = await connect(b);
    await onB.callTool({ name: 'echo', arguments: { message: 'open' } });
    // The listen stream on node A continues that session from the store and subscribes through it.
    const onA = await connect(a);
    let arrived = 0;
    let lastAt = 0;
    let wake = null;
    onA.setNotificationHandler('notifications/resources/updated', () => {
      arrived++;
      lastAt = performance.now();
      wake?.();
    });
    const listening = await onA.listen({ resourceSubscriptions: [URI] });
    const until = (n) =>
      new Promise((resolve, reject) => {
        if (arrived >= n) return resolve(true);
        const timer = setTimeout(() => {
          wake = null;
          resolve(false);
        }, WAIT_MS);
        wake = () => {
          if (arrived < n) return;
          clearTimeout(timer);
          wake = null;
          resolve(true);
        };
        void reject;
      });
    // The subscription reaches the upstream through node A's continuation: wait until one arrives.
    for (let i = 0; i < 50 && arrived === 0; i++) {
      upstream.send();
      await new Promise((r) => setTimeout(r, 100));
    }
    if (arrived === 0) throw new Error(`${feed}: no notification reached the listener on the other node`);
    await new Promise((r) => setTimeout(r, 500));

    // Latency: one at a time (unbounded runs only: a bounded one would measure its budget).
    const lat = [];
    for (let i = 0; i < (noticesPerSecond < BURST_N ? 0 : LATENCY_N); i++) {
      const before = arrived;
      const t0 = performance.now();
      upstream.send();
      if (!(await until(before + 1))) throw new Error(`${feed}: notification ${i} never arrived`);
      lat.push(performance.now() - t0);
    }
    lat.sort((x, y) => x - y);

    // Burst: back to back, 100 a turn of the event loop.
    const base = arrived;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let sent = 0; sent < BURST_N; sent += 100) {
      for (let j = 0; j < Math.min(100, BURST_N - sent); j++) upstream.send();
      await new Promise((r) => setImmediate(r));
    }
    // Until all arrived, or none for a second (a bounded run coalesces them), at most 30 s.
    for (const end = t0 + WAIT_MS; arrived - base < BURST_N && performance.now() < end; ) {
      const seen = arrived;
      await new Promise((r) => setTimeout(r, 1_000));
      if (arrived === seen && performance.now() - lastAt > 1_000) break;
    }
    const burstMs = Math.max(1, lastAt - t0);
    const cpu = process.cpuUsage(cpu0);
    const burstArrived = arrived - base;

    // Storm: proxy calls through node A, idle and while the upstream floods the listen stream.
    const calls = async (seconds) => {
      let n = 0;
      const end = performance.now() + seconds * 1_000;
      while (performance.now() < end) {
        await onA.callTool({ name: 'echo', arguments: { message: 'x' } });
        n++;
      }
      return n / seconds;
    };
    const idle = await calls(STORM_SECONDS);
    const heap0 = process.memoryUsage().heapUsed;
    let storming = true;
    let stormSent = 0;
    const storm = (async () => {
      while (storming) {
        for (let j = 0; j < 50; j++) upstream.send();
        stormSent += 50;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const during = await calls(STORM_SECONDS);
    storming = false;
    await storm;
    const heapPeak = process.memoryUsage().heapUsed;
    await new Promise((r) => setTimeout(r, 2_000));
    await listening.close();
    return {
      feed,
      bounded: noticesPerSecond < BURST_N ? `${noticesPerSecond}/s` : 'none',
      p50: lat[Math.floor(lat.length / 2)],
      p99: pct(lat, 99),
      perSecond: (burstArrived / burstMs) * 1_000,
      burstArrived,
      cpuPer: (cpu.user + cpu.system) / BURST_N,
      idle,
      during,
      stormSent,
      heapGrowthMb: (heapPeak - heap0) / 1e6,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const n of nodes) await n.close().catch(() => undefined);
    await upstream.close();
    await admin.query(`drop schema "${schema}" cascade`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
// Each feed without a budget (what carrying notifications costs) and with the default one (what a storm can cost).
for (const feed of ['postgres', ...(REDIS_URL ? ['redis'] : [])]) for (const budget of [1_000_000, 50]) rows.push(await run(feed, budget));
console.log(`listen fan-out across two nodes (${new Date().toISOString()}, Node ${process.version}; one process, loopback)`);
for (const r of rows) {
  const latency = r.p50 === undefined ? 'latency –' : `latency p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`;
  console.log(
    `${r.feed.padEnd(8)} budget ${r.bounded.padEnd(5)} ${latency} | burst of ${BURST_N} updates of one resource: ${r.burstArrived} arrived, ${Math.round(r.perSecond)}/s, ` +
      `${Math.round(r.cpuPer)} µs CPU per sent | calls through node A ${r.idle.toFixed(0)}/s idle, ${r.during.toFixed(0)}/s in a storm ` +
      `(${(r.during / r.idle).toFixed(2)}×, ${r.stormSent} sent), heap +${r.heapGrowthMb.toFixed(1)} MB`,
  );
}
process.exit(0);
