// The per-change apply time of the live snapshot with 10,000 endpoints and 100,000 credentials
// (issue 38: ≤ 50 ms): `node bench/apply-time.mjs` (after `npm run build`), or
// `npm run bench -- --apply-time`. The node that makes a change answers once it is applied, so
// this is what the data-plane half of an admin write costs. Each change is made through the audited
// executor; the snapshot holder's `apply` (store reads and recompile) is timed in wall time and in
// CPU time of this process (fairer on a loaded machine). Env: APPLY_ENDPOINTS (10000),
// APPLY_CREDENTIALS (100000), APPLY_REPEAT (20 per kind of change), APPLY_DATABASE_URL (PostgreSQL
// instead of SQLite: a fresh schema is made and dropped).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatehouseConfig } from '../dist/core/index.js';
import { createSnapshotHolder } from '../dist/gateway/snapshot/holder.js';
import { openManagementPlane } from '../dist/node/plane.js';
import { seedLarge } from './seed.mjs';

const env = process.env;
const ENDPOINTS = Number(env.APPLY_ENDPOINTS ?? 10_000);
const CREDENTIALS = Number(env.APPLY_CREDENTIALS ?? 100_000);
const REPEAT = Number(env.APPLY_REPEAT ?? 20);
const PG = env.APPLY_DATABASE_URL ?? null;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Seeds a store, opens a node's snapshot holder on it, then times the apply of each kind of change. */
export async function measureApplyTime({ endpoints = ENDPOINTS, credentials = CREDENTIALS, repeat = REPEAT, log = console.log } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-apply-'));
  const schema = PG ? `apply_${process.pid}` : undefined;
  const database = PG ? { databaseUrl: PG, databaseSchema: schema } : {};
  try {
    log(`seeding ${endpoints.toLocaleString()} endpoints and ${credentials.toLocaleString()} credentials (${PG ? 'PostgreSQL' : 'SQLite'})…`);
    await seedLarge(dataDir, 'http://127.0.0.1:9', { endpoints, credentials, log, database });
    const plane = await openManagementPlane(GatehouseConfig.parse({ dataDir, logLevel: 'warn', ...database }), () => {});
    const t0 = performance.now();
    const holder = await createSnapshotHolder({ db: plane.database.db, feed: plane.changes, reconcileMs: 0, onError: (err) => log('apply failed', err) });
    log(`first snapshot: ${(performance.now() - t0).toFixed(0)} ms`);
    const timings = [];
    plane.applyCommitsWith(async (change) => {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      await holder.apply(change);
      const used = process.cpuUsage(cpu);
      timings.push({ wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 });
    });
    const call = { principal: { subject: 'local:bench', name: 'bench', kind: 'user', groups: [] }, channel: 'cli', requestId: 'bench', localAdmin: true };
    const run = (op, input) => plane.executor.execute(op, input, call);
    const snapshot = holder.current();
    const someProxy = [...snapshot.proxies.values()][0].proxy;
    const someProfile = [...snapshot.profiles.values()][0];
    const policyId = someProfile.client.policyId;
    const collectionId = someProxy.collectionId;
    let n = 0;
    const changes = [
      ['policy create (unused)', () => run('policies.create', { name: `burst-${n++}`, rateLimits: [{ window: 'second', limit: 10 }] })],
      ['policy update (every client’s)', () => run('policies.update', { id: policyId, rateLimits: [{ window: 'minute', limit: 100_000_000 + n++ }] })],
      ['proxy update', () => run('proxies.update', { id: someProxy.id, timeouts: { connectMs: 1000 + (n++ % 100), responseMs: 30_000 } })],
      ['endpoint create', () => run('endpoints.create', { proxyId: someProxy.id, method: 'GET', path: `/added/${n++}`, summary: 'added' })],
      ['collection update', () => run('collections.update', { id: collectionId, description: `d${n++}` })],
      ['client update', () => run('clients.update', { id: someProfile.client.id, description: `d${n++}` })],
      ['profile update', () => run('profiles.update', { id: someProfile.profile.id, allowedMethods: n++ % 2 ? ['GET'] : ['GET', 'POST'] })],
      ['credential issue', () => run('credentials.issue', { profileId: someProfile.profile.id })],
    ];
    const rows = [];
    for (const [label, make] of changes) {
      timings.length = 0;
      for (let i = 0; i < repeat; i++) await make();
      const wall = timings.map((t) => t.wall);
      const cpu = timings.map((t) => t.cpu);
      rows.push({
        change: label,
        n: timings.length,
        wallP50: percentile(wall, 50),
        wallP95: percentile(wall, 95),
        cpuP50: percentile(cpu, 50),
        cpuP95: percentile(cpu, 95),
      });
    }
    log(`\nper-change apply time (${endpoints.toLocaleString()} endpoints, ${credentials.toLocaleString()} credentials, ${PG ? 'PostgreSQL' : 'SQLite'}; ms):`);
    log(['change'.padEnd(32), 'n', 'wall p50', 'wall p95', 'cpu p50', 'cpu p95'].join('\t'));
    for (const r of rows) log([r.change.padEnd(32), r.n, r.wallP50.toFixed(1), r.wallP95.toFixed(1), r.cpuP50.toFixed(1), r.cpuP95.toFixed(1)].join('\t'));
    holder.close();
    if (PG) await plane.database.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await plane.close();
    return rows;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureApplyTime();
  const worst = Math.max(...rows.map((r) => r.cpuP95));
  console.log(`\ntarget: every change applied in ≤ 50 ms (CPU p95, worst kind): ${worst.toFixed(1)} ms ${worst <= 50 ? 'ok' : 'MISSED'}`);
}
