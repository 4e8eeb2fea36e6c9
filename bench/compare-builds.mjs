// Several Gatehouse builds and the bare Node proxy side by side: interleaved closed-loop rounds on
// the token + limit + log path, with each process's CPU per call split into the main thread's user
// and system time and its other threads' (V8's own worker threads, which run the GC's parallel and
// concurrent work, shown apart). For ablations (a copy of dist/ with one feature cut) and
// before/after checks where a few µs a call decide: CPU per call moves less with the machine than req/s does.
// Usage: node bench/compare-builds.mjs name=/path/to/dist [name=/path/to/dist …]
// Env: BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_PATH=plain (the anonymous path instead) or
// BENCH_PATH=cache (the same caller through a cache node, every call after the first a hit),
// BENCH_PATH=post (the bench's small JSON POST on the same route, and through the bare proxy),
// BENCH_RATE=N (paced at N req/s instead of a closed loop: CPU per call with no process saturated).
// BENCH_CALLS=N: instead of a closed loop, N calls per target and round from this process over
// BENCH_INFLIGHT (4) keep-alive connections, each waiting for its answer before the next: the load
// generator's CPU is not on the machine's other core, so CPU per call moves little with what else runs.
// BENCH_CPU_PROF=dir: the builds run under --cpu-prof, profiles written there on exit.
// BENCH_OTEL=1: each build runs twice, as `name` (OpenTelemetry off) and `name+otel` (GATEHOUSE_OTLP_ENDPOINT
// pointing at a bench/otlp-sink.mjs of its own); at the end each sink's span and log-record counts are
// checked against the calls that build answered. CPU per call is split into the main thread and the
// process's other threads (the request-log writer, which builds and sends the OTLP export, and V8's).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, freePort, HOST, httpGet, httpPost, load, median, startGatehouseAt, startNode } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PLAIN = process.env.BENCH_PATH === 'plain';
const CACHE = process.env.BENCH_PATH === 'cache';
const POST = process.env.BENCH_PATH === 'post';
/** The load's method and body: the bench's small JSON POST, or a GET. */
const SHAPE = POST ? { method: 'POST', body: '{"name":"pen","qty":2}' } : { method: 'GET', body: null };
const JSON_TYPE = POST ? { 'content-type': 'application/json' } : {};
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : null;
const CALLS = Number(process.env.BENCH_CALLS ?? 0);
if (POST && CALLS > 0) throw new Error('BENCH_PATH=post runs closed-loop rounds: BENCH_CALLS drives GETs only');
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 4);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const OTEL = process.env.BENCH_OTEL === '1';

/**
 * CPU seconds of a process's V8 platform threads (named V8Worker: parallel scavenges, concurrent
 * marking and sweeping of major GCs, background compiles), which "other threads" includes besides
 * the request-log writer's; 0 where /proc is absent.
 */
function v8WorkerSeconds(pid) {
  let total = 0;
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const t of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('V8Worker')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {}
  }
  return total;
}

/** `calls` GETs over `inflight` keep-alive connections, each connection sending its next call once the last is answered. */
async function drive(url, headers, calls, inflight) {
  const agent = new Agent({ keepAlive: true, maxSockets: inflight });
  let left = calls;
  let failed = 0;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request(url, { headers, agent }, (res) => {
        if (res.statusCode !== 200) failed++;
        res.on('data', () => {});
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (left > 0) {
        left--;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (failed > 0) throw new Error(`${url}: ${failed} of ${calls} calls did not answer 200`);
  return { requests: calls, rps: calls / seconds };
}

const builds = process.argv.slice(2).flatMap((arg) => {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`expected name=/path/to/dist, got ${arg}`);
  const build = { name: arg.slice(0, at), dist: arg.slice(at + 1) };
  return OTEL ? [build, { ...build, name: `${build.name}+otel`, otel: true }] : [build];
});
if (builds.length === 0) throw new Error('usage: node bench/compare-builds.mjs name=/path/to/dist [name=/path/to/dist …]');

const work = mkdtempSync(join(tmpdir(), 'gatehouse-compare-'));
const upstreamPort = await freePort();
const origin = `http://${HOST}:${upstreamPort}`;
await startNode('upstream', 'upstream.mjs', [upstreamPort]);
const barePort = await freePort();
const profileArgs = (name) => (CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
const bare = await startNode('bare', 'bare-proxy.mjs', [barePort, origin], profileArgs('bare'));
const targets = [{ name: 'bare', url: `http://${HOST}:${barePort}/items`, headers: { ...JSON_TYPE }, pid: bare.pid }];
for (const b of builds) {
  const dir = join(work, b.name);
  const seeded = await seedThroughput(dir, origin);
  const port = await freePort();
  let env = {};
  if (b.otel) {
    b.sinkPort = await freePort();
    await startNode(`${b.name}-sink`, 'otlp-sink.mjs', [b.sinkPort]);
    env = { GATEHOUSE_OTLP_ENDPOINT: `http://${HOST}:${b.sinkPort}` };
  }
  const proc = await startGatehouseAt(b.name, join(b.dist, 'cli', 'main.js'), dir, port, { nodeArgs: profileArgs(b.name), env });
  b.proc = proc;
  targets.push({
    build: b,
    answered: 0,
    name: b.name,
    url: `http://${HOST}:${port}${PLAIN ? seeded.plainPath : CACHE ? seeded.cachePath : seeded.authPath}`,
    headers: PLAIN ? {} : { authorization: `Bearer ${seeded.token}`, ...JSON_TYPE },
    pid: proc.pid,
  });
}

for (const t of targets) {
  const r = POST ? await httpPost(t.url, t.headers, SHAPE.body) : await httpGet(t.url, t.headers);
  if (r.status !== 200) throw new Error(`${t.name} answered ${r.status}: ${r.body.slice(0, 200)}`);
  const warm = CALLS > 0 ? await drive(t.url, t.headers, Math.min(CALLS, 5_000), INFLIGHT) : await load(t.url, { seconds: 2, headers: t.headers, ...SHAPE });
  t.answered = 1 + warm.requests;
}

const runs = new Map(targets.map((t) => [t.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[(i + round) % targets.length];
    const before = cpuSeconds(t.pid);
    const v8Before = v8WorkerSeconds(t.pid);
    const res = CALLS > 0 ? await drive(t.url, t.headers, CALLS, INFLIGHT) : await load(t.url, { seconds: SECONDS, headers: t.headers, rate: RATE, ...SHAPE });
    // Gatehouse's request-log writer flushes its last batch within a second: its CPU belongs to these calls.
    await new Promise((resolve) => setTimeout(resolve, t.name === 'bare' ? 300 : 1_200));
    const after = cpuSeconds(t.pid);
    const v8After = v8WorkerSeconds(t.pid);
    const per = (a, b) => ((b - a) * 1e6) / res.requests;
    if (t.answered !== undefined) t.answered += res.requests;
    const run = {
      rps: res.rps,
      user: per(before.mainUser, after.mainUser),
      sys: per(before.mainSys, after.mainSys),
      process: per(before.process, after.process),
      v8: per(v8Before, v8After),
    };
    runs.get(t.name).push(run);
    console.log(
      `round ${round + 1}/${ROUNDS} ${t.name.padEnd(16)} ${Math.round(run.rps).toLocaleString('en-US').padStart(7)} req/s  main ${(run.user + run.sys).toFixed(1)} µs/call (user ${run.user.toFixed(1)}, sys ${run.sys.toFixed(1)})  other threads ${(run.process - run.user - run.sys).toFixed(1)} (V8 workers ${run.v8.toFixed(1)})  process ${run.process.toFixed(1)}`,
    );
  }
}

const how =
  CALLS > 0 ? `${CALLS} calls over ${INFLIGHT} connections a round` : RATE ? `${SECONDS} s at ${RATE} req/s a round` : `${SECONDS} s closed loop a round`;
console.log(
  `\nmedians of ${ROUNDS} rounds, ${how} (${PLAIN ? 'plain' : CACHE ? 'cache hit' : POST ? 'token + limit + log, small JSON POST' : 'token + limit + log'} path)`,
);
const bareRps = median(runs.get('bare').map((r) => r.rps));
for (const t of targets) {
  const rs = runs.get(t.name);
  const m = (f) => median(rs.map(f));
  console.log(
    `${t.name.padEnd(16)} ${Math.round(m((r) => r.rps))
      .toLocaleString('en-US')
      .padStart(
        7,
      )} req/s (${(m((r) => r.rps) / bareRps).toFixed(2)}× bare)  main ${m((r) => r.user + r.sys).toFixed(1)} µs/call (user ${m((r) => r.user).toFixed(1)}, sys ${m((r) => r.sys).toFixed(1)})  other threads ${m((r) => r.process - r.user - r.sys).toFixed(1)} (V8 workers ${m((r) => r.v8).toFixed(1)})  process ${m((r) => r.process).toFixed(1)}`,
  );
}
if (OTEL) {
  console.log('\nOpenTelemetry on vs off (medians; CPU per call moves less with a loaded machine than req/s)');
  for (const b of builds.filter((x) => !x.otel)) {
    const off = runs.get(b.name);
    const on = runs.get(`${b.name}+otel`);
    const m = (rs, f) => median(rs.map(f));
    console.log(
      `${b.name.padEnd(12)} req/s ${(m(on, (r) => r.rps) / m(off, (r) => r.rps)).toFixed(2)}× off  CPU per call ${m(off, (r) => r.process).toFixed(1)} → ${m(on, (r) => r.process).toFixed(1)} µs (main ${m(off, (r) => r.user + r.sys).toFixed(1)} → ${m(on, (r) => r.user + r.sys).toFixed(1)})`,
    );
  }
  // The last batches reach the writer within half a second and the sink a second (the export's send delay) later.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (const t of targets.filter((x) => x.build?.otel)) {
    const sink = JSON.parse((await httpGet(`http://${HOST}:${t.build.sinkPort}/stats`)).body);
    const logs = sink['/v1/logs'].records;
    const spans = sink['/v1/traces'].records;
    const perCall = CACHE ? 1 : 2;
    console.log(
      `${t.name.padEnd(16)} calls answered ${t.answered}  log records ${logs} (${logs === t.answered ? 'all' : `${logs - t.answered} off`})  spans ${spans} (${spans === perCall * t.answered ? `all, ${perCall} a call` : `${spans - perCall * t.answered} off ${perCall} a call`})`,
    );
  }
}
// A profile is written when its process exits on a signal it handles (serve stops on SIGTERM).
if (CPU_PROF) for (const p of [bare, ...builds.map((b) => b.proc)]) await p.stop();
rmSync(work, { recursive: true, force: true });
process.exit(0);
