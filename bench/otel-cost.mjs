// Where OpenTelemetry export's CPU goes in a running gateway, per call: the gateway's main thread,
// its other threads by name (the request-log writer, which builds and sends the OTLP export, and
// V8's), and the collector (bench/otlp-sink.mjs, a process of its own that on the bench's 2 cores
// competes with the gateway). Each build runs with OTel on, against a sink of its own; rounds are
// interleaved across builds; each round is a bounded closed loop (wrk -c50 when installed), then
// a pause for the writer's last batch and export. Every span and log record is checked to have
// arrived at the sink (2 spans and a log record a call); bytes and requests a call are printed, and
// each gateway's peak RSS.
// Usage: node bench/otel-cost.mjs name=/path/to/dist[=/path/to/sink.mjs] [name=/path/to/dist …]
// (a sink script of a build's own compares collectors; default bench/otlp-sink.mjs)
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (4), BENCH_OTEL_OFF=1 (also each build with OTel off),
// BENCH_RATE=N (paced at N req/s instead of a closed loop: the export's requests a call at a rate
// where its chunks do not fill before their send delay),
// BENCH_CPU_PROF=dir (the gateways run under --cpu-prof, a profile per thread written there on exit).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { BENCH_DIR, freePort, HOST, httpGet, load, median, startGatehouseAt, startNode } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : null;
const TICK_US = 10_000;

/** CPU µs of a /proc stat line (user + system). */
function statUs(path) {
  const text = readFileSync(path, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US;
}

/** CPU µs so far of each thread of `pid`, by thread name (main for the process's first). */
function threads(pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let name;
    let us;
    try {
      name = Number(tid) === pid ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      us = statUs(`/proc/${pid}/task/${tid}/stat`);
    } catch {
      continue;
    }
    out[name] = (out[name] ?? 0) + us;
  }
  out.process = statUs(`/proc/${pid}/stat`);
  return out;
}

const builds = process.argv.slice(2).flatMap((arg) => {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`expected name=/path/to/dist, got ${arg}`);
  const [dist, sink = 'otlp-sink.mjs'] = arg.slice(at + 1).split('=');
  const b = { name: arg.slice(0, at), dist, sinkScript: relative(BENCH_DIR, resolve(BENCH_DIR, sink)), otel: true };
  return process.env.BENCH_OTEL_OFF === '1' ? [{ ...b, name: `${b.name}-off`, otel: false }, b] : [b];
});
if (builds.length === 0) throw new Error('usage: node bench/otel-cost.mjs name=/path/to/dist [name=/path/to/dist …]');

const work = mkdtempSync(join(tmpdir(), 'gatehouse-otel-cost-'));
const upstreamPort = await freePort();
await startNode('upstream', 'upstream.mjs', [upstreamPort]);
for (const b of builds) {
  const dir = join(work, b.name);
  const seeded = await seedThroughput(dir, `http://${HOST}:${upstreamPort}`);
  const port = await freePort();
  let env = {};
  if (b.otel) {
    b.sinkPort = await freePort();
    b.sink = await startNode(`${b.name}-sink`, b.sinkScript, [b.sinkPort]);
    env = { GATEHOUSE_OTLP_ENDPOINT: `http://${HOST}:${b.sinkPort}` };
  }
  const nodeArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF, b.name)}`] : [];
  b.proc = await startGatehouseAt(b.name, join(b.dist, 'cli', 'main.js'), dir, port, { env, nodeArgs });
  b.url = `http://${HOST}:${port}${seeded.authPath}`;
  b.headers = { authorization: `Bearer ${seeded.token}` };
  const warm = await load(b.url, { seconds: 2, headers: b.headers });
  b.answered = 1 + warm.requests;
  await httpGet(b.url, b.headers);
  b.runs = [];
}
const stats = async (b) => JSON.parse((await httpGet(`http://${HOST}:${b.sinkPort}/stats`)).body);

for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < builds.length; i++) {
    const b = builds[(i + round) % builds.length];
    const before = threads(b.proc.pid);
    const sink0 = b.otel ? statUs(`/proc/${b.sink.pid}/stat`) : 0;
    const stats0 = b.otel ? await stats(b) : null;
    const res = await load(b.url, { seconds: SECONDS, headers: b.headers, rate: RATE });
    b.answered += res.requests;
    // The writer's last batch (flushed within 0.5 s) and its export (sent within the 1 s send delay).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const after = threads(b.proc.pid);
    const per = (us) => us / res.requests;
    const run = { rps: res.rps, threads: {} };
    for (const name of Object.keys(after)) run.threads[name] = per(after[name] - (before[name] ?? 0));
    if (b.otel) {
      run.sink = per(statUs(`/proc/${b.sink.pid}/stat`) - sink0);
      const s1 = await stats(b);
      const d = (signal, field) => s1[signal][field] - stats0[signal][field];
      run.traceBytes = d('/v1/traces', 'bytes') / res.requests;
      run.logBytes = d('/v1/logs', 'bytes') / res.requests;
      run.requests = (d('/v1/traces', 'requests') + d('/v1/logs', 'requests')) / res.requests;
    }
    b.runs.push(run);
    const shown = Object.entries(run.threads)
      .filter(([, v]) => v >= 0.05)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
    console.log(
      `round ${round + 1} ${b.name.padEnd(10)} ${Math.round(res.rps)} req/s  µs/call: ${shown}${b.otel ? `  sink ${run.sink.toFixed(1)}  OTLP ${run.traceBytes.toFixed(0)}+${run.logBytes.toFixed(0)} B/call in ${(1000 * run.requests).toFixed(2)} requests/1000 calls` : ''}`,
    );
  }
}

console.log(`\nmedians of ${ROUNDS} rounds of ${SECONDS} s (µs of CPU per call)`);
await new Promise((resolve) => setTimeout(resolve, 3_000));
for (const b of builds) {
  const m = (f) => median(b.runs.map(f));
  const names = Object.keys(b.runs.at(-1).threads);
  const shown = names
    .map((n) => [n, m((r) => r.threads[n] ?? 0)])
    .filter(([, v]) => v >= 0.05)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');
  let tail = '';
  if (b.otel) {
    const s = await stats(b);
    const logs = s['/v1/logs'].scopes['gatehouse.request-log'] ?? 0;
    const spans = s['/v1/traces'].records;
    // wrk counts the calls it saw answered; a few more may be answered as it stops.
    const complete = logs >= b.answered && spans === 2 * logs;
    tail = `  sink ${m((r) => r.sink).toFixed(1)}  gateway+sink ${m((r) => r.threads.process + r.sink).toFixed(1)}  OTLP ${m((r) => r.traceBytes + r.logBytes).toFixed(0)} B/call  ${complete ? 'every span and log record arrived' : `MISSING: calls ${b.answered}, log records ${logs}, spans ${spans}`}`;
  }
  // Peak RSS: an export request's buffers are held while it is encoded and sent.
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${b.proc.pid}/status`, 'utf8'));
  console.log(`${b.name.padEnd(10)} ${Math.round(m((r) => r.rps))} req/s  ${shown}${tail}  peak RSS ${hwm ? Math.round(Number(hwm[1]) / 1024) : '?'} MB`);
}
for (const b of builds) {
  await b.proc.stop();
  await b.sink?.stop();
}
rmSync(work, { recursive: true, force: true });
process.exit(0);
