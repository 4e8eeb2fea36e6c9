// Instructions per request, counted by valgrind's callgrind: repeatable to ~1 % on a machine whose
// timings drift ±15 % from round to round, so a change of a few µs a call can be seen at all.
// Each target runs under callgrind (separate threads); after a warm-up the counters are zeroed,
// N requests are sent one at a time, and the main thread's instructions are read and divided by N.
// Not a throughput benchmark: sequential requests, and valgrind runs everything ~50× slower.
//
// Usage: node bench/instructions.mjs [--requests 3000] [--warmup 3000] [--connections 1] [--oauth-first] [--post | --cache] [bare] [path/to/dist ...]
//   --post sends the bench's small JSON POST instead of the GET (on the bare proxy too); --cache calls gatehouse's cached route (every call a hit).
//   --connections N keeps N requests in flight instead of one at a time (50: the load of the throughput runs).
//   (default: the bare Node proxy and ./dist; each dist is a `gatehouse serve` with token + limit + log)
//   --oauth-first sends one OAuth request (GET /oauth/jwks) to each gatehouse before the warm-up.
//   otel:path/to/dist runs that build with OpenTelemetry export on (GATEHOUSE_OTLP_ENDPOINT, to bench/otlp-sink.mjs).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AUTOCANNON, BENCH_DIR, freePort, HOST, httpGet, killAll, ROOT, startNode, startProcess, waitForHttp, which } from './lib.mjs';
import { seedThroughput } from './seed.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i === -1) return null;
  args.splice(i, 1);
  return true;
};
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const REQUESTS = Number(option('--requests', '3000'));
// Long enough for the hot functions to reach optimized code: with less, when TurboFan finishes under
// valgrind varies from run to run, and so do the counts (by ~5 % with a 1,000-request warm-up).
const WARMUP = Number(option('--warmup', String(REQUESTS)));
const OAUTH_FIRST = flag('--oauth-first') === true;
const CONNECTIONS = Number(option('--connections', '1'));
const POST = flag('--post') === true;
const CACHE = flag('--cache') === true;
const POST_BODY = '{"name":"pen","qty":2}';
const targets = args.length > 0 ? args : ['bare', join(ROOT, 'dist')];

for (const tool of ['valgrind', 'callgrind_control']) {
  if (!which(tool)) {
    console.error(`${tool} is not installed (apt-get install -y valgrind)`);
    process.exit(1);
  }
}

/** Sends `amount` requests over CONNECTIONS keep-alive connections (autocannon; one connection: one after another). */
function sequential(url, headers, amount) {
  const hdrs = Object.entries(POST ? { ...headers, 'content-type': 'application/json' } : headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]);
  const post = POST ? ['-m', 'POST', '-b', POST_BODY] : [];
  const out = spawnSync(AUTOCANNON, ['--json', '-c', String(CONNECTIONS), '-t', '120', '-a', String(amount), ...post, ...hdrs, url], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
  });
  const j = JSON.parse(out.stdout.slice(out.stdout.indexOf('{')));
  if (j['2xx'] !== amount) throw new Error(`${url}: ${j['2xx']} of ${amount} requests answered 2xx`);
}

function callgrind(command, pid) {
  const r = spawnSync('callgrind_control', [command, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control ${command} ${pid}: ${r.stderr || r.stdout}`);
}

/** Instructions per thread in the first dump (`cg.<pid>.1-<thread>`), main thread first. */
function readDump(dir, pid) {
  const threads = readdirSync(dir)
    .filter((f) => f.startsWith(`cg.${pid}.1-`))
    .sort((a, b) => Number(a.split('-').pop()) - Number(b.split('-').pop()));
  return threads.map((f) => Number(/^summary: (\d+)$/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1] ?? 0));
}

const upstreamPort = await freePort();
const upstream = startProcess('upstream', process.execPath, [join(BENCH_DIR, 'upstream.mjs'), String(upstreamPort)]);
await waitForHttp(`http://${HOST}:${upstreamPort}/`, upstream);
const upstreamOrigin = `http://${HOST}:${upstreamPort}`;

async function measure(target) {
  const dir = mkdtempSync(join(tmpdir(), 'gh-instr-'));
  const port = await freePort();
  const valgrind = ['--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', '--dump-instr=no', `--callgrind-out-file=${dir}/cg.%p`];
  let url;
  let headers = {};
  let proc;
  if (target === 'bare') {
    proc = startProcess('bare', 'valgrind', [...valgrind, process.execPath, join(BENCH_DIR, 'bare-proxy.mjs'), String(port), upstreamOrigin]);
    url = `http://${HOST}:${port}/auth/items`;
  } else {
    const dataDir = join(dir, 'data');
    const seeded = await seedThroughput(dataDir, upstreamOrigin);
    const otel = target.startsWith('otel:');
    const main = join(resolve(otel ? target.slice(5) : target), 'cli', 'main.js');
    const env = { ...process.env, GATEHOUSE_LOG_LEVEL: 'warn' };
    if (otel) {
      const sinkPort = await freePort();
      await startNode('otlp-sink', 'otlp-sink.mjs', [sinkPort]);
      env.GATEHOUSE_OTLP_ENDPOINT = `http://${HOST}:${sinkPort}`;
    }
    proc = startProcess(target, 'valgrind', [...valgrind, process.execPath, main, 'serve', '--port', String(port), '--data-dir', dataDir], { env });
    url = `http://${HOST}:${port}${CACHE ? seeded.cachePath : seeded.authPath}`;
    headers = { authorization: `Bearer ${seeded.token}` };
  }
  // Start-up under valgrind takes minutes on a loaded machine.
  await waitForHttp(url, proc, { timeoutMs: 1_200_000, headers });
  if (OAUTH_FIRST && target !== 'bare') {
    const status = (await httpGet(`http://${HOST}:${port}/oauth/jwks`)).status;
    if (status !== 200) throw new Error(`GET /oauth/jwks answered ${status}`);
  }
  sequential(url, headers, WARMUP);
  callgrind('-z', proc.pid);
  sequential(url, headers, REQUESTS);
  callgrind('-d', proc.pid);
  const threads = readDump(dir, proc.pid);
  await proc.stop();
  rmSync(dir, { recursive: true, force: true });
  return { target, main: threads[0] / REQUESTS, all: threads.reduce((a, b) => a + b, 0) / REQUESTS };
}

console.log(
  `instructions per request (callgrind): ${WARMUP} warm-up, then ${REQUESTS} ${POST ? 'POST' : CACHE ? 'cache-hit' : 'GET'} requests per target${OAUTH_FIRST ? ', one OAuth request first' : ''}`,
);
// Two at a time: valgrind runs a process on one core, and the counts do not depend on timing.
const results = [];
for (let i = 0; i < targets.length; i += 2) results.push(...(await Promise.all(targets.slice(i, i + 2).map(measure))));
const first = results[0];
for (const r of results) {
  const ratio = (r.main / first.main).toFixed(3);
  console.log(
    `  ${r.target.padEnd(40)} main thread ${Math.round(r.main).toLocaleString('en-US').padStart(9)}  all threads ${Math.round(r.all).toLocaleString('en-US').padStart(9)}  main ×${first.target}: ${ratio}`,
  );
}
killAll();
