// The OpenTelemetry hand-off's CPU per traced call, in one process without a server: a call traced
// as each build's call path traces it (a SERVER span and its CLIENT child) and its request-log record
// given to the request-log writer, against the same record with OpenTelemetry off. Before the
// redesign the record also went to the export worker (structured-cloned, which built the spans);
// after it, the sampled call's trace is encoded beside the record's row and the writer's thread
// builds and encodes everything. Bursts of 500 with pauses (the threads run); the collector is
// bench/otlp-sink.mjs in a process of its own (so its work is not counted here), and every span and
// log record it received is checked against the calls made; the writer has no tables (its writes
// fail, counted), so the threads' work is the hand-off and the export's, not a database's.
// Prints the main thread's CPU (from /proc, so not inflated by other processes on a loaded machine
// the way wall time is) and the whole process's (main thread + writer/export threads) per call, per
// round, off and on.
//
// `on` runs the default export (the row encoder); `on-sdk` the same with GATEHOUSE_FAST_PATHS=off (the
// OTel SDK's processors and protobuf exporters), on a build that has the switch.
//
// Usage: node bench/otel-handoff.mjs [path/to/dist ...]   (default ./dist; give two builds to compare)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, ROOT, requestRecord } from './lib.mjs';

const dists = process.argv.length > 2 ? process.argv.slice(2) : [resolve(ROOT, 'dist')];
const ROUNDS = 4;
const BURSTS = 80;
const BURST = 500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU milliseconds of this process's main thread so far. */
function mainThreadMs() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const silent = { error() {}, info() {} };
const sink = spawn(process.execPath, [resolve(BENCH_DIR, 'otlp-sink.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const sinkPort = await new Promise((done) => sink.stdout.once('data', (d) => done(Number(/listening (\d+)/.exec(String(d))[1]))));
const OTEL = { endpoint: `http://127.0.0.1:${sinkPort}`, serviceName: 'bench', maxQueueSize: 1e9 };
/** The sink's counts: { '/v1/traces': { requests, bytes, records }, '/v1/logs': … }. */
const sinkStats = async () => (await fetch(`http://127.0.0.1:${sinkPort}/stats`)).json();

/** One traced call as the pipeline makes it: ids and times, an upstream attempt, the trace on the record. */
function tracedRecord(tracer, n) {
  const span = tracer.startCall('GET', {});
  const up = span.startAttempt({ host: '127.0.0.1', port: 8080 }, 1, null, null);
  void up.headers.traceparent;
  up.end({ status: 200 });
  const r = requestRecord(n);
  r.trace = span.finish({ route: '/bench/v1/items/{id}', collectionSlug: 'bench', workflowId: null, workflowVersion: null, guardrails: null });
  return r;
}

for (const dist of dists) {
  const telemetry = await import(pathToFileURL(resolve(dist, 'telemetry/index.js')).href);
  const otelApi = await import(pathToFileURL(resolve(dist, 'telemetry/otel/index.js')).href);
  // A build whose writer thread exports (after the redesign) takes the settings; before it, a separate export.
  const inWriter = await import(pathToFileURL(resolve(dist, 'telemetry/otel/batch-export.js')).href).then(
    () => true,
    () => false,
  );
  const line = [];
  for (const mode of ['off', 'on', 'on-sdk']) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-handoff-'));
    const on = mode !== 'off';
    // Drops the writer counts (its logs and the export's), by metric and labels.
    const drops = new Map();
    const metrics = new Proxy(
      {},
      {
        // A counter's inc(labels, n), a gauge's set, or a method (observeRequest): all no-ops but the counting.
        get: (_, metric) =>
          Object.assign(() => {}, {
            inc(labels, n = 1) {
              const key = `${String(metric)}${typeof labels === 'object' ? JSON.stringify(labels) : ''}`;
              drops.set(key, (drops.get(key) ?? 0) + (typeof labels === 'number' ? labels : n));
            },
            set() {},
          }),
      },
    );
    const writer = telemetry.createRequestLogWriter({
      database: { dataDir },
      spoolDir: null,
      logger: silent,
      metrics,
      ...(on && inWriter ? { otel: { ...OTEL, fastPaths: mode === 'on' } } : {}),
    });
    const apart = on && !inWriter ? otelApi.startOtelExport(OTEL) : null;
    const tracer = !on ? null : inWriter ? otelApi.createCallTracer((span) => writer.otel.span(span)) : apart.tracer;
    const before = await sinkStats();
    let n = 0;
    const call = () => {
      if (tracer === null) return writer.record(requestRecord(n++));
      const r = tracedRecord(tracer, n++);
      writer.record(r);
      apart?.logs.emitRequestLog(r);
    };
    const burst = async () => {
      for (let i = 0; i < BURST; i++) call();
      await sleep(20);
    };
    for (let b = 0; b < BURSTS / 2; b++) await burst();
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const process0 = process.cpuUsage();
      const main0 = mainThreadMs();
      for (let b = 0; b < BURSTS; b++) await burst();
      const calls = BURSTS * BURST;
      const all = process.cpuUsage(process0);
      rounds.push(`main ${(((mainThreadMs() - main0) * 1000) / calls).toFixed(1)}, process ${((all.user + all.system) / calls).toFixed(1)}`);
    }
    line.push(`OTel ${mode}: ${rounds.join(' | ')}`);
    await writer.close();
    await apart?.shutdown();
    if (on) {
      const after = await sinkStats();
      const got = (path) => after[path].records - before[path].records;
      const requests = (path) => after[path].requests - before[path].requests;
      const spans = got('/v1/traces');
      const logs = got('/v1/logs');
      const ok = spans === 2 * n && logs === n ? 'all received' : `MISSING (expected ${2 * n} spans, ${n} log records)`;
      const otelDrops = [...drops].filter(([k]) => k.startsWith('otelDropped') || k.startsWith('logsDropped'));
      line.push(`dropped: ${otelDrops.map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
      line.push(`sink: ${spans} spans in ${requests('/v1/traces')} requests, ${logs} log records in ${requests('/v1/logs')} requests for ${n} calls: ${ok}`);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`${dist}: µs per call\n  ${line.join('\n  ')}`);
}
sink.kill();
process.exit(0);
