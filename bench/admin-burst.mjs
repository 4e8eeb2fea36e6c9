// `npm run bench -- --admin-burst`: proxy throughput while admin writes arrive at 50/s, as a ratio
// to the same node idle (issue 38: ≥ 0.85× in every case). Cases: policy creates and proxy updates
// (of the proxy under load), on SQLite and PostgreSQL (when BENCH_PG_URL, default the local test
// server, answers), on a fresh store and on one holding 2,000 policies. The node runs in this
// process and the writes go through its executor (as its admin API does: the call answers once
// the node's snapshot has the change); the load generator is a separate process (wrk, else
// autocannon) on an anonymous proxy route. Idle and burst windows alternate, per round.
// Env: BURST_SECONDS (5), BURST_ROUNDS or BENCH_ROUNDS (1), BURST_RATE (50 writes/s), BURST_POLICIES (2000),
// BENCH_PG_URL, BURST_LOCAL=0 (only the two-node cases), BURST_REMOTE=0 (no two-node cases). With
// PostgreSQL it also runs two nodes on one store: writes through node A's admin API, load on node B
// (runRemoteCase). Also `npm run bench -- --apply-time` (bench/apply-time.mjs), and bench/admin-write-cost.mjs
// for the CPU each write costs (node and PostgreSQL backends), which a loaded machine measures better.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startGatehouse } from '../dist/node/index.js';
import { openLocalPlane } from '../dist/node/local.js';
import { clientCredentialsToken, freePort, load, median, ROOT, startGatehouseAt, startNode } from './lib.mjs';

const env = process.env;
const SECONDS = Number(env.BURST_SECONDS ?? 5);
const ROUNDS = Number(env.BURST_ROUNDS ?? env.BENCH_ROUNDS ?? 1);
const RATE = Number(env.BURST_RATE ?? 50);
const POLICIES = Number(env.BURST_POLICIES ?? 2000);
const PG_URL = env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const local = { principal: { subject: 'bench', name: 'bench', kind: 'user', groups: [] }, channel: 'cli', requestId: 'burst', localAdmin: true };

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` again (up to 5 times, a second apart) while it is refused 503: on a loaded machine a node's store probe may call the store stalled for a moment. */
async function retryUnavailable(fn) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 5 || err?.code !== 'GATEHOUSE_STORE_UNAVAILABLE') throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** A store with an anonymous proxy at /plain and `policies` unused policies (bench/admin-write-cost.mjs seeds the same). */
export async function seed(dataDir, database, upstreamUrl, policies) {
  const plane = await openLocalPlane({ dataDir, logLevel: 'warn', ...database });
  const run = (op, input) => retryUnavailable(() => plane.executor.execute(op, input, plane.call));
  try {
    const col = await run('collections.create', { slug: 'burst', name: 'Burst', published: true, allowAnonymous: true });
    const proxy = await run('proxies.create', { collectionId: col.id, name: 'Plain', basePath: '/plain', upstreams: [upstreamUrl] });
    await run('endpoints.create', { proxyId: proxy.id, method: 'GET', path: '/items' });
    for (let i = 0; i < policies; i++) await run('policies.create', { name: `seeded-${i}`, rateLimits: [{ window: 'minute', limit: 1000 + i }] });
    return proxy.id;
  } finally {
    await plane.close();
  }
}

// Writes in flight at once, as an admin client with a connection pool would have; a tick finding them all busy is skipped.
const MAX_IN_FLIGHT = 8;

/** Issues writes at `rate`/s (open loop up to MAX_IN_FLIGHT: a slow write does not delay the next) until stopped; returns how many completed and failed. */
function writer(write, rate) {
  let done = 0;
  let failed = 0;
  let n = 0;
  const inFlight = new Set();
  const timer = setInterval(() => {
    if (inFlight.size >= MAX_IN_FLIGHT) return;
    const p = write(n++).then(
      () => done++,
      () => failed++,
    );
    inFlight.add(p);
    p.finally(() => inFlight.delete(p));
  }, 1000 / rate);
  const started = performance.now();
  return async () => {
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(inFlight);
    return { rate: done / seconds, failed };
  };
}

/** Idle and burst windows alternating, ROUNDS times; prints and returns the medians. */
async function measure({ store, preset, kind, url, write }) {
  const idle = [];
  const busy = [];
  const achieved = [];
  let failed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    idle.push((await load(url, { seconds: SECONDS })).rps);
    const stop = writer(write, RATE);
    busy.push((await load(url, { seconds: SECONDS })).rps);
    const w = await stop();
    achieved.push(w.rate);
    failed += w.failed;
  }
  const row = { store, preset, kind, idle: median(idle), burst: median(busy), writesPerSecond: median(achieved), failed };
  row.ratio = row.burst / row.idle;
  console.log(
    `${store.padEnd(11)} ${preset.padEnd(14)} ${kind.padEnd(15)} idle ${row.idle.toFixed(0).padStart(6)} req/s  during ${row.burst.toFixed(0).padStart(6)} req/s  ${row.ratio.toFixed(2)}×  (writes ${row.writesPerSecond.toFixed(1)}/s, ${failed} failed)`,
  );
  return row;
}

async function runCase({ store, preset, database, upstreamUrl }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-burst-'));
  try {
    if (database.databaseSchema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create schema "${database.databaseSchema}"`);
      await admin.end();
    }
    const proxyId = await seed(dataDir, database, upstreamUrl, preset === 'fresh' ? 0 : POLICIES);
    const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'warn', ...database });
    const url = `${gh.urls.proxy}/plain/items`;
    const run = (op, input) => gh.executor.execute(op, input, local);
    const writes = {
      'policy creates': (i) => run('policies.create', { name: `burst-${Date.now()}-${i}`, rateLimits: [{ window: 'second', limit: 10 }] }),
      // The response timeout, not the connect timeout: upstream pools are keyed by the latter, and a new pool per write would measure reconnecting.
      'proxy updates': (i) => run('proxies.update', { id: proxyId, timeouts: { connectMs: 5000, responseMs: 30_000 + (i % 1000) } }),
    };
    const rows = [];
    try {
      await load(url, { seconds: 2 });
      for (const [kind, write] of Object.entries(writes)) rows.push(await measure({ store, preset, kind, url, write }));
    } finally {
      await gh.close();
    }
    return rows;
  } finally {
    if (database.databaseSchema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists "${database.databaseSchema}" cascade`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A bearer token for the admin API of `gh`, from a new admin service account's client credentials. */
async function adminToken(gh) {
  const sa = await retryUnavailable(() => gh.executor.execute('service-accounts.create', { name: `burst-${Date.now()}`, role: 'admin', scope: {} }, local));
  return clientCredentialsToken(`${gh.urls.issuer}/token`, { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret }, gh.urls.adminApi);
}

/**
 * Admin bursts from a separate node (issue 56): two nodes share the PostgreSQL store; node A (in
 * this process) takes the writes through its admin API over HTTP, node B (`gatehouse serve` in a
 * process of its own) takes the proxied load. B's cost is the change feed's catch-up and its
 * snapshot pass; on this 2-core machine A and PostgreSQL also take their share of the cores B runs on.
 */
async function runRemoteCase({ preset, upstreamUrl }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-burst-'));
  const schema = `burst_${process.pid}_remote_${preset === 'fresh' ? 0 : 1}`;
  const database = { databaseUrl: PG_URL, databaseSchema: schema };
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  let nodeB = null;
  try {
    const proxyId = await seed(dataDir, database, upstreamUrl, preset === 'fresh' ? 0 : POLICIES);
    const port = await freePort();
    nodeB = await startGatehouseAt('node B', join(ROOT, 'dist', 'cli', 'main.js'), dataDir, port, {
      env: { GATEHOUSE_DATABASE_URL: PG_URL, GATEHOUSE_DATABASE_SCHEMA: schema },
    });
    const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'warn', ...database });
    const url = `http://127.0.0.1:${port}/plain/items`;
    const rows = [];
    try {
      const token = await adminToken(gh);
      const call = async (method, path, body) => {
        const res = await fetch(`${gh.urls.adminApi}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
      };
      const writes = {
        'policy creates': (i) => call('POST', '/policies', { name: `burst-${Date.now()}-${i}`, rateLimits: [{ window: 'second', limit: 10 }] }),
        'proxy updates': (i) => call('PATCH', `/proxies/${proxyId}`, { timeouts: { connectMs: 5000, responseMs: 30_000 + (i % 1000) } }),
      };
      await load(url, { seconds: 2 });
      for (const [kind, write] of Object.entries(writes)) {
        rows.push(await measure({ store: 'pg, 2 nodes', preset, kind, url, write }));
      }
    } finally {
      await gh.close();
    }
    return rows;
  } finally {
    await nodeB?.stop();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs every case and prints the ratios; returns the rows. */
export async function adminBurst() {
  const upstreamPort = await freePort();
  const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const stores = [['sqlite', {}]];
  if (await postgresAnswers()) stores.push(['postgresql', { databaseUrl: PG_URL }]);
  else console.log(`PostgreSQL does not answer at ${PG_URL}: SQLite only`);
  console.log(`admin burst: ${RATE} writes/s, ${SECONDS} s windows × ${ROUNDS} round(s), idle and burst alternating\n`);
  const rows = [];
  try {
    for (const [store, db] of env.BURST_LOCAL === '0' ? [] : stores) {
      for (const preset of ['fresh', `${POLICIES} policies`]) {
        const database = db.databaseUrl ? { ...db, databaseSchema: `burst_${process.pid}_${rows.length}` } : db;
        rows.push(...(await runCase({ store, preset, database, upstreamUrl })));
      }
    }
    if (stores.length > 1 && env.BURST_REMOTE !== '0') {
      for (const preset of ['fresh', `${POLICIES} policies`]) rows.push(...(await runRemoteCase({ preset, upstreamUrl })));
    }
  } finally {
    upstream.child.kill();
  }
  const worst = Math.min(...rows.map((r) => r.ratio));
  console.log(`\ntarget: proxy req/s during ${RATE} admin writes/s ≥ 0.85× idle in every case: worst ${worst.toFixed(2)}× ${worst >= 0.85 ? 'ok' : 'MISSED'}`);
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await adminBurst();
  process.exit(0);
}
