// Times request-log searches over N raw calls (default 5,000,000 over 7 days) in SQLite, written
// through the writer's own store (segments of 500 calls, as under load). Build first, then:
// node bench/request-log-search.mjs [calls] [days]. Not a test; CI does not run it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { getRequestLog, searchRequestLogs } from '../dist/telemetry/index.js';
import { newLogId } from '../dist/telemetry/log-id.js';
import { openLogStore } from '../dist/telemetry/log-store.js';
import { RecordBatch } from '../dist/telemetry/record-batch.js';

const CALLS = Number(process.argv[2] ?? 5_000_000);
const DAYS = Number(process.argv[3] ?? 7);
const SEGMENT = 500;

let seed = 7;
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const clients = Array.from({ length: 50 }, (_, i) => `cli_${String(i).padStart(20, '0')}`);
const endpoints = Array.from({ length: 20 }, (_, i) => ({ id: `ep_${String(i).padStart(20, '0')}`, path: `/api/v1/resource-${i}/items` }));
const status = () => {
  const x = rnd();
  return x < 0.9 ? 200 : x < 0.97 ? 404 : x < 0.995 ? 500 : 503;
};

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logsearch-'));
const database = openDatabase({ dataDir: dir });
await migrate(database);
const store = await openLogStore({ dataDir: dir });
const start = Date.now() - DAYS * 86_400_000;
const step = (DAYS * 86_400_000) / CALLS;
const probe = {};
const t0 = performance.now();
let batch = new RecordBatch(SEGMENT);
for (let i = 0; i < CALLS; i++) {
  const ms = start + i * step;
  const time = new Date(ms).toISOString();
  const ep = endpoints[Math.floor(rnd() * endpoints.length)];
  const r = {
    id: newLogId(ms),
    requestId: `req-${i.toString(16).padStart(12, '0')}`,
    time,
    channel: 'rest',
    collectionId: 'col_00000000000000000001',
    proxyId: 'prx_00000000000000000001',
    endpointId: ep.id,
    clientId: clients[Math.floor(rnd() * clients.length)],
    profileId: 'prf_00000000000000000001',
    method: 'GET',
    path: ep.path,
    status: status(),
    latencyMs: Math.round(Math.exp(rnd() * 7) * 100) / 100,
    upstreamLatencyMs: 1,
    bytesIn: 0,
    bytesOut: 1024,
    ip: '10.0.0.1',
    userAgent: 'bench',
    errorCode: null,
    mcpClient: null,
    mcpTool: null,
    requestBody: null,
    responseBody: null,
  };
  if (i === Math.floor(CALLS / 3)) Object.assign(probe, { id: r.id, requestId: r.requestId });
  batch.push(r, time);
  if (batch.length === SEGMENT) {
    await store.write(batch.take(), []);
    batch = new RecordBatch(SEGMENT);
  }
}
if (batch.length > 0) await store.write(batch.take(), []);
await store.close();
console.log(`wrote ${CALLS.toLocaleString('en-US')} calls in ${((performance.now() - t0) / 1000).toFixed(1)} s; database ${(statSync(join(dir, 'gatehouse.db')).size / 2 ** 20).toFixed(0)} MB (+WAL)`);

const db = database.db;
const cases = [
  ['newest 50', { limit: 50 }],
  ['one client, newest 50', { limit: 50, clientId: clients[17] }],
  ['status 503 (0.5%), newest 50', { limit: 50, status: 503 }],
  ['one client + 503, newest 50', { limit: 50, clientId: clients[3], status: 503 }],
  ['last hour, latency ≥ 1 s', { limit: 50, from: new Date(Date.now() - 3_600_000).toISOString(), minLatencyMs: 1000 }],
  ['path substring, no match (every segment skipped)', { limit: 50, path: 'nothing-like-this' }],
  ['request id', { limit: 50, requestId: probe.requestId }],
  ['body text (no bodies captured)', { limit: 50, bodyText: 'acme' }],
];
console.log('\nquery                                              ms (median of 5)  rows');
for (const [name, q] of cases) {
  const times = [];
  let rows = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    rows = (await searchRequestLogs(db, q)).items.length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${name.padEnd(50)} ${times[2].toFixed(1).padStart(8)}  ${String(rows).padStart(8)}`);
}
const tg = performance.now();
const hit = await getRequestLog(db, probe.id);
console.log(`${'one entry by id'.padEnd(50)} ${(performance.now() - tg).toFixed(1).padStart(8)}  ${String(hit ? 1 : 0).padStart(8)}`);
await database.close();
rmSync(dir, { recursive: true, force: true });
