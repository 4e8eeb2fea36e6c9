// Several Gatehouse builds and the bare Node proxy side by side: interleaved closed-loop rounds on
// the token + limit + log path, with each process's CPU per call split into the main thread's user
// and system time. For ablations (a copy of dist/ with one feature cut) and before/after checks
// where a few µs a call decide: CPU per call moves less with the machine than req/s does.
// Usage: node bench/compare-builds.mjs name=/path/to/dist [name=/path/to/dist …]
// Env: BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_PATH=plain (the anonymous path instead) or
// BENCH_PATH=cache (the same caller through a cache node, every call after the first a hit),
// BENCH_RATE=N (paced at N req/s instead of a closed loop: CPU per call with no process saturated).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, freePort, HOST, httpGet, load, median, startGatehouseAt, startNode } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PLAIN = process.env.BENCH_PATH === 'plain';
const CACHE = process.env.BENCH_PATH === 'cache';
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : null;

const builds = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  if (at < 1) throw new Error(`expected name=/path/to/dist, got ${arg}`);
  return { name: arg.slice(0, at), dist: arg.slice(at + 1) };
});
if (builds.length === 0) throw new Error('usage: node bench/compare-builds.mjs name=/path/to/dist [name=/path/to/dist …]');

const work = mkdtempSync(join(tmpdir(), 'gatehouse-compare-'));
const upstreamPort = await freePort();
const origin = `http://${HOST}:${upstreamPort}`;
await startNode('upstream', 'upstream.mjs', [upstreamPort]);
const barePort = await freePort();
const bare = await startNode('bare', 'bare-proxy.mjs', [barePort, origin]);
const targets = [{ name: 'bare', url: `http://${HOST}:${barePort}/items`, headers: {}, pid: bare.pid }];
for (const b of builds) {
  const dir = join(work, b.name);
  const seeded = await seedThroughput(dir, origin);
  const port = await freePort();
  const proc = await startGatehouseAt(b.name, join(b.dist, 'cli', 'main.js'), dir, port);
  targets.push({
    name: b.name,
    url: `http://${HOST}:${port}${PLAIN ? seeded.plainPath : CACHE ? seeded.cachePath : seeded.authPath}`,
    headers: PLAIN ? {} : { authorization: `Bearer ${seeded.token}` },
    pid: proc.pid,
  });
}

for (const t of targets) {
  const r = await httpGet(t.url, t.headers);
  if (r.status !== 200) throw new Error(`${t.name} answered ${r.status}: ${r.body.slice(0, 200)}`);
  await load(t.url, { seconds: 2, headers: t.headers });
}

const runs = new Map(targets.map((t) => [t.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[(i + round) % targets.length];
    const before = cpuSeconds(t.pid);
    const res = await load(t.url, { seconds: SECONDS, headers: t.headers, rate: RATE });
    // Gatehouse's request-log writer flushes its last batch within a second: its CPU belongs to these calls.
    await new Promise((resolve) => setTimeout(resolve, t.name === 'bare' ? 300 : 1_200));
    const after = cpuSeconds(t.pid);
    const per = (a, b) => ((b - a) * 1e6) / res.requests;
    const run = {
      rps: res.rps,
      user: per(before.mainUser, after.mainUser),
      sys: per(before.mainSys, after.mainSys),
      process: per(before.process, after.process),
    };
    runs.get(t.name).push(run);
    console.log(
      `round ${round + 1}/${ROUNDS} ${t.name.padEnd(12)} ${Math.round(run.rps).toLocaleString('en-US').padStart(7)} req/s  main ${(run.user + run.sys).toFixed(1)} µs/call (user ${run.user.toFixed(1)}, sys ${run.sys.toFixed(1)})  process ${run.process.toFixed(1)}`,
    );
  }
}

console.log(`\nmedians of ${ROUNDS} rounds (${PLAIN ? 'plain' : CACHE ? 'cache hit' : 'token + limit + log'} path)`);
const bareRps = median(runs.get('bare').map((r) => r.rps));
for (const t of targets) {
  const rs = runs.get(t.name);
  const m = (f) => median(rs.map(f));
  console.log(
    `${t.name.padEnd(12)} ${Math.round(m((r) => r.rps))
      .toLocaleString('en-US')
      .padStart(
        7,
      )} req/s (${(m((r) => r.rps) / bareRps).toFixed(2)}× bare)  main ${m((r) => r.user + r.sys).toFixed(1)} µs/call (user ${m((r) => r.user).toFixed(1)}, sys ${m((r) => r.sys).toFixed(1)})  process ${m((r) => r.process).toFixed(1)}`,
  );
}
rmSync(work, { recursive: true, force: true });
process.exit(0);
