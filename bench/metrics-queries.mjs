// Times every metrics query over rollups for 5,000,000 requests in SQLite.
// Build first (`npm run build`), then: node bench/metrics-queries.mjs [requests] [days]
// The rollups are made by the writer's own path (RollupAccumulator → upsertRollups), so they
// are exactly the rows the writer would store for this traffic. Not a test; CI does not run it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/store/database.js';
import { migrate } from '../dist/store/migrate.js';
import { errorEndpoints, methods, metricsOverview, RollupAccumulator, statusCodes, timeseries, topEndpoints, upsertRollups } from '../dist/telemetry/index.js';

const REQUESTS = Number(process.argv[2] ?? 5_000_000);
const DAYS = Number(process.argv[3] ?? 7);
const ENDPOINTS = 20;
const CLIENTS = 50;
const MINUTE = 60_000;
// Rollups of this many simulated minutes go into one transaction, as the writer's flushes would.
const FLUSH_EVERY_MINUTES = 10;

// Deterministic, so runs compare.
let seed = 12345;
function rnd() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const STATUSES = [
  [200, 0.85],
  [201, 0.03],
  [204, 0.02],
  [400, 0.02],
  [401, 0.015],
  [404, 0.02],
  [429, 0.015],
  [500, 0.015],
  [502, 0.01],
  [503, 0.005],
];
function status() {
  let x = rnd();
  for (const [s, p] of STATUSES) {
    x -= p;
    if (x < 0) return s;
  }
  return 200;
}
const METHODS = ['GET', 'GET', 'POST', 'PUT', 'DELETE'];
const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => ({
  endpointId: `ep_${i}`,
  collectionId: `col_${i % 4}`,
  method: METHODS[i % METHODS.length],
}));
const clients = Array.from({ length: CLIENTS }, (_, i) => `cli_${i}`);

const dir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const database = openDatabase({ dataDir: dir });
await migrate(database);
const { db } = database;

const end = Math.floor(Date.now() / MINUTE) * MINUTE;
const start = end - DAYS * 86_400_000;
const minutes = (end - start) / MINUTE;
const perMinute = REQUESTS / minutes;

console.log(`filling rollups for ${REQUESTS.toLocaleString()} requests over ${DAYS} days (${ENDPOINTS} endpoints × ${CLIENTS} clients) in ${dir}`);
const acc = new RollupAccumulator();
const record = { collectionId: '', endpointId: '', clientId: '', method: '', status: 200, errorCode: null, bytesIn: 0, bytesOut: 0, latencyMs: 0 };
let made = 0;
let rowsWritten = 0;
const fillStart = performance.now();
for (let m = 0; m < minutes; m++) {
  const time = new Date(start + m * MINUTE).toISOString();
  const target = Math.round((m + 1) * perMinute);
  for (; made < target; made++) {
    const ep = endpoints[Math.floor(rnd() * ENDPOINTS)];
    record.collectionId = ep.collectionId;
    record.endpointId = ep.endpointId;
    record.method = ep.method;
    record.clientId = clients[Math.floor(rnd() * CLIENTS)];
    record.status = status();
    record.bytesIn = Math.floor(rnd() * 2000);
    record.bytesOut = Math.floor(rnd() * 20000);
    record.latencyMs = Math.exp(1 + rnd() * 6);
    acc.add(record, time);
  }
  if ((m + 1) % FLUSH_EVERY_MINUTES === 0 || m === minutes - 1) {
    const batch = acc.take();
    rowsWritten += batch.rollups.length + batch.totals.length;
    await db.transaction().execute((trx) => upsertRollups(trx, batch));
  }
}
const fillMs = performance.now() - fillStart;
const count = async (table) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const rollupRows = await count('metric_rollups');
const totalRows = await count('metric_totals');
const size = statSync(join(dir, 'gatehouse.db')).size;
console.log(
  `filled in ${(fillMs / 1000).toFixed(1)} s: ${rollupRows.toLocaleString()} rollup rows + ${totalRows.toLocaleString()} total rows (${rowsWritten.toLocaleString()} upserts), ${(size / 1e6).toFixed(0)} MB`,
);

const iso = (ms) => new Date(ms).toISOString();
const week = { from: iso(start), to: iso(end) };
const ragged = { from: iso(start + 86_400_000 + 17 * MINUTE + 31_000), to: iso(end - 86_400_000 - 43 * MINUTE) };
const top = { limit: 10, minErrorRate: 0.05 };
const QUERIES = [
  ['overview, default (last 24 h)', () => metricsOverview(db, {})],
  ['overview, 7 days', () => metricsOverview(db, week)],
  ['overview, 7 days, one client', () => metricsOverview(db, { ...week, clientId: 'cli_7' })],
  ['overview, 7 days, one collection', () => metricsOverview(db, { ...week, collectionId: 'col_1' })],
  ['overview, 7 days, collection + client', () => metricsOverview(db, { ...week, collectionId: 'col_1', clientId: 'cli_7' })],
  ['overview, ragged 5 days', () => metricsOverview(db, ragged)],
  ['overview, last hour', () => metricsOverview(db, { from: iso(end - 3_600_000) })],
  ['status codes, 7 days', () => statusCodes(db, week)],
  ['status codes, ragged 5 days, one client', () => statusCodes(db, { ...ragged, clientId: 'cli_7' })],
  ['methods, 7 days', () => methods(db, week)],
  ['top endpoints, 7 days', () => topEndpoints(db, { ...week, ...top })],
  ['top endpoints, ragged 5 days, one client', () => topEndpoints(db, { ...ragged, ...top, clientId: 'cli_7' })],
  ['error endpoints, 7 days', () => errorEndpoints(db, { ...week, ...top })],
  ['timeseries, day buckets, 7 days', () => timeseries(db, { ...week, bucket: 'day' })],
  ['timeseries, hour buckets, 7 days', () => timeseries(db, { ...week, bucket: 'hour' })],
  ['timeseries, hour buckets, 7 days, one client', () => timeseries(db, { ...week, bucket: 'hour', clientId: 'cli_7' })],
  ['timeseries, minute buckets, 24 h', () => timeseries(db, { bucket: 'minute' })],
  ['timeseries, minute buckets, 24 h, one client', () => timeseries(db, { bucket: 'minute', clientId: 'cli_7' })],
  ['timeseries, minute buckets, last hour', () => timeseries(db, { from: iso(end - 3_600_000), bucket: 'minute' })],
];

const RUNS = 7;
console.log(`\nquery (median / max of ${RUNS} runs after a warm-up)`);
let worst = 0;
for (const [name, run] of QUERIES) {
  const first = await run();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)];
  worst = Math.max(worst, times.at(-1));
  const total = first.totalRequests ?? first.total;
  console.log(
    `${name.padEnd(48)} ${median.toFixed(1).padStart(7)} ms  ${times.at(-1).toFixed(1).padStart(7)} ms${total === undefined ? '' : `   (${total.toLocaleString()} requests)`}`,
  );
}
console.log(`\nslowest single run: ${worst.toFixed(1)} ms (target: < 100 ms)`);

await database.close();
if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
