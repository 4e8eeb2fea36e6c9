// Times the overview's API calls over BENCH_DIR (a data directory filled by bench/metrics-queries.mjs):
// the six metric views asked one by one in parallel, against the one metrics/dashboard call the
// console makes, alternated on the same gateway, for the last hour / 24 h / 7 days. Build first.
//   BENCH_DIR=/tmp/gh5m node bench/console-overview-api.mjs
import { startGatehouse } from '../dist/node/index.js';
import { clientCredentialsToken } from './lib.mjs';
const dir = process.env.BENCH_DIR;
if (!dir) throw new Error('BENCH_DIR: a data directory filled by bench/metrics-queries.mjs');
const gh = await startGatehouse({ port: 0, dataDir: dir, adminPassword: 'bench-password-0123', logLevel: 'silent' });
const local = { principal: { subject: 'bench', name: 'bench', kind: 'user', groups: [] }, channel: 'cli', requestId: 'b', localAdmin: true };
const sa = await gh.executor.execute('service-accounts.create', { name: `bench-${Date.now()}`, role: 'viewer', scope: {} }, local);
const token = await clientCredentialsToken(
  `${gh.urls.issuer}/token`,
  { clientId: sa.serviceAccount.clientId, clientSecret: sa.clientSecret },
  gh.urls.adminApi,
);
const get = async (path, q) => {
  const r = await fetch(`${gh.urls.adminApi}${path}?${new URLSearchParams(q)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${path} ${r.status} ${await r.text()}`);
  return r.json();
};
const RANGES = { '1h': [3600_000, 'minute'], '24h': [86_400_000, 'hour'], '7d': [7 * 86_400_000, 'day'] };
const RUNS = Number(process.env.RUNS ?? 9);
for (const [name, [ms, bucket]] of Object.entries(RANGES)) {
  const before = [];
  const after = [];
  for (let i = 0; i < RUNS; i++) {
    const q = { from: new Date(Math.ceil(Date.now() / 10_000) * 10_000 - ms).toISOString() };
    let t0 = performance.now();
    await Promise.all([
      get('/metrics/overview', q),
      get('/metrics/timeseries', { ...q, bucket }),
      get('/metrics/status-codes', q),
      get('/metrics/methods', q),
      get('/metrics/top-endpoints', q),
      get('/metrics/error-endpoints', q),
    ]);
    before.push(performance.now() - t0);
    t0 = performance.now();
    await get('/metrics/dashboard', { ...q, bucket });
    after.push(performance.now() - t0);
  }
  const stat = (a) => {
    a.sort((x, y) => x - y);
    return `median ${a[Math.floor(a.length / 2)].toFixed(0)} ms, max ${a.at(-1).toFixed(0)} ms`;
  };
  console.log(`last ${name.padEnd(3)}: six calls ${stat(before)}; dashboard ${stat(after)}`);
}
await gh.close();
