// The OpenTelemetry hand-off's CPU per traced call, in one process without a server: a SERVER span,
// its CLIENT child and the call's request-log record, handed to the export as each build's call path
// does (spans built on the main thread, or the trace carried by the record),
// in bursts of 500 with pauses (the worker runs and gives buffers back), to a collector address that
// refuses connections (so the worker's work is the export's, not a collector's).
// Prints the main thread's CPU (from /proc, so not inflated by other processes on a loaded machine
// the way wall time is) and the whole process's (main thread + export worker) per call, per round.
//
// Usage: node bench/otel-handoff.mjs [path/to/dist ...]   (default ./dist; give two builds to compare)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

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

const record = (n) => ({
  id: `0191e0c1-aaaa-7bbb-8ccc-${String(n).padStart(12, '0')}`,
  requestId: `req_${n}`,
  time: new Date().toISOString(),
  channel: 'rest',
  collectionId: 'col_abcdefgh',
  proxyId: 'prx_abcdefgh',
  endpointId: 'ep_abcdefgh',
  clientId: 'cli_abcdefg',
  profileId: 'prf_abcdefg',
  method: 'GET',
  path: '/bench/v1/items/42',
  status: 200,
  latencyMs: 1.234,
  upstreamLatencyMs: 0.5,
  bytesIn: 0,
  bytesOut: 120,
  ip: '127.0.0.1',
  userAgent: 'wrk',
  errorCode: null,
  mcpClient: null,
  mcpTool: null,
  requestBody: null,
  responseBody: null,
  workflow: null,
});

for (const dist of dists) {
  const { startOtelExport } = await import(pathToFileURL(resolve(dist, 'telemetry/otel/index.js')).href);
  const otel = startOtelExport({ endpoint: 'http://127.0.0.1:9', serviceName: 'bench', maxQueueSize: 1e9, exportTimeoutMillis: 100 });
  let n = 0;
  // The call path as each build has it: spans built on the main thread (before the redesign), or
  // ids and times carried by the request-log record, whose spans the export worker builds.
  const call = (span0 = otel.tracer.startCall('GET', {})) => (typeof span0.finish === 'function' ? traceInRecord(span0) : spansOnMainThread(span0));
  const traceInRecord = (span) => {
    const up = span.startAttempt({ host: '127.0.0.1', port: 8080 }, 1, null, null);
    up.end({ status: 200 });
    const r = record(n++);
    r.trace = span.finish({ route: '/bench/v1/items/{id}', collectionSlug: 'bench', workflowId: null, workflowVersion: null, guardrails: null });
    otel.logs.emitRequestLog(r);
  };
  const spansOnMainThread = (span) => {
    const up = span.startUpstream('upstream GET', {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': 8080,
      'gatehouse.upstream.attempt': 1,
    });
    up.end({ status: 200 });
    span.rename('GET /bench/v1/items/{id}');
    span.setAttributes({
      'gatehouse.channel': 'rest',
      'gatehouse.request.id': `req_${n}`,
      'http.request.method': 'GET',
      'url.path': '/bench/v1/items/42',
      'http.route': '/bench/v1/items/{id}',
      'gatehouse.collection.id': 'col_abcdefgh',
      'gatehouse.collection.slug': 'bench',
      'gatehouse.proxy.id': 'prx_abcdefgh',
      'gatehouse.endpoint.id': 'ep_abcdefgh',
      'gatehouse.client.id': 'cli_abcdefg',
      'gatehouse.profile.id': 'prf_abcdefg',
      'client.address': '127.0.0.1',
      'gatehouse.upstream_latency_ms': 0.523,
    });
    span.end({ status: 200, errorCode: null });
    otel.logs.emitRequestLog(record(n++));
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
    rounds.push(`main ${(((mainThreadMs() - main0) * 1000) / calls).toFixed(1)} µs, process ${((all.user + all.system) / calls).toFixed(1)} µs`);
  }
  console.log(`${dist}: per traced call — ${rounds.join(' | ')}`);
  await otel.shutdown();
}
process.exit(0);
