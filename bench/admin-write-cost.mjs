// CPU each admin write costs the machine (issue 38's admin burst): the node process's CPU (all its
// threads) and, on PostgreSQL, its backends' CPU, per write, over N writes paced at BURST_RATE/s with
// no proxy load, less the same time idle. `node bench/admin-write-cost.mjs` after `npm run build`.
// "main" is the node's main thread alone (where proxy calls run). Two nodes (issue 56): writes on node A
// (this process), the cost read on node B (`gatehouse serve` in its own process, which hears them
// through the change feed), from /proc, until B's snapshot has the last write.
// Env: COST_WRITES (500), BURST_RATE (50), BURST_POLICIES (2000), BENCH_PG_URL, COST_PROFILE=1 (a
// --cpu-prof-like profile of the writes, written to COST_PROFILE_DIR), COST_STORES (sqlite,postgresql,2 nodes).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { startGatehouse } from '../dist/node/index.js';
import { seed } from './admin-burst.mjs';
import { freePort, httpGet, ROOT, startGatehouseAt, startNode } from './lib.mjs';

const env = process.env;
const WRITES = Number(env.COST_WRITES ?? 500);
const RATE = Number(env.BURST_RATE ?? 50);
const POLICIES = Number(env.BURST_POLICIES ?? 2000);
const PG_URL = env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const local = { principal: { subject: 'bench', name: 'bench', kind: 'user', groups: [] }, channel: 'cli', requestId: 'cost', localAdmin: true };
// /proc counts CPU in clock ticks (100 a second on Linux).
const TICK_MS = 10;

/** CPU ms of each of these PostgreSQL backends (utime + stime from /proc), by pid. */
function backendCpu(pids) {
  const out = new Map();
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {}
  }
  return out;
}

/** CPU ms of a process (all threads) and of its main thread, from /proc. */
function processCpu(pid) {
  const ticks = (path) => {
    const f = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  };
  return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

/** CPU ms the backends used between two readings (a backend that appeared meanwhile counts whole). */
function backendDelta(before, after) {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}

// COST_QUERIES=1: which statements the writes ran, by text, per write.
const queries = new Map();
let counting = false;
if (env.COST_QUERIES) {
  const count = (text) => counting && queries.set(text, (queries.get(text) ?? 0) + 1);
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (q, ...rest) {
    count(typeof q === 'string' ? q : q.text);
    return query.call(this, q, ...rest);
  };
  const prepare = SQLite.prototype.prepare;
  SQLite.prototype.prepare = function (text, ...rest) {
    count(text);
    return prepare.call(this, text, ...rest);
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function paced(n, write) {
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < n; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(write(i));
    if (pending.length >= 8) await pending.shift();
  }
  await Promise.all(pending);
  return performance.now() - started;
}

async function runCase(store, preset, database, upstreamUrl, backends) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-cost-'));
  const schema = database.databaseSchema;
  const admin = schema ? new pg.Client({ connectionString: PG_URL }) : null;
  try {
    if (admin) {
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
    }
    const proxyId = await seed(dataDir, database, upstreamUrl, preset === 'fresh' ? 0 : POLICIES);
    const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'warn', ...database });
    const run = (op, input) => gh.executor.execute(op, input, local);
    const writes = {
      'policy creates': (i) => run('policies.create', { name: `cost-${Date.now()}-${i}`, rateLimits: [{ window: 'second', limit: 10 }] }),
      'proxy updates': (i) => run('proxies.update', { id: proxyId, timeouts: { connectMs: 5000, responseMs: 30_000 + (i % 1000) } }),
    };
    const pids = async () => {
      if (!admin) return [];
      const r = await admin.query('select pid from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()');
      return r.rows.map((x) => x.pid).filter((p) => !backends.has(p));
    };
    try {
      await paced(50, writes['policy creates']);
      for (const [kind, write] of Object.entries(writes)) {
        await write(999_999);
        // Idle baseline (the reconcile poll, the store probe) over 3 s.
        const IDLE_MS = 3000;
        let c0 = process.cpuUsage();
        let t0 = process.threadCpuUsage();
        let p0 = backendCpu(await pids());
        await sleep(IDLE_MS);
        let c = process.cpuUsage(c0);
        let t = process.threadCpuUsage(t0);
        const idleNode = (c.user + c.system) / 1000 / IDLE_MS;
        const idleMain = (t.user + t.system) / 1000 / IDLE_MS;
        const idlePg = backendDelta(p0, backendCpu(await pids())) / IDLE_MS;
        c0 = process.cpuUsage();
        t0 = process.threadCpuUsage();
        p0 = backendCpu(await pids());
        queries.clear();
        counting = true;
        const profiler = env.COST_PROFILE ? new Session() : null;
        if (profiler) {
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
        const elapsed = await paced(WRITES, write);
        c = process.cpuUsage(c0);
        t = process.threadCpuUsage(t0);
        counting = false;
        if (profiler) {
          const { profile } = await profiler.post('Profiler.stop');
          const file = join(env.COST_PROFILE_DIR ?? tmpdir(), `cost-${store}-${preset.replace(/ /g, '')}-${kind.replace(/ /g, '-')}.cpuprofile`);
          writeFileSync(file, JSON.stringify(profile));
          profiler.disconnect();
          console.log(`  profile: ${file}`);
        }
        const mine = await pids();
        const node = ((c.user + c.system) / 1000 - idleNode * elapsed) / WRITES;
        const main = ((t.user + t.system) / 1000 - idleMain * elapsed) / WRITES;
        const pgMs = (backendDelta(p0, backendCpu(mine)) - idlePg * elapsed) / WRITES;
        console.log(
          `${store.padEnd(10)} ${preset.padEnd(14)} ${kind.padEnd(15)} node ${node.toFixed(2)} ms/write (main ${main.toFixed(2)})  pg ${admin ? pgMs.toFixed(2) : '  - '} ms/write  (${mine.length} backends, ${((WRITES * 1000) / elapsed).toFixed(1)} writes/s)`,
        );
        if (env.COST_QUERIES) {
          const total = [...queries.values()].reduce((a, b) => a + b, 0);
          console.log(`  ${(total / WRITES).toFixed(1)} statements/write`);
          for (const [text, n] of [...queries].sort((a, b) => b[1] - a[1]))
            console.log(`  ${(n / WRITES).toFixed(2)}  ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
        }
      }
    } finally {
      await gh.close();
    }
  } finally {
    if (admin) {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Two nodes on one PostgreSQL store: the writes go through node A's executor (this process), the cost
 * is read on node B, which only hears of them (its change feed, its snapshot pass). B is given SETTLE_MS
 * after the last write to catch up, and its idle rate over the same time is taken off.
 */
async function runTwoNodeCase(preset, upstreamUrl) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-cost-'));
  const schema = `cost_${process.pid}_two_${preset === 'fresh' ? 0 : 1}`;
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
      nodeArgs: env.COST_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', env.COST_PROFILE_DIR ?? tmpdir()] : [],
    });
    const pidB = nodeB.child.pid;
    const gh = await startGatehouse({ port: 0, dataDir, logLevel: 'warn', ...database });
    const run = (op, input) => gh.executor.execute(op, input, local);
    const writes = {
      'policy creates': (i) => run('policies.create', { name: `cost-${Date.now()}-${i}`, rateLimits: [{ window: 'second', limit: 10 }] }),
      'proxy updates': (i) => run('proxies.update', { id: proxyId, timeouts: { connectMs: 5000, responseMs: 30_000 + (i % 1000) } }),
    };
    const SETTLE_MS = 1500;
    try {
      // B has served a call, so its lazily built parts are built.
      await httpGet(`http://127.0.0.1:${port}/plain/items`);
      await paced(50, writes['policy creates']);
      for (const [kind, write] of Object.entries(writes)) {
        await write(999_999);
        await sleep(SETTLE_MS);
        const IDLE_MS = 3000;
        let b0 = processCpu(pidB);
        await sleep(IDLE_MS);
        let b = processCpu(pidB);
        const idleAll = (b.all - b0.all) / IDLE_MS;
        const idleMain = (b.main - b0.main) / IDLE_MS;
        const c0 = process.threadCpuUsage();
        b0 = processCpu(pidB);
        const started = performance.now();
        const elapsed = await paced(WRITES, write);
        const c = process.threadCpuUsage(c0);
        await sleep(SETTLE_MS);
        b = processCpu(pidB);
        const window = performance.now() - started;
        const all = (b.all - b0.all - idleAll * window) / WRITES;
        const main = (b.main - b0.main - idleMain * window) / WRITES;
        const writer = (c.user + c.system) / 1000 / WRITES;
        console.log(
          `${'pg 2 nodes'.padEnd(10)} ${preset.padEnd(14)} ${kind.padEnd(15)} node B ${all.toFixed(2)} ms/write (main ${main.toFixed(2)})  node A main ${writer.toFixed(2)} ms/write  (${((WRITES * 1000) / elapsed).toFixed(1)} writes/s)`,
        );
      }
    } finally {
      await gh.close();
    }
  } finally {
    await nodeB?.stop();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const upstreamPort = await freePort();
const upstream = await startNode('upstream', 'upstream.mjs', [upstreamPort]);
const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
const before = new pg.Client({ connectionString: PG_URL });
await before.connect();
const backends = new Set((await before.query('select pid from pg_stat_activity')).rows.map((r) => r.pid));
await before.end();
const only = env.COST_STORES?.split(',');
const presets = env.COST_PRESETS?.split(',') ?? ['fresh', 'policies'];
try {
  for (const [store, db] of [
    ['sqlite', {}],
    ['postgresql', { databaseUrl: PG_URL }],
  ]) {
    if (only && !only.includes(store)) continue;
    for (const preset of presets) {
      const label = preset === 'fresh' ? 'fresh' : `${POLICIES} policies`;
      const database = db.databaseUrl ? { ...db, databaseSchema: `cost_${process.pid}_${store}_${preset}` } : db;
      await runCase(store, label, database, upstreamUrl, backends);
    }
  }
  if (!only || only.includes('2 nodes')) for (const preset of presets) await runTwoNodeCase(preset === 'fresh' ? 'fresh' : `${POLICIES} policies`, upstreamUrl);
} finally {
  upstream.child.kill();
}
process.exit(0);
