// The writer thread's OpenTelemetry work for one batch, alone: 500 traced calls (a SERVER span, a
// CLIENT span and a log record each), their rows and trace section encoded once as the main thread
// encodes them, then handed to the export sink (createOtelSink.requestRows) again and again in this
// one thread, as the writer thread hands each batch it receives. The sink sends to bench/otlp-sink.mjs
// (a process of its own, so its work is not counted here), so the OTLP/HTTP requests are part of
// the cost; every span and log record is checked to have arrived. Prints this process's CPU per call
// (the thread plus V8's helper threads: GC), the requests and bytes sent, and the sink's CPU per call
// (on the bench's 2 cores the collector's work competes with the gateway's too), and the encoding
// alone: the same rows written into OTLP chunks by the encoder with nothing sent. Builds run in turn.
//
// Usage: node bench/otel-encode.mjs [path/to/dist ...]   (default ./dist; give two builds to compare)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, ROOT, requestRecord } from './lib.mjs';

const dists = process.argv.length > 2 ? process.argv.slice(2) : [resolve(ROOT, 'dist')];
const ROWS = 500;
const BATCHES = 200;
const ROUNDS = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sink = spawn(process.execPath, [resolve(BENCH_DIR, 'otlp-sink.mjs'), '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const sinkPort = await new Promise((done) => sink.stdout.once('data', (d) => done(Number(/listening (\d+)/.exec(String(d))[1]))));
const sinkStats = async () => (await fetch(`http://127.0.0.1:${sinkPort}/stats`)).json();
/** CPU microseconds the sink's process has used (its share of the 2 cores is the collector's, not the gateway's). */
function sinkCpuUs() {
  const stat = readFileSync(`/proc/${sink.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

/** One build's batch (rows and trace section) and sink; `run` hands the batch to the sink BATCHES times. */
async function load(dist) {
  const url = (p) => pathToFileURL(resolve(dist, p)).href;
  const { RecordBatch, forEachRowCells } = await import(url('telemetry/record-batch.js'));
  const { OtlpEncoder } = await import(url('telemetry/otel/otlp-records.js'));
  const { TraceSection, TraceReader, readTraces } = await import(url('telemetry/otel/trace-section.js'));
  const { createOtelSink } = await import(url('telemetry/otel/sink.js'));
  const { createCallTracer } = await import(url('telemetry/otel/tracer.js'));
  const tracer = createCallTracer(() => {});
  const batch = new RecordBatch(ROWS);
  const section = new TraceSection();
  const time = new Date().toISOString();
  for (let n = 0; n < ROWS; n++) {
    const span = tracer.startCall('GET', {});
    const up = span.startAttempt({ host: '127.0.0.1', port: 8080 }, 1, null, null);
    up.end({ status: 200 });
    const r = requestRecord(n, time);
    r.trace = span.finish({ route: '/bench/v1/items/{id}', collectionSlug: 'bench', workflowId: null, workflowVersion: null, guardrails: null });
    batch.push(r, time);
    section.push(n, r.trace);
  }
  const rows = batch.take();
  const traces = section.take();
  const drops = [];
  const otel = createOtelSink({ endpoint: `http://127.0.0.1:${sinkPort}`, serviceName: 'bench', maxQueueSize: 1e9 }, (...d) => drops.push(d));
  // Before the trace section was read in place, the writer thread read it into CallTrace objects by row first.
  const hand =
    TraceReader !== undefined
      ? () => otel.requestRows(rows, traces)
      : () => {
          const traced = new Map();
          readTraces(traces, (at, t) => traced.set(at, t));
          otel.requestRows(rows, traced);
        };
  // Builds from before the trace reader have no encoder to time alone.
  const encoder = TraceReader === undefined ? null : new OtlpEncoder();
  const reader = TraceReader === undefined ? null : new TraceReader();
  /** The batch's spans and log records written into chunks, as the sink writes them, and the chunks dropped. */
  const encode = () => {
    reader.reset(traces);
    let row = 0;
    forEachRowCells(rows, (cells) => {
      if (reader.nextRow === row++) {
        reader.next();
        encoder.serverSpanOf(cells, reader);
        for (let i = 0; i < reader.upstreams; i++) encoder.clientSpanOf(cells, reader, i);
      }
      encoder.rowLog(cells);
    });
    const { spans, requestLogs } = encoder.take();
    if (spans) encoder.recycle(spans.bytes);
    if (requestLogs) encoder.recycle(requestLogs.bytes);
  };
  return {
    drops,
    encodeOnly:
      encoder &&
      (() => {
        const cpu0 = process.cpuUsage();
        for (let b = 0; b < BATCHES; b++) encode();
        const cpu = process.cpuUsage(cpu0);
        return (cpu.user + cpu.system) / (BATCHES * ROWS);
      }),
    async run() {
      for (let b = 0; b < BATCHES; b++) {
        hand();
        // The writer thread's turn ends here (its database write); sends and replies proceed.
        await sleep(1);
      }
      await otel.flush();
    },
  };
}

const builds = [];
for (const dist of dists) builds.push({ dist, ...(await load(dist)) });
const results = new Map(dists.map((d) => [d, []]));
const encoding = new Map(dists.map((d) => [d, []]));
for (const b of builds) {
  await b.run(); // warm-up
  b.encodeOnly?.();
}
for (let round = 0; round < ROUNDS; round++) {
  for (const b of builds) {
    const before = await sinkStats();
    const sink0 = sinkCpuUs();
    const cpu0 = process.cpuUsage();
    await b.run();
    const cpu = process.cpuUsage(cpu0);
    if (b.encodeOnly) encoding.get(b.dist).push(`${b.encodeOnly().toFixed(2)} µs`);
    await sleep(200);
    const after = await sinkStats();
    const sinkCpu = sinkCpuUs() - sink0;
    const calls = BATCHES * ROWS;
    const spans = after['/v1/traces'].records - before['/v1/traces'].records;
    const logs = after['/v1/logs'].records - before['/v1/logs'].records;
    const delta = (field) => after['/v1/traces'][field] - before['/v1/traces'][field] + after['/v1/logs'][field] - before['/v1/logs'][field];
    const requests = delta('requests');
    const ok = spans === 2 * calls && logs === calls ? 'all received' : `MISSING ${2 * calls - spans} spans, ${calls - logs} log records`;
    results
      .get(b.dist)
      .push(
        `${((cpu.user + cpu.system) / calls).toFixed(2)} µs (${requests} requests, ${(delta('bytes') / calls).toFixed(0)} B a call, sink ${(sinkCpu / calls).toFixed(2)} µs, ${ok})`,
      );
  }
}
for (const [dist, lines] of results) console.log(`${dist}: CPU per traced call: ${lines.join(' | ')}`);
for (const [dist, lines] of encoding) if (lines.length > 0) console.log(`${dist}: encoding alone (nothing sent): ${lines.join(' | ')}`);
sink.kill();
process.exit(0);
