// A declarative apply of 100,000 policies (issue 38: /healthz and proxied calls keep answering in
// < 100 ms): the gateway runs in this process (from dist/: `npm run build` first) on a fresh SQLite
// store (or PostgreSQL with LARGE_APPLY_DATABASE_URL); a child process builds the file, posts it
// to /config/apply and meanwhile calls /healthz and an anonymous proxied route back to back (5 ms
// apart), so its timings are what a client sees. The proxied route's upstream runs in a process of
// its own, as in production: in the gateway's process each of its turns would wait for a slice of
// the apply too (LARGE_APPLY_UPSTREAM=inprocess shows that: one more wait per call). This process
// records every event-loop stall longer than LARGE_APPLY_STALL_MS (50) with the main thread's CPU
// time in it, and, from a CPU profile taken during the apply, the functions that ran during each
// stall (self time), which is what still holds the loop. The loop's CPU time between turns does
// not depend on what else the machine runs: compare that between runs on a shared machine.
// Env: LARGE_APPLY_ITEMS (100000), LARGE_APPLY_PROFILE (1: take the profile), LARGE_APPLY_DATABASE_URL,
// LARGE_APPLY_PROFILE_OUT (a file to write the .cpuprofile to), LARGE_APPLY_UPSTREAM (inprocess).
// `--pg`: PostgreSQL at LARGE_APPLY_DATABASE_URL or the local test database. `--job` (issue 56): the
// apply runs as a job (`Prefer: respond-async`): the client times the 202, reads the job every
// 500 ms while it runs (progress, phase, ETA), then reads its result; and LARGE_APPLY_LOAD (4)
// closed-loop clients call the proxied route back to back, for LARGE_APPLY_IDLE_S (5) seconds
// before the apply and throughout it, so proxied req/s during the apply is set beside idle.
// Usage: node bench/large-apply.mjs [--pg] [--job]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientCredentialsToken } from './lib.mjs';

const env = process.env;
const ITEMS = Number(env.LARGE_APPLY_ITEMS ?? 100_000);
const STALL_MS = Number(env.LARGE_APPLY_STALL_MS ?? 50);
const PROFILE = env.LARGE_APPLY_PROFILE !== '0';
const AS_JOB = process.argv.includes('--job');
const PG_URL = env.LARGE_APPLY_DATABASE_URL ?? (process.argv.includes('--pg') ? 'postgres://postgres@127.0.0.1:5432/test' : null);
const LOAD = AS_JOB ? Number(env.LARGE_APPLY_LOAD ?? 4) : 0;
const IDLE_S = Number(env.LARGE_APPLY_IDLE_S ?? 5);
// A job followed longer than this is reported as it stands (the run stays bounded; its schema is dropped).
const MAX_S = Number(env.LARGE_APPLY_MAX_S ?? 1200);

const at = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? Number.NaN;
const shape = (xs) => `${xs.length} calls, p50 ${at(xs, 0.5).toFixed(1)} ms, p99 ${at(xs, 0.99).toFixed(1)} ms, max ${at(xs, 1).toFixed(1)} ms`;

/** Calls `url` back to back (5 ms apart) until stopped; returns each call's time in ms and the failures. */
function probe(url) {
  const times = [];
  let failed = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status !== 200) failed++;
      } catch {
        failed++;
      }
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return { times, failed };
  };
}

/** `n` clients calling `url` back to back until stopped; returns how many calls succeeded and failed. */
function load(url, n) {
  let ok = 0;
  let failed = 0;
  let stopped = false;
  // When each call was answered (ms on this process's clock), to tell throughput per phase of the apply.
  const answered = [];
  const worker = async () => {
    while (!stopped) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.status === 200) {
          ok++;
          answered.push(performance.now());
        } else failed++;
      } catch {
        failed++;
      }
    }
  };
  const t0 = performance.now();
  const from = Date.now();
  const workers = Array.from({ length: n }, worker);
  return async () => {
    stopped = true;
    const to = Date.now();
    await Promise.all(workers);
    return { ok, failed, seconds: (performance.now() - t0) / 1000, answered, from, to };
  };
}

/** Reads a job every 500 ms until it has finished; returns what each read showed and the last read. */
async function followJob(adminApi, token, id, t0) {
  const seen = [];
  for (;;) {
    const r0 = performance.now();
    const res = await fetch(`${adminApi}/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    const readMs = performance.now() - r0;
    if (res.status !== 200) {
      seen.push({ at: performance.now() - t0, status: res.status, readMs });
    } else {
      const job = JSON.parse(text);
      seen.push({
        at: performance.now() - t0,
        readMs,
        state: job.state,
        phase: job.phase,
        planned: job.itemsPlanned,
        applied: job.itemsApplied,
        eta: job.etaSeconds,
      });
      if (!['queued', 'running'].includes(job.state) || performance.now() - t0 > MAX_S * 1000) {
        return { seen, last: { ...job, result: undefined, resultBytes: text.length, changes: job.result?.changes?.length ?? null }, lastReadMs: readMs };
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The child's part: posts the file while probing; prints one JSON line of results. */
async function client(proxy, adminApi, token) {
  const policies = Array.from({ length: ITEMS }, (_, i) => ({ name: `bulk-${i}`, rateLimits: [{ window: 'minute', limit: 100 + i }] }));
  const body = JSON.stringify({ document: { policies } });
  for (const path of ['/healthz', '/open/ping']) await (await fetch(`${proxy}${path}`)).arrayBuffer();
  let idle = null;
  if (LOAD > 0) {
    const stopIdle = load(`${proxy}/open/ping`, LOAD);
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    idle = await stopIdle();
  }
  const health = probe(`${proxy}/healthz`);
  const proxied = probe(`${proxy}/open/ping`);
  const during = LOAD > 0 ? load(`${proxy}/open/ping`, LOAD) : null;
  const t0 = performance.now();
  const res = await fetch(`${adminApi}/config/apply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(AS_JOB ? { prefer: 'respond-async' } : {}) },
    body,
  });
  const answer = await res.text();
  const answeredMs = performance.now() - t0;
  const job = AS_JOB && res.status === 202 ? await followJob(adminApi, token, JSON.parse(answer).id, t0) : null;
  const applyMs = job ? (job.seen.at(-1)?.at ?? answeredMs) : answeredMs;
  const [h, p, d] = [await health(), await proxied(), await during?.()];
  // Proxied calls answered per second in each phase the job was seen in (from one read of it to the next in another phase).
  if (d && job) {
    const spans = [];
    for (const s of job.seen) {
      const at = t0 + s.at;
      if (spans.at(-1)?.phase === s.phase) spans.at(-1).to = at;
      else spans.push({ phase: s.phase, from: spans.at(-1)?.to ?? t0, to: at });
    }
    // Epoch ms of this process's performance clock, so the gateway's process can set its CPU samples beside each phase.
    const epoch = Date.now() - performance.now();
    d.phases = spans.map(({ phase, from, to }) => ({
      phase,
      seconds: (to - from) / 1000,
      calls: d.answered.filter((x) => x >= from && x < to).length,
      rate: d.answered.filter((x) => x >= from && x < to).length / ((to - from) / 1000),
      from: epoch + from,
      to: epoch + to,
    }));
  }
  if (d) delete d.answered;
  if (idle) delete idle.answered;
  const ok = AS_JOB ? res.status === 202 : res.status === 200;
  console.log(
    JSON.stringify({
      status: res.status,
      error: ok ? null : answer.slice(0, 500),
      bodyBytes: body.length,
      answeredMs,
      applyMs,
      health: h,
      proxied: p,
      idle,
      during: d ?? null,
      job,
    }),
  );
}

// Monotonic ms on the clock V8's CPU profiles use (CLOCK_MONOTONIC, like process.hrtime).
const clock = () => Number(process.hrtime.bigint() / 1000n) / 1000;

/** CPU time the main thread (the event loop) has used, in ms. */
function threadCpuMs() {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1_000;
}

/**
 * Records event-loop gaps longer than STALL_MS ([start, end] in `clock` time, and the main
 * thread's CPU ms in between) and the CPU ms between every two turns of the 5 ms timer.
 */
function stallRecorder() {
  const stalls = [];
  const holds = [];
  let last = clock();
  let lastCpu = threadCpuMs();
  const timer = setInterval(() => {
    const now = clock();
    const cpu = threadCpuMs();
    if (now - last > STALL_MS + 5) stalls.push([last, now, cpu - lastCpu]);
    holds.push(cpu - lastCpu);
    last = now;
    lastCpu = cpu;
  }, 5);
  return () => {
    clearInterval(timer);
    return { stalls, holds };
  };
}

/** The upstream's part: answers every call with `ok`; prints its port; ends with its parent (its stdin closes). */
function upstreamServer() {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
  process.stdin.on('end', () => process.exit(0)).resume();
}

/** Starts the upstream in a process of its own (or this one's); resolves to its port and a stop function. */
async function startUpstream() {
  if (env.LARGE_APPLY_UPSTREAM === 'inprocess') {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: server.address().port, stop: () => server.close() };
  }
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--upstream'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { port, stop: () => child.kill() };
}

/**
 * Where the profile's samples inside [from, to] (`clock` time; the profile's is in µs) were, in ms:
 * per innermost gateway function (dist/, not a dependency) on the stack, so a dependency's or
 * the engine's time counts for the gateway code that called it.
 */
function timeIn(profile, from, to) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ours = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const f = nodes.get(at).callFrame;
      if (f.url.includes('/dist/') && !f.url.includes('node_modules'))
        return `${f.functionName || '(anonymous)'} ${f.url.split('/dist/')[1]}:${f.lineNumber + 1}`;
    }
    // No gateway frame (a callback of a dependency's, e.g. Kysely committing): the innermost frame
    // with a source, so a native call (better-sqlite3's) is named by what called it.
    let f = nodes.get(id).callFrame;
    for (let at = id; at !== undefined && f.url === '' && f.functionName !== '(garbage collector)'; at = parent.get(at)) {
      if (nodes.get(at).callFrame.url !== '') f = nodes.get(at).callFrame;
    }
    return `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}`;
  };
  const totals = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t / 1000 < from || t / 1000 > to) continue;
    const name = ours(profile.samples[i]);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, 6);
}

const TICK_MS = 10; // /proc's clock ticks (USER_HZ 100)

/** CPU ms PostgreSQL backends have used, from /proc (this machine's server); a backend gone meanwhile counts 0. */
function backendCpuMs(pids) {
  let ms = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      // The backend has gone: it keeps what it used (cpuSampler).
    }
  }
  return ms;
}

/**
 * Samples every 250 ms this process's CPU (the gateway's, every thread) and that of the
 * PostgreSQL backends serving the connections named `appName`: a loaded shared machine changes how
 * many calls a second the proxy gets, not how much CPU a call and the apply take, so the split
 * of that CPU between the two says what a dedicated machine would lose. Returns a stop function.
 */
async function cpuSampler(pgUrl, appName) {
  const samples = [];
  let pids = [];
  let client = null;
  if (pgUrl) {
    const { default: pg } = await import('pg');
    client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
  }
  const refresh = async () => {
    if (client) pids = (await client.query('select pid from pg_stat_activity where application_name = $1', [appName])).rows.map((r) => r.pid);
  };
  await refresh();
  // A backend's CPU is counted from when it is first seen; one that has gone keeps what it used.
  const first = new Map();
  const last = new Map();
  const sample = () => {
    const u = process.cpuUsage();
    for (const pid of pids) {
      const now = backendCpuMs([pid]);
      if (!first.has(pid)) first.set(pid, now);
      if (now >= (last.get(pid) ?? 0)) last.set(pid, now);
    }
    let pgMs = 0;
    for (const [pid, ms] of last) pgMs += ms - first.get(pid);
    samples.push({ at: Date.now(), gatewayMs: (u.user + u.system) / 1000, pgMs });
  };
  sample();
  let n = 0;
  const timer = setInterval(() => {
    if (++n % 4 === 0) void refresh().catch(() => {});
    sample();
  }, 250);
  return async () => {
    clearInterval(timer);
    sample();
    await client?.end();
    return samples;
  };
}

/** CPU ms (gateway, PostgreSQL backends) between two epoch ms, from the nearest samples. */
function cpuBetween(samples, from, to) {
  const near = (t) => samples.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best));
  const [a, b] = [near(from), near(to)];
  return { gateway: b.gatewayMs - a.gatewayMs, pg: b.pgMs - a.pgMs, seconds: (b.at - a.at) / 1000 };
}

/**
 * Prints the CPU per proxied call idle, and how the CPU during the apply (and each phase) split
 * between traffic (its calls at idle's cost each) and the apply: where the gateway and its
 * database are what limits throughput, traffic's share is the throughput a dedicated machine keeps.
 */
function printCpuSplit(samples, idle, during, withPg) {
  const i = cpuBetween(samples, idle.from, idle.to);
  const perCall = (i.gateway + i.pg) / idle.ok;
  console.log(
    `  CPU idle: ${((1000 * (i.gateway + i.pg)) / idle.ok).toFixed(0)} µs a call (gateway ${((1000 * i.gateway) / idle.ok).toFixed(0)}${withPg ? `, PostgreSQL ${((1000 * i.pg) / idle.ok).toFixed(0)}` : ''}), ${((i.gateway + i.pg) / 1000 / i.seconds).toFixed(2)} cores`,
  );
  const split = (label, calls, c) => {
    const total = c.gateway + c.pg;
    const traffic = calls * perCall;
    console.log(
      `    ${label}: ${(total / 1000 / c.seconds).toFixed(2)} cores (gateway ${(c.gateway / 1000 / c.seconds).toFixed(2)}${withPg ? `, PostgreSQL ${(c.pg / 1000 / c.seconds).toFixed(2)}` : ''}), traffic's share ${(traffic / total).toFixed(2)}`,
    );
  };
  split('during the apply', during.ok, cpuBetween(samples, during.from, during.to));
  for (const p of during.phases ?? []) if (p.seconds > 1) split(`while ${p.phase}`, p.calls, cpuBetween(samples, p.from, p.to));
}

/** Runs one statement on PostgreSQL (the bench's own schema is made and dropped with it). */
async function pgQuery(url, text) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main() {
  const { startGatehouse } = await import('../dist/node/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-large-apply-'));
  const upstream = await startUpstream();
  // The gateway's connections name themselves, so the CPU of their backends can be read beside the gateway's own.
  const appName = `large_apply_${process.pid}`;
  const database = PG_URL
    ? { databaseUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${appName}`, databaseSchema: `large_apply_${process.pid}` }
    : {};
  if (database.databaseUrl) await pgQuery(database.databaseUrl, `create schema ${database.databaseSchema}`);
  const gh = await startGatehouse({ port: 0, dataDir, adminPassword: 'bench-password-0123', logLevel: 'silent', ...database });
  try {
    const local = { principal: { subject: 'bench', name: 'bench', kind: 'user', groups: [] }, channel: 'cli', requestId: 'b', localAdmin: true };
    const run = (op, input) => gh.executor.execute(op, input, local);
    const col = await run('collections.create', { slug: 'open', name: 'Open', published: true, allowAnonymous: true });
    const proxy = await run('proxies.create', {
      collectionId: col.id,
      name: 'Open',
      basePath: '/open',
      upstreams: [`http://127.0.0.1:${upstream.port}`],
    });
    await run('endpoints.create', { proxyId: proxy.id, method: 'GET', path: '/ping' });
    const sa = await run('service-accounts.create', { name: 'bench-apply', role: 'admin', scope: {} });
    const token = await clientCredentialsToken(
      `${gh.urls.issuer}/token`,
      { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret },
      gh.urls.adminApi,
    );

    const session = new Session();
    if (PROFILE) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 1000 });
      await session.post('Profiler.start');
    }
    const stop = stallRecorder();
    const stopCpu = await cpuSampler(database.databaseUrl ? PG_URL : null, appName);
    const startedAt = clock();
    const cpu = process.cpuUsage();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--client', gh.urls.proxy, gh.urls.adminApi, token, ...process.argv.slice(2)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const used = process.cpuUsage(cpu);
    const { stalls, holds } = stop();
    const cpuSamples = await stopCpu();
    const profile = PROFILE ? (await session.post('Profiler.stop')).profile : null;
    if (profile && env.LARGE_APPLY_PROFILE_OUT) {
      writeFileSync(env.LARGE_APPLY_PROFILE_OUT, JSON.stringify(profile));
      console.log(`profile in ${env.LARGE_APPLY_PROFILE_OUT}, its time 0 at ${((profile.startTime / 1000 - startedAt) / 1000).toFixed(3)} s`);
    }
    const result = JSON.parse(out.trim().split('\n').pop());
    console.log(
      `apply of ${ITEMS.toLocaleString()} policies (${(result.bodyBytes / 1e6).toFixed(1)} MB, ${database.databaseUrl ? 'PostgreSQL' : 'SQLite'}${AS_JOB ? ', as a job' : ''}): status ${result.status}${result.error ? ` ${result.error}` : ''}`,
    );
    console.log(
      `  total ${(result.applyMs / 1000).toFixed(1)} s wall, gateway CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
    if (result.job) {
      const { seen, last, lastReadMs } = result.job;
      const running = seen.filter((s) => s.state === 'running');
      const applying = running.filter((s) => s.phase === 'applying');
      const rising = applying.every((s, i) => i === 0 || s.applied >= applying[i - 1].applied);
      console.log(`  as a job: 202 in ${result.answeredMs.toFixed(0)} ms, ended ${last.state} after ${(result.applyMs / 1000).toFixed(1)} s`);
      console.log(
        `  progress read ${seen.length} times (each read p50 ${at(
          seen.map((s) => s.readMs),
          0.5,
        ).toFixed(1)} ms, worst ${at(
          seen.map((s) => s.readMs),
          1,
        ).toFixed(0)} ms), ${applying.length} while applying, ${rising ? 'never falling' : 'FELL'}`,
      );
      const phases = [];
      for (const s of seen) if (phases.at(-1)?.phase !== s.phase) phases.push(s);
      console.log(`  phases: ${phases.map((s) => `${s.phase ?? s.status} at ${(s.at / 1000).toFixed(1)} s`).join(', ')}`);
      for (const q of [0.25, 0.5, 0.75]) {
        const s = applying[Math.floor(q * (applying.length - 1))];
        if (s) console.log(`    at ${(s.at / 1000).toFixed(1)} s: ${s.applied}/${s.planned} applied, ETA ${s.eta ?? '?'} s`);
      }
      console.log(
        `  final: ${last.itemsApplied}/${last.itemsPlanned} applied, ${last.changes} changes in the result (${(last.resultBytes / 1e6).toFixed(1)} MB read in ${lastReadMs.toFixed(0)} ms), audit ${JSON.stringify(last.audit)}${last.error ? `, error ${JSON.stringify(last.error)}` : ''}`,
      );
    }
    if (result.idle && result.during) {
      const rate = (r) => r.ok / r.seconds;
      console.log(
        `  proxied load (${LOAD} clients back to back): idle ${rate(result.idle).toFixed(0)} req/s, during the apply ${rate(result.during).toFixed(0)} req/s (${(rate(result.during) / rate(result.idle)).toFixed(2)}×), failed ${result.idle.failed} / ${result.during.failed}`,
      );
      for (const p of result.during.phases ?? []) {
        console.log(`    while ${p.phase} (${p.seconds.toFixed(1)} s): ${p.rate.toFixed(0)} req/s (${(p.rate / rate(result.idle)).toFixed(2)}×)`);
      }
    }
    if (result.idle && result.during) printCpuSplit(cpuSamples, result.idle, result.during, Boolean(database.databaseUrl));
    console.log(`  /healthz: ${shape(result.health.times)}, ${result.health.failed} failed`);
    console.log(`  proxied:  ${shape(result.proxied.times)}, ${result.proxied.failed} failed`);
    console.log(
      `  loop CPU between turns: p50 ${at(holds, 0.5).toFixed(1)} ms, p99 ${at(holds, 0.99).toFixed(1)} ms, max ${at(holds, 1).toFixed(1)} ms, ${holds.filter((h) => h > STALL_MS).length} > ${STALL_MS} ms over ${holds.length} turns`,
    );
    // Longest first in CPU time: on a shared machine the longest in wall time are the waits for a core.
    const long = stalls.map(([a, b, cpuMs]) => [a, b, b - a, cpuMs]).sort((x, y) => y[3] - x[3]);
    console.log(`  event-loop stalls > ${STALL_MS} ms: ${long.length}${long.length ? `, longest ${long[0][2].toFixed(0)} ms` : ''}`);
    for (const [a, b, ms, cpuMs] of long.slice(0, 8)) {
      console.log(`    ${ms.toFixed(0)} ms (${cpuMs.toFixed(0)} ms CPU) at +${((a - startedAt) / 1000).toFixed(2)} s`);
      if (profile) for (const [name, self] of timeIn(profile, a, b)) console.log(`      ${self.toFixed(0).padStart(5)} ms ${name}`);
    }
  } finally {
    await gh.close();
    upstream.stop();
    if (database.databaseUrl) await pgQuery(database.databaseUrl, `drop schema ${database.databaseSchema} cascade`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--client') await client(process.argv[3], process.argv[4], process.argv[5]);
else if (process.argv[2] === '--upstream') upstreamServer();
else await main();
