// Helpers of the benchmark runner: processes, ports, load generators, nginx, statistics.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);
export const HOST = '127.0.0.1';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The absolute path of an executable on the PATH, or null. */
export function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    const p = join(d, name);
    if (d && existsSync(p)) return p;
  }
  return null;
}

const children = new Set();
/** Kills every process this runner started (its own children, by pid). */
export function killAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
process.on('exit', killAll);

/** Spawns a long-running process; its stderr is kept (last 4 KB) for error messages. */
export function startProcess(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let tail = '';
  const keep = (d) => {
    tail = (tail + d).slice(-4096);
  };
  child.stderr.on('data', keep);
  child.stdout.on('data', keep);
  return {
    name,
    child,
    get pid() {
      return child.pid;
    },
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Starts one of the bench's Node scripts (`script` in bench/) and resolves once it prints "listening". */
export async function startNode(name, script, args, nodeArgs = []) {
  const proc = startProcess(name, process.execPath, [...nodeArgs, join(BENCH_DIR, script), ...args.map(String)]);
  await new Promise((resolve, reject) => {
    const onData = (d) => {
      if (String(d).includes('listening')) {
        proc.child.stdout.off('data', onData);
        resolve();
      }
    };
    proc.child.stdout.on('data', onData);
    proc.child.once('exit', (code) => reject(new Error(`${name} exited (${code}): ${proc.output()}`)));
  });
  return proc;
}

/**
 * `BENCH_RUNTIME=deploy`: Gatehouse processes start with the runtime tuning of the deployment recipes
 * (Dockerfile, deploy/; docs/operations/runtime-tuning.md), the other processes as they are.
 * Unset, every process runs on Node's and glibc's defaults, as `gatehouse serve` does when started plainly.
 */
export const DEPLOY_RUNTIME =
  process.env.BENCH_RUNTIME === 'deploy'
    ? { flags: ['--max-semi-space-size=8', '--heap-growing-percent=50', '--no-maglev'], env: { MALLOC_ARENA_MAX: '2' } }
    : null;

/**
 * Starts `gatehouse serve` from the CLI at `main` (a build's dist/cli/main.js) over `dataDir` and
 * resolves once it is ready and has served one OAuth request, as a deployment whose clients log in
 * has (one such request once left async hooks on for every later call).
 */
export async function startGatehouseAt(name, main, dataDir, port, { env = {}, nodeArgs = [], args = [], https = false } = {}) {
  const base = `${https ? 'https' : 'http'}://${HOST}:${port}`;
  const tuning = DEPLOY_RUNTIME ?? { flags: [], env: {} };
  const proc = startProcess(name, process.execPath, [...tuning.flags, ...nodeArgs, main, 'serve', '--port', String(port), '--data-dir', dataDir, ...args], {
    env: { ...process.env, ...tuning.env, GATEHOUSE_LOG_LEVEL: 'warn', ...env },
  });
  await waitForReady(base, proc);
  const oauth = await httpGet(`${base}/oauth/jwks`);
  if (oauth.status !== 200) throw new Error(`${name}: GET /oauth/jwks answered ${oauth.status}`);
  return proc;
}

/** Resolves once the gateway at `base` (its proxy listener) says it is ready (`/readyz` 200), or fails after a minute or when `proc` exits. */
export function waitForReady(base, proc) {
  return waitForHttp(`${base}/readyz`, proc, { okStatus: (s) => s === 200, timeoutMs: 60_000 });
}

/** Resolves when a GET to url answers `status` (default any < 500), or fails after timeoutMs. */
export async function waitForHttp(url, proc, { timeoutMs = 30_000, headers = {}, okStatus = (s) => s < 500 } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = await httpGet(url, headers).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 0 && okStatus(status)) return;
    if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}):\n${proc.output()}`);
    if (Date.now() > until) throw new Error(`${url} did not answer in time (last status ${status})${proc ? `:\n${proc.output()}` : ''}`);
    await sleep(100);
  }
}

/** One GET with a 2 s timeout: { status, body, headers }. */
export function httpGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    // https targets are the bench's own, with a self-signed loopback certificate.
    const send = url.startsWith('https:') ? (u, o, cb) => httpsRequest(u, { ...o, rejectUnauthorized: false }, cb) : request;
    const req = send(url, { headers, agent: false, timeout: 2_000 }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** One POST with a body, answered as httpGet answers. */
export function httpPost(url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false, timeout: 2_000 }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Load generators

/** The autocannon the project installs (the fallback load generator). */
export const AUTOCANNON = join(ROOT, 'node_modules', '.bin', 'autocannon');

/** Which closed-loop generator is used: wrk when on the PATH (and not BENCH_TOOL=autocannon). */
export function loadTool() {
  if (process.env.BENCH_TOOL === 'autocannon') return 'autocannon';
  return which('wrk') ? 'wrk' : 'autocannon';
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      children.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

function wrkMs(value, unit) {
  const v = Number(value);
  return unit === 'us' ? v / 1000 : unit === 's' ? v * 1000 : unit === 'm' ? v * 60_000 : v;
}

let scriptCount = 0;
/**
 * A wrk Lua script for the request shape and, when `meanDelayMs` is set, a pause before each
 * request on each connection, drawn uniformly from [0, 2 × mean] (rounded to wrk's 1 ms timer),
 * so the connections drift apart and arrivals spread over time instead of coming in waves.
 */
function wrkScript({ method = 'GET', body = null, headers = {}, meanDelayMs = null }) {
  const lines = [`wrk.method = ${JSON.stringify(method)}`];
  if (body !== null) lines.push(`wrk.body = ${JSON.stringify(body)}`);
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  if (meanDelayMs !== null) {
    lines.push('function init(args) math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000) end');
    lines.push(`function delay() return math.floor(math.random() * ${2 * meanDelayMs} + 0.5) end`);
  }
  const dir = join(tmpdir(), 'gatehouse-bench-wrk');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${scriptCount++}.lua`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function runWrk(url, { seconds, connections, timeoutMs, ...shape }) {
  const script = wrkScript(shape);
  try {
    const args = ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s', '-s', script, url];
    const out = await run(which('wrk'), args, timeoutMs);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    const pct = (p) => {
      const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
      return m ? wrkMs(m[1], m[2]) : Number.NaN;
    };
    const avg = /^\s+Latency\s+([\d.]+)(us|ms|s|m)/m.exec(out);
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const errors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
    return { rps, p50: pct(50), p99: pct(99), mean: avg ? wrkMs(avg[1], avg[2]) : Number.NaN, errors, non2xx, requests, tool: 'wrk' };
  } finally {
    rmSync(script, { force: true });
  }
}

/**
 * An open-loop-like run at `rate` requests/s overall with wrk: each of the `connections` waits a
 * random pause (mean = the connection's share of the interval minus the service time) before each
 * request, so requests arrive spread over each second at about the rate. A 2 s pilot measures the
 * service time first; `rps` reports the rate actually reached. (autocannon's --overallRate is not
 * this: each connection sends its per-second share back to back at the top of every second, so
 * its latencies are those of a burst at full concurrency.)
 */
async function pacedWrk(url, { seconds, connections, rate, timeoutMs, ...shape }) {
  const cycleMs = (connections * 1000) / rate;
  const pilot = await runWrk(url, { ...shape, seconds: 2, connections, timeoutMs, meanDelayMs: cycleMs });
  const serviceMs = Number.isFinite(pilot.rps) && pilot.rps > 0 ? Math.max(0, (connections * 1000) / pilot.rps - cycleMs) : 0;
  const meanDelayMs = Math.max(0, Math.round((cycleMs - serviceMs) * 100) / 100);
  return { ...(await runWrk(url, { ...shape, seconds, connections, timeoutMs, meanDelayMs })), rate };
}

/**
 * Drives url with `connections` keep-alive connections for `seconds`: closed loop (as fast as the
 * server answers) unless `rate` is given, then paced at about `rate` requests/s (wrk with random
 * per-request pauses; autocannon --overallRate only when wrk is missing, whose bursts overstate
 * latency). Returns { rps, p50, p99, errors, non2xx, requests, tool }.
 */
export async function load(url, { seconds, connections = 50, headers = {}, method = 'GET', body = null, rate = null, tool = loadTool() }) {
  const timeoutMs = (seconds + 30) * 1000;
  if (tool === 'wrk') {
    const shape = { seconds, connections, headers, method, body, timeoutMs };
    return rate === null ? runWrk(url, shape) : pacedWrk(url, { ...shape, rate });
  }
  const args = ['--json', '-c', String(connections), '-d', String(seconds)];
  if (rate !== null) args.push('--overallRate', String(rate));
  if (method !== 'GET') args.push('-m', method);
  if (body !== null) args.push('-b', body);
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const out = await run(AUTOCANNON, args, timeoutMs);
  const j = JSON.parse(out.slice(out.indexOf('{')));
  return {
    rps: j.requests.average,
    p50: j.latency.p50,
    p99: j.latency.p99,
    errors: j.errors + j.timeouts,
    non2xx: j.non2xx,
    requests: j.requests.total,
    tool: 'autocannon',
  };
}

// ---------------------------------------------------------------------------------------------
// nginx

/**
 * Starts nginx (one worker by default, like one Node process) proxying to upstream with a
 * keep-alive pool; null when not installed. With `tls` ({ cert, key } file paths) it terminates
 * TLS on `port`.
 */
export async function startNginx(port, upstreamPort, workDir, { workers = 1, tls = null, name = workers === 1 ? 'nginx' : `nginx-${workers}w` } = {}) {
  const bin = which('nginx');
  if (!bin) return null;
  const dir = join(workDir, name);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const conf = `
${asRoot ? 'user root;' : ''}
worker_processes ${workers};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  upstream bench_upstream {
    server ${HOST}:${upstreamPort};
    keepalive 256;
  }
  server {
    listen ${HOST}:${port}${tls ? ' ssl' : ''};
    ${
      tls
        ? `ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_protocols TLSv1.3;`
        : ''
    }
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
  const confPath = join(dir, 'nginx.conf');
  writeFileSync(confPath, conf);
  const test = spawnSync(bin, ['-t', '-p', dir, '-c', confPath], { encoding: 'utf8' });
  if (test.status !== 0) {
    console.log(`nginx: config test failed, skipping nginx: ${test.stderr.trim().split('\n').pop()}`);
    return null;
  }
  const proc = startProcess(name, bin, ['-p', dir, '-c', confPath]);
  await waitForHttp(`${tls ? 'https' : 'http'}://${HOST}:${port}/nginx-probe`, proc);
  return proc;
}

// ---------------------------------------------------------------------------------------------
// CPU time, from /proc (Linux): what a process spent serving a run, independent of how much of the
// machine the load generator, the upstream and the other targets took from it meanwhile.

// USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux this runs on.
const TICKS_PER_SECOND = 100;

/** utime and stime, in seconds, from a /proc stat file; NaN where it cannot be read. */
function statTimes(path) {
  try {
    const text = readFileSync(path, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { user: Number(f[11]) / TICKS_PER_SECOND, sys: Number(f[12]) / TICKS_PER_SECOND };
  } catch {
    return { user: Number.NaN, sys: Number.NaN };
  }
}

/**
 * CPU seconds used so far by a process (all its threads) and by its main thread alone, the main
 * thread's also split into user and system time.
 */
export function cpuSeconds(pid) {
  const all = statTimes(`/proc/${pid}/stat`);
  const main = statTimes(`/proc/${pid}/task/${pid}/stat`);
  return { process: all.user + all.sys, main: main.user + main.sys, mainUser: main.user, mainSys: main.sys };
}

/** The pids whose parent is `pid` (nginx's worker under its master), or [] where /proc is absent. */
export function childPids(pid) {
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const text = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(e));
    } catch {}
  }
  return out;
}

/**
 * A bearer token for `resource` from a token endpoint, by a service account's client credentials
 * (`sa`: { clientId, clientSecret }); throws with the endpoint's answer when it gives none.
 */
export async function clientCredentialsToken(tokenEndpoint, sa, resource) {
  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${sa.clientId}:${sa.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
  });
  const body = await res.json();
  if (typeof body.access_token !== 'string') throw new Error(`token: ${JSON.stringify(body)}`);
  return body.access_token;
}

// Statistics and output

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
}

export const fmt = {
  rps: (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—'),
  ms: (x) => (Number.isFinite(x) ? x.toFixed(2) : '—'),
  x: (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—'),
  us: (x) => (Number.isFinite(x) ? x.toFixed(1) : '—'),
};

/** Prints rows (arrays of cells) as an aligned text table with a header. */
export function printTable(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** A request-log record of a proxied GET, numbered `n` (what the OTel benches feed the writer). */
export const requestRecord = (n, time = new Date().toISOString()) => ({
  id: `0191e0c1-aaaa-7bbb-8ccc-${String(n).padStart(12, '0')}`,
  requestId: `req_${n}`,
  time,
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
  subject: null,
  actor: null,
  mcpMethod: null,
});
