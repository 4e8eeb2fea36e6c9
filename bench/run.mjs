// `npm run bench`: Gatehouse against a direct call, a bare Node proxy, fast-gateway and nginx.
// See bench/README.md. Env: BENCH_ROUNDS (3), BENCH_SECONDS (8), BENCH_QUICK=1 (1 round × 3 s,
// no memory check), BENCH_MEMORY=0 (skip the memory check), BENCH_MEMORY=only (only the memory check), BENCH_METRICS=1 (also run
// bench/metrics-queries.mjs over 5M requests; takes minutes), BENCH_TOOL=autocannon (ignore wrk),
// BENCH_PROFILE=1 (write .cpuprofile files of the Gatehouse processes to bench/results/profiles),
// BENCH_DIAG=1 (also measure the data plane with a no-op recorder: the request-log writer's share),
// BENCH_COMPARE_DIST=/path/to/other/dist (also measure that build's gatehouse: before/after).
// `--workers N` (npm run bench -- --workers 2): also `gatehouse serve --workers N` and nginx with N
// workers, in the token + limit + logging scenario; narrows the run to that scenario (BENCH_TARGETS
// overrides) and skips the memory check unless BENCH_MEMORY=1.
// `--admin-burst`: bench/admin-burst.mjs; `--apply-time`: bench/apply-time.mjs; `--guardrails`: bench/guardrail-bench.mjs;
// `--rest-tool`: bench/rest-tool.mjs; `--tool-search`: bench/tool-search.mjs (search ranking on labelled intents);
// `--workflow-budget`: bench/workflow-budget.mjs; `--timing-bounds`: bench/timing-bounds.mjs
// (the durations the test suite asserts only as behaviour: see docs/contributing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  BENCH_DIR,
  childPids,
  cpuSeconds,
  DEPLOY_RUNTIME,
  fmt,
  freePort,
  HOST,
  httpGet,
  httpPost,
  load,
  loadTool,
  median,
  printTable,
  ROOT,
  ratio,
  sleep,
  startNginx,
  startGatehouseAt,
  startNode,
  startProcess,
  which,
} from './lib.mjs';

// Scenarios of their own: `--admin-burst` (proxy req/s during admin writes), `--apply-time` (per-change snapshot apply time),
// `--listen-fanout` (upstream notifications carried to a listen stream on another node).
if (process.argv.includes('--admin-burst')) {
  await (await import('./admin-burst.mjs')).adminBurst();
  process.exit(0);
}
if (process.argv.includes('--guardrails')) {
  await (await import('./guardrail-bench.mjs')).guardrailBench();
  process.exit(0);
}
if (process.argv.includes('--rest-tool')) {
  await (await import('./rest-tool.mjs')).restToolBench();
  process.exit(0);
}
if (process.argv.includes('--tool-search')) {
  await (await import('./tool-search.mjs')).toolSearchBench();
  process.exit(0);
}
if (process.argv.includes('--workflow-budget')) {
  await (await import('./workflow-budget.mjs')).workflowBudgetBench();
  process.exit(0);
}
if (process.argv.includes('--timing-bounds')) {
  await (await import('./timing-bounds.mjs')).timingBoundsBench();
  process.exit(0);
}
if (process.argv.includes('--listen-fanout')) {
  // Runs on import, and exits: notifications across two nodes over PostgreSQL and Redis (#52).
  await import('./listen-fanout.mjs');
}
if (process.argv.includes('--apply-time')) {
  await (await import('./apply-time.mjs')).measureApplyTime();
  process.exit(0);
}

const env = process.env;
const workersAt = process.argv.indexOf('--workers');
const WORKERS = workersAt > 0 ? Number(process.argv[workersAt + 1]) : 0;
if (workersAt > 0 && !(Number.isInteger(WORKERS) && WORKERS >= 1)) throw new Error('--workers takes a whole number');
const QUICK = env.BENCH_QUICK === '1';
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SECONDS = Number(env.BENCH_SECONDS ?? (QUICK ? 3 : 8));
const WARMUP_SECONDS = QUICK ? 1 : 2;
const CONNECTIONS = 50;
const FIXED_RATE = 5_000;
const MEMORY = env.BENCH_MEMORY ? env.BENCH_MEMORY !== '0' : !QUICK && !WORKERS;
const MEMORY_ONLY = env.BENCH_MEMORY === 'only';
const METRICS = env.BENCH_METRICS === '1';
const PROFILE = env.BENCH_PROFILE === '1';
const DIAG = env.BENCH_DIAG === '1';
// Another build's dist/ (e.g. the previous commit, built elsewhere): its gatehouse runs beside this one.
const COMPARE_DIST = env.BENCH_COMPARE_DIST ?? null;
const RESULTS = join(BENCH_DIR, 'results');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

// ---------------------------------------------------------------------------------------------
// Build: the bench runs the compiled CLI, so rebuild when any source is newer than dist.

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
function ensureBuilt() {
  let built = 0;
  try {
    built = statSync(MAIN).mtimeMs;
  } catch {}
  if (built >= newest(join(ROOT, 'src'))) return;
  console.log('dist is missing or older than src: npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

// ---------------------------------------------------------------------------------------------
// Redis: the configured/default one when it answers, else one of our own when redis-server exists.

function redisAnswers(port) {
  return new Promise((resolve) => {
    const s = connect(port, HOST);
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(String(d).startsWith('+PONG')));
  });
}

async function findRedis() {
  if (env.BENCH_REDIS_URL) return { url: env.BENCH_REDIS_URL, proc: null };
  if (await redisAnswers(6379)) return { url: `redis://${HOST}:6379`, proc: null };
  const bin = which('redis-server');
  if (!bin) return null;
  const port = await freePort();
  const proc = startProcess('redis', bin, ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 50 && !(await redisAnswers(port)); i++) await sleep(100);
  return { url: `redis://${HOST}:${port}`, proc };
}

// ---------------------------------------------------------------------------------------------
// Servers

/** Starts a Gatehouse process (`--cpu-prof` into bench/results/profiles with BENCH_PROFILE=1). */
function startGatehouse(name, dataDir, port, extraEnv = {}, main = MAIN, args = []) {
  const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS, 'profiles')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
  return startGatehouseAt(name, main, dataDir, port, { env: extraEnv, nodeArgs, args });
}

/** CPU seconds of a process and its children (a `--workers` primary and its workers, nginx's master and workers). */
function treeCpuSeconds(pid) {
  const all = [pid, ...childPids(pid)].map(cpuSeconds);
  return { process: all.reduce((n, c) => n + c.process, 0), main: all.reduce((n, c) => n + c.main, 0) };
}

/** Resolves once the `--workers` gatehouse's aggregated /metrics lists `n` workers (each one serving). */
async function waitForWorkers(port, n) {
  for (let i = 0; i < 600; i++) {
    const text = (await httpGet(`http://${HOST}:${port}/metrics`, {}).catch(() => ({ body: '' }))).body;
    if ([...text.matchAll(/^gatehouse_worker_requests_total\{/gm)].length >= n) return;
    await sleep(200);
  }
  throw new Error(`gatehouse --workers ${n}: not every worker came up`);
}

/** Status of /proc/<pid>/status as numbers (kB fields in MB). */
function procMemory(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  return { rssMb: mb('VmRSS'), peakRssMb: mb('VmHWM') };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  ensureBuilt();
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  mkdirSync(RESULTS, { recursive: true });
  if (PROFILE) mkdirSync(join(RESULTS, 'profiles'), { recursive: true });
  const { seedThroughput, seedLarge } = await import('./seed.mjs');
  const tool = loadTool();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    gatehouseRuntime: DEPLOY_RUNTIME ? [...DEPLOY_RUNTIME.flags, ...Object.entries(DEPLOY_RUNTIME.env).map(([k, v]) => `${k}=${v}`)].join(' ') : 'defaults',
  };
  console.log(`Gatehouse benchmark — ${new Date().toISOString()} — ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}`);
  console.log(`gatehouse runtime: ${machine.gatehouseRuntime} (BENCH_RUNTIME=deploy: the deployment recipes' tuning)`);
  console.log(
    `load: ${tool === 'wrk' ? 'wrk -t2' : 'autocannon'} (closed loop), ${tool === 'wrk' ? 'wrk with random per-request pauses' : 'autocannon --overallRate (bursts: overstates latency)'} at ${FIXED_RATE} req/s (fixed rate); ${CONNECTIONS} keep-alive connections; ${ROUNDS} round(s) × ${SECONDS} s, interleaved`,
  );
  if (tool !== 'wrk')
    console.log('wrk not found on the PATH: using autocannon for the closed-loop runs (it saturates earlier than wrk; ratios stay comparable)');

  // Upstream and the reference proxies.
  const ports = {
    upstream: await freePort(),
    bare: await freePort(),
    fastgw: await freePort(),
    nginx: await freePort(),
    gh: await freePort(),
    ghRedis: await freePort(),
    ghOtel: await freePort(),
    otlp: await freePort(),
  };
  const upstreamOrigin = `http://${HOST}:${ports.upstream}`;
  const procs = [];
  procs.push(await startNode('upstream', 'upstream.mjs', [ports.upstream]));
  if (MEMORY_ONLY) {
    const memory = await memoryCheck(seedLarge, work, tool, upstreamOrigin);
    await procs[0].stop();
    writeFileSync(join(RESULTS, 'memory.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, memory }, null, 2)}\n`);
    console.log('\nwrote bench/results/memory.json');
    rmSync(work, { recursive: true, force: true });
    return;
  }
  procs.push(await startNode('bare', 'bare-proxy.mjs', [ports.bare, upstreamOrigin]));
  procs.push(await startNode('fast-gateway', 'fast-gateway.mjs', [ports.fastgw, upstreamOrigin]));
  const nginx = await startNginx(ports.nginx, ports.upstream, work);
  if (nginx) procs.push(nginx);
  else console.log('nginx: not installed (apt-get install nginx-light), skipping the nginx reference');

  // Gatehouse: one process with the in-memory limiter, one with the Redis limiter.
  const ghDir = join(work, 'gh');
  const seeded = await seedThroughput(ghDir, upstreamOrigin);
  // The oauth2 scenario's token endpoint is the loopback upstream.
  procs.push(await startGatehouse('gatehouse', ghDir, ports.gh, { GATEHOUSE_TOKEN_ENDPOINTS_ALLOW_PRIVATE_NETWORKS: '1' }));
  if (COMPARE_DIST) {
    ports.base = await freePort();
    const dir = join(work, 'gh-base');
    seeded.baseToken = (await seedThroughput(dir, upstreamOrigin)).token;
    procs.push(await startGatehouse('gatehouse-base', dir, ports.base, {}, join(COMPARE_DIST, 'cli', 'main.js')));
  }
  if (DIAG) {
    ports.diag = await freePort();
    procs.push(await startNode('gatehouse-diag', 'gateway-diag.mjs', [ports.diag, ghDir]));
  }
  // The OpenTelemetry scenario: the token path again, in a process that exports a span (and a log
  // record) per call to a local OTLP/HTTP sink. BENCH_OTEL=0 leaves it out.
  const OTEL = env.BENCH_OTEL !== '0';
  if (OTEL) {
    procs.push(await startNode('otlp-sink', 'otlp-sink.mjs', [ports.otlp]));
    const dir = join(work, 'gh-otel');
    seeded.otelToken = (await seedThroughput(dir, upstreamOrigin)).token;
    procs.push(await startGatehouse('gatehouse-otel', dir, ports.ghOtel, { GATEHOUSE_OTLP_ENDPOINT: `http://${HOST}:${ports.otlp}` }));
  }
  let nginxWorkers = null;
  if (WORKERS) {
    ports.ghWorkers = await freePort();
    const dir = join(work, 'gh-workers');
    seeded.workersToken = (await seedThroughput(dir, upstreamOrigin)).token;
    procs.push(await startGatehouse('gatehouse-workers', dir, ports.ghWorkers, {}, MAIN, ['--workers', String(WORKERS)]));
    await waitForWorkers(ports.ghWorkers, WORKERS);
    if (nginx) {
      ports.nginxWorkers = await freePort();
      nginxWorkers = await startNginx(ports.nginxWorkers, ports.upstream, work, { workers: WORKERS });
      if (nginxWorkers) procs.push({ ...nginxWorkers, name: 'nginx-workers' });
    }
  }
  const redis = await findRedis();
  let redisPrefix = null;
  if (redis) {
    const dir = join(work, 'gh-redis');
    await seedThroughput(dir, upstreamOrigin).then((s) => {
      seeded.redisToken = s.token;
    });
    redisPrefix = `gatehouse-bench-${process.pid}-${Date.now()}:`;
    if (redis.proc) procs.push(redis.proc);
    procs.push(await startGatehouse('gatehouse-redis', dir, ports.ghRedis, { GATEHOUSE_REDIS_URL: redis.url, GATEHOUSE_REDIS_PREFIX: redisPrefix }));
  } else console.log('redis: nothing answers on 127.0.0.1:6379 and redis-server is not installed, skipping the Redis scenario');

  const auth = (token) => ({ authorization: `Bearer ${token}` });
  const T = {
    direct: { label: 'direct (no proxy)', url: `${upstreamOrigin}/items` },
    bare: { label: 'bare Node proxy', url: `http://${HOST}:${ports.bare}/items` },
    // The floor for the POST scenarios: the same small JSON body streamed through the bare proxy.
    barePost: {
      label: 'bare Node proxy, POST',
      url: `http://${HOST}:${ports.bare}/items`,
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      body: seeded.postBody,
    },
    fastgw: { label: 'fast-gateway', url: `http://${HOST}:${ports.fastgw}/api/items` },
    ...(nginx ? { nginx: { label: 'nginx', url: `http://${HOST}:${ports.nginx}/items` } } : {}),
    ghPlain: { label: 'gatehouse plain', url: `http://${HOST}:${ports.gh}${seeded.plainPath}` },
    ghAuth: { label: 'gatehouse token+limit+log', url: `http://${HOST}:${ports.gh}${seeded.authPath}`, headers: auth(seeded.token) },
    ghAuthPost: {
      label: 'gatehouse token+limit+log, POST',
      url: `http://${HOST}:${ports.gh}${seeded.authPath}`,
      headers: { ...auth(seeded.token), 'content-type': 'application/json' },
      method: 'POST',
      body: seeded.postBody,
    },
    ghWorkflow: {
      label: 'gatehouse … + 5-node workflow, POST',
      url: `http://${HOST}:${ports.gh}${seeded.workflowPath}`,
      headers: { ...auth(seeded.token), 'content-type': 'application/json' },
      method: 'POST',
      body: seeded.postBody,
    },
    ghCache: { label: 'gatehouse token+limit+log, cache hit', url: `http://${HOST}:${ports.gh}${seeded.cachePath}`, headers: auth(seeded.token) },
    ghOAuth: { label: 'gatehouse … + oauth2 backend credential', url: `http://${HOST}:${ports.gh}${seeded.oauthPath}`, headers: auth(seeded.token) },
    ...(COMPARE_DIST
      ? {
          ghPlainBase: { label: 'compare build: plain', url: `http://${HOST}:${ports.base}${seeded.plainPath}` },
          ghAuthBase: { label: 'compare build: token+limit+log', url: `http://${HOST}:${ports.base}${seeded.authPath}`, headers: auth(seeded.baseToken) },
        }
      : {}),
    ...(OTEL
      ? { ghOtel: { label: 'gatehouse token+limit+log, OTel on', url: `http://${HOST}:${ports.ghOtel}${seeded.authPath}`, headers: auth(seeded.otelToken) } }
      : {}),
    ...(WORKERS
      ? {
          ghAuthWorkers: {
            label: `gatehouse token+limit+log, ${WORKERS} workers`,
            url: `http://${HOST}:${ports.ghWorkers}${seeded.authPath}`,
            headers: auth(seeded.workersToken),
            tree: true,
          },
          ...(nginxWorkers ? { nginxWorkers: { label: `nginx, ${WORKERS} workers`, url: `http://${HOST}:${ports.nginxWorkers}/items`, tree: true } } : {}),
        }
      : {}),
    ...(DIAG
      ? { ghDiag: { label: 'diag: token+limit, no-op recorder', url: `http://${HOST}:${ports.diag}${seeded.authPath}`, headers: auth(seeded.token) } }
      : {}),
    ...(redis
      ? { ghRedis: { label: 'gatehouse token+limit+log, Redis', url: `http://${HOST}:${ports.ghRedis}${seeded.authPath}`, headers: auth(seeded.redisToken) } }
      : {}),
  };

  // The process whose CPU time serves each target: for nginx its one worker, for direct the upstream.
  const pidOf = (name) => procs.find((p) => p.name === name)?.pid;
  const pids = {
    direct: pidOf('upstream'),
    bare: pidOf('bare'),
    barePost: pidOf('bare'),
    fastgw: pidOf('fast-gateway'),
    nginx: nginx ? childPids(nginx.pid)[0] : undefined,
  };
  for (const k of ['ghPlain', 'ghAuth', 'ghAuthPost', 'ghWorkflow', 'ghCache', 'ghOAuth']) pids[k] = pidOf('gatehouse');
  for (const k of ['ghPlainBase', 'ghAuthBase']) pids[k] = pidOf('gatehouse-base');
  pids.ghDiag = pidOf('gatehouse-diag');
  pids.ghRedis = pidOf('gatehouse-redis');
  pids.ghOtel = pidOf('gatehouse-otel');
  pids.ghAuthWorkers = pidOf('gatehouse-workers');
  pids.nginxWorkers = pidOf('nginx-workers');
  for (const [k, t] of Object.entries(T)) t.pid = pids[k];

  // Every target must answer 200 with the 1 KB body before anything is measured.
  for (const [key, t] of Object.entries(T)) {
    const r = t.method === 'POST' ? await httpPost(t.url, t.headers, t.body) : await httpGet(t.url, t.headers);
    if (r.status !== 200 || r.body.length !== 1024) throw new Error(`${key} answered ${r.status} (${r.body.length} bytes): ${r.body.slice(0, 300)}`);
    if (key === 'ghAuth' && r.headers['ratelimit-limit'] !== '100000000') throw new Error('gatehouse did not apply the rate-limit policy');
  }

  // BENCH_TARGETS=ghAuth,nginx,… narrows the run (direct, bare and fast-gateway always stay: the ratios need them).
  const narrowed = env.BENCH_TARGETS ?? (WORKERS ? 'ghAuth,nginx,ghAuthWorkers,nginxWorkers' : null);
  const only = narrowed ? new Set(['direct', 'bare', 'fastgw', ...narrowed.split(',')]) : null;
  if (only) for (const k of Object.keys(T)) if (!only.has(k)) delete T[k];
  const keys = Object.keys(T);
  const FIXED = env.BENCH_FIXED !== '0';
  console.log(`\nwarm-up: ${WARMUP_SECONDS} s per target`);
  for (const k of keys)
    await load(T[k].url, { seconds: WARMUP_SECONDS, connections: CONNECTIONS, headers: T[k].headers, method: T[k].method, body: T[k].body ?? null, tool });

  const raw = { throughput: {}, fixedRate: {} };
  for (const k of keys) {
    raw.throughput[k] = [];
    raw.fixedRate[k] = [];
  }
  const warnings = [];
  const measure = async (mode, k, r) => {
    const opts = {
      seconds: SECONDS,
      connections: CONNECTIONS,
      headers: T[k].headers,
      method: T[k].method,
      body: T[k].body ?? null,
      tool,
      rate: mode === 'fixedRate' ? FIXED_RATE : null,
    };
    const pid = T[k].pid;
    const cpuOf = T[k].tree ? treeCpuSeconds : cpuSeconds;
    const before = pid === undefined ? null : cpuOf(pid);
    const res = await load(T[k].url, opts);
    raw[mode][k].push(res);
    const bad = res.errors + res.non2xx;
    if (bad > 0) warnings.push(`${mode} round ${r + 1} ${k}: ${res.non2xx} non-2xx, ${res.errors} socket errors/timeouts`);
    // Let the gatehouse request-log writer flush its last batch before the next target starts
    // (its CPU time, read after the pause, includes writing them).
    await sleep(k.startsWith('gh') ? 1_200 : 300);
    const after = pid === undefined ? null : cpuOf(pid);
    res.cpuUs = before && after && res.requests > 0 ? ((after.process - before.process) * 1e6) / res.requests : Number.NaN;
    res.mainCpuUs = before && after && res.requests > 0 ? ((after.main - before.main) * 1e6) / res.requests : Number.NaN;
    const cpu = mode === 'throughput' && Number.isFinite(res.cpuUs) ? `  cpu ${fmt.us(res.cpuUs)} µs/call (main ${fmt.us(res.mainCpuUs)})` : '';
    console.log(
      `  round ${r + 1}/${ROUNDS} ${mode === 'fixedRate' ? 'fixed ' : 'closed'} ${T[k].label.padEnd(34)} ${fmt.rps(res.rps).padStart(7)} req/s  p50 ${fmt.ms(res.p50)} ms  p99 ${fmt.ms(res.p99)} ms${cpu}${bad ? `  (${bad} failed)` : ''}`,
    );
  };
  console.log(`\nclosed loop (as fast as each answers), ${CONNECTIONS} connections`);
  for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < keys.length; i++) await measure('throughput', keys[(i + r) % keys.length], r);
  console.log(`\nfixed rate ${FIXED_RATE.toLocaleString()} req/s, ${CONNECTIONS} connections`);
  if (FIXED) for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < keys.length; i++) await measure('fixedRate', keys[(i + r) % keys.length], r);

  const med = { throughput: {}, fixedRate: {} };
  for (const mode of ['throughput', 'fixedRate'])
    for (const k of keys) {
      const runs = raw[mode][k];
      med[mode][k] = {
        rps: median(runs.map((x) => x.rps)),
        p50: median(runs.map((x) => x.p50)),
        p99: median(runs.map((x) => x.p99)),
        cpuUs: median(runs.map((x) => x.cpuUs)),
        mainCpuUs: median(runs.map((x) => x.mainCpuUs)),
      };
    }

  // Tables.
  const hasNginx = Boolean(T.nginx);
  const refs = ['direct', 'bare', 'fastgw', ...(hasNginx ? ['nginx'] : [])];
  const scenarios = [
    { key: 'plain', title: 'plain proxy (anonymous collection, no policy)', gh: 'ghPlain' },
    { key: 'auth', title: 'token auth + rate-limit policy + request logging (in-memory limiter)', gh: 'ghAuth' },
    ...(redis ? [{ key: 'redis', title: 'token auth + rate-limit policy + request logging (Redis limiter)', gh: 'ghRedis' }] : []),
    {
      key: 'otel',
      title: 'token auth + rate limit + logging + OpenTelemetry export (a span and a log record per call, OTLP/HTTP to a local sink)',
      gh: 'ghOtel',
    },
    ...(WORKERS
      ? [
          {
            key: 'workers',
            title: `token auth + rate-limit policy + request logging, serve --workers ${WORKERS} (leased limiter, one log writer)`,
            gh: 'ghAuthWorkers',
          },
        ]
      : []),
    ...(COMPARE_DIST
      ? [
          { key: 'comparePlain', title: `compare build (${COMPARE_DIST}): plain proxy`, gh: 'ghPlainBase' },
          { key: 'compareAuth', title: `compare build (${COMPARE_DIST}): token auth + rate limit + logging`, gh: 'ghAuthBase' },
        ]
      : []),
    ...(DIAG ? [{ key: 'diag', title: 'diagnostic: token auth + rate limit, request log dropped (no-op recorder)', gh: 'ghDiag' }] : []),
    { key: 'workflowBase', title: 'token auth + rate limit + logging, POST with a small JSON body (the workflow scenario without one)', gh: 'ghAuthPost' },
    {
      key: 'workflow',
      title: 'token auth + rate limit + logging + a five-node workflow (header, CEL condition, route, validate_request, response header), POST',
      gh: 'ghWorkflow',
    },
    { key: 'cache', title: 'token auth + rate limit + logging + a cache node, every call a hit', gh: 'ghCache' },
    { key: 'oauth2', title: 'token auth + rate limit + logging + an oauth2_client_credentials backend credential (cached token)', gh: 'ghOAuth' },
  ];
  const report = { scenarios: {}, fixedRate: {} };
  const tp = med.throughput;
  for (const s of scenarios) {
    if (!T[s.gh]) continue;
    console.log(`\n== ${s.title}: closed loop, median of ${ROUNDS} ==`);
    const rows = [];
    const out = {};
    for (const k of [...refs, s.gh]) {
      const m = tp[k];
      const x = {
        ...m,
        vsDirect: ratio(m.rps, tp.direct.rps),
        vsBare: ratio(m.rps, tp.bare.rps),
        vsFastGateway: ratio(m.rps, tp.fastgw.rps),
        vsNginx: hasNginx ? ratio(m.rps, tp.nginx.rps) : null,
        // Calls served per CPU second against the bare proxy's: above 1.00× is cheaper than it.
        cpuVsBare: ratio(tp.bare.cpuUs, m.cpuUs),
      };
      out[k] = x;
      rows.push([
        T[k].label,
        fmt.rps(m.rps),
        fmt.ms(m.p50),
        fmt.ms(m.p99),
        fmt.x(x.vsDirect),
        fmt.x(x.vsBare),
        fmt.x(x.vsFastGateway),
        hasNginx ? fmt.x(x.vsNginx) : '—',
        fmt.us(m.cpuUs),
        fmt.x(x.cpuVsBare),
      ]);
    }
    printTable(['target', 'req/s', 'p50 ms', 'p99 ms', '×direct', '×bare', '×fast-gw', '×nginx', 'cpu µs', 'cpu ×bare'], rows);
    report.scenarios[s.key] = out;
  }

  if (FIXED) {
    console.log(
      `\n== latency at a fixed ${FIXED_RATE.toLocaleString()} req/s (${tool === 'wrk' ? 'paced wrk' : 'autocannon --overallRate'}), median of ${ROUNDS} ==`,
    );
    const fr = med.fixedRate;
    const rows = [];
    for (const k of keys) {
      const m = fr[k];
      const x = {
        ...m,
        p99VsBare: ratio(m.p99, fr.bare.p99),
        p99VsFastGateway: ratio(m.p99, fr.fastgw.p99),
        p99VsNginx: hasNginx ? ratio(m.p99, fr.nginx.p99) : null,
      };
      report.fixedRate[k] = x;
      rows.push([
        T[k].label,
        fmt.rps(m.rps),
        fmt.ms(m.p50),
        fmt.ms(m.p99),
        fmt.x(x.p99VsBare),
        fmt.x(x.p99VsFastGateway),
        hasNginx ? fmt.x(x.p99VsNginx) : '—',
      ]);
    }
    printTable(['target', 'req/s', 'p50 ms', 'p99 ms', 'p99 ×bare', 'p99 ×fast-gw', 'p99 ×nginx'], rows);
  }

  // The throughput above counts only if every call was also logged: the writer must not have shed records.
  const logDrops = {};
  for (const [name, port] of [
    ['gatehouse', ports.gh],
    ['gatehouse-redis', redis ? ports.ghRedis : null],
    ['gatehouse-otel', OTEL ? ports.ghOtel : null],
    ['gatehouse-workers', WORKERS ? ports.ghWorkers : null],
  ]) {
    if (port === null) continue;
    const text = (await httpGet(`http://${HOST}:${port}/metrics`, {})).body;
    logDrops[name] = [...text.matchAll(/^gatehouse_request_logs_dropped_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (name === 'gatehouse-otel') {
      // The last records reach the sink within the writer's flush (500 ms) and the export's send delay (1 s).
      await sleep(2_500);
      const after = (await httpGet(`http://${HOST}:${port}/metrics`, {})).body;
      const otelDrops = [...after.matchAll(/^gatehouse_otel_dropped_total\{([^}]*)\} (\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
      const sink = JSON.parse((await httpGet(`http://${HOST}:${ports.otlp}/stats`, {})).body);
      console.log(
        `OpenTelemetry: the sink received ${sink['/v1/traces'].requests} trace exports (${(sink['/v1/traces'].bytes / 2 ** 20).toFixed(1)} MiB) and ${sink['/v1/logs'].requests} log exports (${(sink['/v1/logs'].bytes / 2 ** 20).toFixed(1)} MiB); dropped: ${otelDrops.join(', ') || 'none'}`,
      );
      // Every call served is a log record and a SERVER span, plus a CLIENT span if it reached the
      // upstream (one attempt each here): every 2xx did; of the others (a few from the seeding) the
      // metrics do not say which, so their CLIENT spans are bounded, not counted.
      const served = (filter) =>
        [...after.matchAll(/^gatehouse_requests_total\{([^}]*)\} (\d+)/gm)].filter((m) => filter(m[1])).reduce((n, m) => n + Number(m[2]), 0);
      const calls = served(() => true);
      const fewestSpans = calls + served((labels) => labels.includes('status_class="2xx"'));
      // Request-log records only: the seeding's audit entries are log records too (another scope).
      const got = { logs: sink['/v1/logs'].scopes['gatehouse.request-log'] ?? 0, spans: sink['/v1/traces'].records };
      const complete = got.logs === calls && got.spans >= fewestSpans && got.spans <= 2 * calls;
      console.log(
        `OpenTelemetry: ${calls} calls served, ${got.logs} request-log records and ${got.spans} spans received (expected ${calls}, and ${fewestSpans}–${2 * calls}): ${complete ? 'every one' : 'MISSING'}`,
      );
      if (!complete) warnings.push('the OTLP sink did not receive every span and log record of the OTel-on gateway');
    }
  }
  console.log(
    `\nrequest-log records dropped during the runs: ${Object.entries(logDrops)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  if (Object.values(logDrops).some((n) => n > 0)) warnings.push('the request-log writer dropped records: Gatehouse logged less than it served');

  // The issue's targets, for the token-auth configuration.
  const a = report.scenarios.auth?.ghAuth ?? {};
  const f = report.fixedRate.ghAuth ?? {};
  const targets = [
    ['req/s ≥ 0.9× bare Node proxy', a.vsBare, a.vsBare >= 0.9],
    ['req/s ≥ 1.5× fast-gateway', a.vsFastGateway, a.vsFastGateway >= 1.5],
    ['p99 at 5k req/s ≤ 1.2× bare Node proxy', f.p99VsBare, f.p99VsBare <= 1.2],
    ['p99 at 5k req/s below fast-gateway', f.p99VsFastGateway, f.p99VsFastGateway < 1],
  ];
  // The same ratio round by round (each round's figures come from one pass over the targets), so a
  // verdict that hangs on one slow round shows as a wide range.
  const perRound = (mode, ref, field) => {
    const runs = raw[mode].ghAuth ?? [];
    const xs = runs.map((x, r) => ratio(x[field], raw[mode][ref]?.[r]?.[field])).filter(Number.isFinite);
    return xs.length > 1 ? `  (rounds ${fmt.x(Math.min(...xs))}–${fmt.x(Math.max(...xs))})` : '';
  };
  const perRoundOf = (k, ref) => {
    const xs = (raw.throughput[k] ?? []).map((x, r) => ratio(x.rps, raw.throughput[ref]?.[r]?.rps)).filter(Number.isFinite);
    return xs.length > 1 ? `  (rounds ${fmt.x(Math.min(...xs))}–${fmt.x(Math.max(...xs))})` : '';
  };
  const spreads = [
    perRound('throughput', 'bare', 'rps'),
    perRound('throughput', 'fastgw', 'rps'),
    perRound('fixedRate', 'bare', 'p99'),
    perRound('fixedRate', 'fastgw', 'p99'),
  ];
  console.log('\ntargets (token auth + rate limit + logging, in-memory limiter):');
  for (const [i, [name, v, ok]] of targets.entries()) console.log(`  ${ok ? 'met   ' : 'MISSED'} ${name}: ${fmt.x(v)}${spreads[i]}`);
  // Workflows (issue 22): a five-node workflow against the same POST without one; cache hits against the bare proxy.
  const wfRatio = ratio(tp.ghWorkflow?.rps, tp.ghAuthPost?.rps);
  const cacheRatio = ratio(tp.ghCache?.rps, tp.bare?.rps);
  // The POST path (issue 55): a small JSON body against the same caller's GET and against the bare proxy's POST.
  const postVsGet = ratio(tp.ghAuthPost?.rps, tp.ghAuth?.rps);
  const postVsBare = ratio(tp.ghAuthPost?.rps, tp.barePost?.rps);
  const workflowTargets = [
    ['POST req/s ≥ 0.9× the same caller’s GET', postVsGet, postVsGet >= 0.9, perRoundOf('ghAuthPost', 'ghAuth')],
    ['POST req/s ≥ 0.9× the bare Node proxy’s POST', postVsBare, postVsBare >= 0.9, perRoundOf('ghAuthPost', 'barePost')],
    ['5-node workflow req/s ≥ 0.85× the same scenario without it', wfRatio, wfRatio >= 0.85, perRoundOf('ghWorkflow', 'ghAuthPost')],
    ['cache-hit req/s ≥ 1.5× bare Node proxy', cacheRatio, cacheRatio >= 1.5, perRoundOf('ghCache', 'bare')],
  ];
  // Backend credentials (issue 23): an oauth2 backend credential with its token cached, against the same GET without one.
  const oauthRatio = ratio(tp.ghOAuth?.rps, tp.ghAuth?.rps);
  workflowTargets.push([
    'oauth2 backend credential req/s ≥ 0.95× the same scenario without it',
    oauthRatio,
    oauthRatio >= 0.95,
    perRoundOf('ghOAuth', 'ghAuth'),
  ]);
  // OpenTelemetry (issue 26): the same token path with span and log-record export on, against it off.
  const otelRatio = ratio(tp.ghOtel?.rps, tp.ghAuth?.rps);
  workflowTargets.push(['OpenTelemetry export on req/s ≥ 0.9× off', otelRatio, otelRatio >= 0.9, perRoundOf('ghOtel', 'ghAuth')]);
  console.log('\ntargets (POST, workflows, backend credentials, OpenTelemetry):');
  for (const [name, v, ok, spread] of workflowTargets) if (Number.isFinite(v)) console.log(`  ${ok ? 'met   ' : 'MISSED'} ${name}: ${fmt.x(v)}${spread}`);
  targets.push(...workflowTargets.map(([name, v, ok]) => [name, v, ok]));
  // Not a verdict: the same comparison by CPU per call, which other load on the machine moves far less than req/s.
  const cpu = (k) => `${fmt.us(tp[k].cpuUs)} µs (main thread ${fmt.us(tp[k].mainCpuUs)})`;
  if (T.ghAuth && Number.isFinite(tp.ghAuth?.cpuUs))
    console.log(
      `  info   CPU per call: ${T.ghAuth.label} ${cpu('ghAuth')}, bare ${cpu('bare')}, fast-gateway ${cpu('fastgw')}: ${fmt.x(ratio(tp.bare.cpuUs, tp.ghAuth.cpuUs))} bare's calls per CPU second, ${fmt.x(ratio(tp.fastgw.cpuUs, tp.ghAuth.cpuUs))} fast-gateway's`,
    );
  if (WORKERS && T.ghAuthWorkers) {
    const single = ratio(tp.ghAuthWorkers?.rps, tp.ghAuth?.rps);
    console.log(
      `\ntargets (serve --workers ${WORKERS}, token auth + rate limit + logging; the machine has ${machine.cpus} CPUs shared with the load generator and the upstream):`,
    );
    console.log(`  ${single >= 1.4 ? 'met   ' : 'MISSED'} req/s ≥ 1.4× the single process: ${fmt.x(single)}${perRoundOf('ghAuthWorkers', 'ghAuth')}`);
    if (T.nginxWorkers)
      console.log(
        `  info   against nginx with ${WORKERS} workers: ${fmt.x(ratio(tp.ghAuthWorkers?.rps, tp.nginxWorkers?.rps))}${perRoundOf('ghAuthWorkers', 'nginxWorkers')}; nginx ${WORKERS} workers ÷ 1 worker: ${fmt.x(ratio(tp.nginxWorkers?.rps, tp.nginx?.rps))}`,
      );
    targets.push([`serve --workers ${WORKERS} req/s ≥ 1.4× the single process`, single, single >= 1.4]);
  }
  if (warnings.length) {
    console.log('\nwarnings:');
    for (const w of warnings) console.log(`  ${w}`);
  }

  // Everything but the upstream stops; the memory check needs the upstream again.
  const upstreamProc = procs.shift();
  for (const p of procs.reverse()) await p.stop();

  // Memory: a real `gatehouse serve` with 10k endpoints and 100k credentials loaded.
  let memory = null;
  if (MEMORY) memory = await memoryCheck(seedLarge, work, tool, upstreamOrigin);
  else console.log('\nmemory check: skipped (BENCH_QUICK=1 or BENCH_MEMORY=0)');
  await upstreamProc.stop();

  let metrics = null;
  if (METRICS) metrics = metricsCheck();
  else console.log('metrics queries over 5M requests: skipped (BENCH_METRICS=1 runs bench/metrics-queries.mjs; filling takes minutes)');

  const result = {
    date: new Date().toISOString(),
    machine,
    config: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, fixedRate: FIXED_RATE, tool, nginx: Boolean(nginx), redis: redis ? redis.url : null },
    targets: Object.fromEntries(Object.entries(T).map(([k, t]) => [k, t.label])),
    medians: med,
    logDrops,
    report,
    issueTargets: targets.map(([name, value, met]) => ({ name, value, met })),
    memory,
    metrics,
    warnings,
    raw,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwrote bench/results/latest.json (${result.durationSeconds} s in all)`);
  rmSync(work, { recursive: true, force: true });
}

async function memoryCheck(seedLarge, work, tool, upstreamOrigin) {
  const ENDPOINTS = 10_000;
  const CREDENTIALS = 100_000;
  console.log(`\n== memory: gatehouse serve with ${ENDPOINTS.toLocaleString()} endpoints and ${CREDENTIALS.toLocaleString()} credentials ==`);
  const port = await freePort();
  const dir = join(work, 'gh-memory');
  const t0 = Date.now();
  const seeded = await seedLarge(dir, upstreamOrigin, { endpoints: ENDPOINTS, credentials: CREDENTIALS, log: (m) => console.log(m) });
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s (endpoints through the executor, credentials bulk-inserted)`);
  const t1 = Date.now();
  const gh = await startGatehouse('gatehouse-memory', dir, port);
  const startMs = Date.now() - t1;
  const url = `http://${HOST}:${port}${seeded.path}`;
  const headers = { authorization: `Bearer ${seeded.token}` };
  const probe = await httpGet(url, headers);
  if (probe.status !== 200) throw new Error(`memory gatehouse answered ${probe.status}: ${probe.body.slice(0, 300)}`);
  await sleep(1_000);
  const idle = procMemory(gh.pid);
  const loaded = await load(url, { seconds: QUICK ? 2 : 5, connections: CONNECTIONS, headers, tool });
  await sleep(1_500);
  const after = procMemory(gh.pid);
  await gh.stop();
  const memory = {
    endpoints: seeded.endpoints,
    credentials: seeded.credentials,
    startSeconds: startMs / 1000,
    rssAfterStartMb: idle.rssMb,
    rssAfterLoadMb: after.rssMb,
    peakRssMb: after.peakRssMb,
    loadRps: loaded.rps,
    // The peak covers start-up and load too: the RSS must never have passed the line.
    underTarget: Math.max(after.rssMb, idle.rssMb, after.peakRssMb) < 200,
  };
  printTable(
    ['measure', 'value'],
    [
      ['ready after (s)', memory.startSeconds.toFixed(1)],
      ['RSS after start (MB)', memory.rssAfterStartMb.toFixed(0)],
      [`RSS after ${QUICK ? 2 : 5} s of load (MB)`, memory.rssAfterLoadMb.toFixed(0)],
      ['peak RSS, VmHWM (MB)', memory.peakRssMb.toFixed(0)],
      ['req/s during that load', fmt.rps(loaded.rps)],
    ],
  );
  console.log(
    `${memory.underTarget ? 'met   ' : 'MISSED'} RSS (peak included) < 200 MB with ${ENDPOINTS.toLocaleString()} endpoints and ${CREDENTIALS.toLocaleString()} credentials`,
  );
  return memory;
}

function metricsCheck() {
  console.log('\n== metrics queries over 5,000,000 logged requests (bench/metrics-queries.mjs) ==');
  const r = spawnSync(process.execPath, [join(BENCH_DIR, 'metrics-queries.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 30 * 60_000 });
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    console.log(`metrics-queries failed: ${r.stderr.slice(-1000)}`);
    return { error: r.stderr.slice(-1000) };
  }
  const queries = [];
  for (const m of r.stdout.matchAll(/^(.+?)\s{2,}([\d.]+) ms\s+([\d.]+) ms/gm))
    queries.push({ name: m[1].trim(), medianMs: Number(m[2]), maxMs: Number(m[3]) });
  const slowest = Number(/slowest single run: ([\d.]+) ms/.exec(r.stdout)?.[1] ?? Number.NaN);
  return { queries, slowestMs: slowest, underTarget: slowest < 100 };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
