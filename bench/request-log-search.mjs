// Times request-log searches over N raw calls (default 5,000,000 over 7 days) in SQLite, written
// through the writer's own store (segments of 500 calls, as under load). Build first, then:
// node bench/request-log-search.mjs [calls] [days]. Not a test; CI does not run it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../dist/store/database.js';
import { getRequestLog, searchRequestLogs } from '../dist/telemetry/index.js';
import { clients, seedRequestLogs } from './seed-logs.mjs';

const CALLS = Number(process.argv[2] ?? 5_000_000);
const DAYS = Number(process.argv[3] ?? 7);

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-logsearch-'));
const probe = {};
const t0 = performance.now();
await seedRequestLogs(dir, CALLS, DAYS, (r, i) => {
  if (i === Math.floor(CALLS / 3)) Object.assign(probe, { id: r.id, requestId: r.requestId });
});
const database = openDatabase({ dataDir: dir });
console.log(
  `wrote ${CALLS.toLocaleString('en-US')} calls in ${((performance.now() - t0) / 1000).toFixed(1)} s; database ${(statSync(join(dir, 'gatehouse.db')).size / 2 ** 20).toFixed(0)} MB (+WAL)`,
);

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
